/**
 * Client-side checks that mirror the server's rules, so most mistakes are caught before sending.
 * The server stays the authority: its field messages are shown in the same places.
 */
import { z } from 'zod';
import { ADDRESS_MAX, NAME_MAX, PASSWORD_MAX, PASSWORD_MIN, PHONE_PATTERN, WEBSITE_MAX } from '../../../src/accounts/schemas.ts';

export { ADDRESS_MAX, NAME_MAX, PASSWORD_MAX, PASSWORD_MIN };

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const emailField = z
  .string()
  .trim()
  .min(1, 'Enter your email address.')
  .max(254, 'An email address has at most 254 characters.')
  .regex(EMAIL_PATTERN, 'Enter a valid email address, like name@example.com.');

/** Spaces, dashes, dots and brackets people type in phone numbers are dropped before sending. */
export function normalisePhone(value: string): string {
  return value.replace(/[\s\-().]/g, '');
}

export function isPhone(value: string): boolean {
  return PHONE_PATTERN.test(normalisePhone(value));
}

/** Adds https:// when a web address was typed without a scheme. */
export function normaliseWebsite(value: string): string {
  const trimmed = value.trim();
  if (trimmed === '') return '';
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
}

export function isWebsite(value: string): boolean {
  try {
    const url = new URL(normaliseWebsite(value));
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

/** The first problem with a new password (the server also refuses common passwords). */
export function passwordProblem(password: string, person: { email?: string; name?: string } = {}): string | null {
  if (password.length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
  if (password.length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  const lower = password.toLowerCase();
  if (new Set(lower).size < 4) return 'Use more different characters.';
  const emailName = person.email?.trim().toLowerCase().split('@')[0] ?? '';
  if (emailName.length >= 4 && lower.includes(emailName)) return 'Do not use your email address in your password.';
  const compactName = person.name?.toLowerCase().replace(/\s+/g, '') ?? '';
  if (compactName.length >= 4 && lower.replace(/\s+/g, '').includes(compactName)) {
    return 'Do not use your name in your password.';
  }
  return null;
}

export const signInSchema = z.object({
  email: emailField,
  password: z.string().min(1, 'Enter your password.'),
});

export const signUpSchema = z
  .object({
    name: z.string().trim().min(1, 'Enter your name.').max(NAME_MAX, `Use at most ${NAME_MAX} characters.`),
    email: emailField,
    password: z.string(),
  })
  .superRefine((values, ctx) => {
    const problem = passwordProblem(values.password, { email: values.email, name: values.name });
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
  });

export const forgotPasswordSchema = z.object({ email: emailField });

export function resetPasswordSchema() {
  return z.object({ password: z.string() }).superRefine((values, ctx) => {
    const problem = passwordProblem(values.password);
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
  });
}

export function changePasswordSchema(person: { email: string; name: string }) {
  return z
    .object({
      currentPassword: z.string().min(1, 'Enter your current password.'),
      newPassword: z.string(),
    })
    .superRefine((values, ctx) => {
      const problem = passwordProblem(values.newPassword, person);
      if (problem) ctx.addIssue({ code: 'custom', path: ['newPassword'], message: problem });
      else if (values.newPassword === values.currentPassword) {
        ctx.addIssue({ code: 'custom', path: ['newPassword'], message: 'Choose a password different from your current one.' });
      }
    });
}

const optionalText = (max: number) => z.string().trim().max(max, `Use at most ${max} characters.`);

const optionalPhone = z
  .string()
  .refine(
    (value) => value.trim() === '' || isPhone(value),
    'Enter the number in international format: + and the country code, like +441234567890.',
  );

export const profileSchema = z.object({
  name: z.string().trim().min(1, 'Enter your name.').max(NAME_MAX, `Use at most ${NAME_MAX} characters.`),
  profession: optionalText(NAME_MAX),
  phone: optionalPhone,
  practice: z.object({
    name: optionalText(NAME_MAX),
    address: optionalText(ADDRESS_MAX),
    phone: optionalPhone,
    email: z
      .string()
      .trim()
      .refine((value) => value === '' || EMAIL_PATTERN.test(value), 'Enter a valid email address, like info@example.com.'),
    website: z
      .string()
      .max(WEBSITE_MAX, `Use at most ${WEBSITE_MAX} characters.`)
      .refine((value) => value.trim() === '' || isWebsite(value), 'Enter a web address, like https://example.com.'),
  }),
});

export type ProfileValues = z.input<typeof profileSchema>;
