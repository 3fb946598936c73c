/** The patient form's checks, mirroring the server's rules (src/patients/schemas.ts). */
import { z } from 'zod';
import { isPhone, NAME_MAX } from '../accounts/schemas.ts';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const optionalText = (max: number) => z.string().trim().max(max, `Use at most ${max} characters.`);

/** The latest year of birth the server accepts (next year, for a baby due soon). */
export function latestYearOfBirth(now: Date = new Date()): number {
  return now.getUTCFullYear() + 1;
}

export const patientSchema = z.object({
  firstName: z.string().trim().min(1, 'Enter the first name.').max(NAME_MAX, `Use at most ${NAME_MAX} characters.`),
  lastName: z.string().trim().min(1, 'Enter the last name.').max(NAME_MAX, `Use at most ${NAME_MAX} characters.`),
  yearOfBirth: z.string().superRefine((raw, ctx) => {
    const value = raw.trim();
    const problem =
      value === ''
        ? 'Enter the year of birth.'
        : !/^\d{4}$/.test(value)
          ? 'Enter the year with four digits, like 1961.'
          : Number(value) < 1900 || Number(value) > latestYearOfBirth()
            ? `A year from 1900 to ${latestYearOfBirth()}.`
            : null;
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  gender: z.enum(['', 'female', 'male', 'diverse', 'unknown']),
  email: z
    .string()
    .trim()
    .max(254, 'An email address has at most 254 characters.')
    .refine((value) => value === '' || EMAIL_PATTERN.test(value), 'Enter a valid email address, like name@example.com.'),
  mobile: z
    .string()
    .refine((value) => value.trim() === '' || isPhone(value), 'Enter the number in international format: + and the country code, like +447700900123.'),
  externalId: optionalText(100),
  diagnosisCode: optionalText(50),
  group: optionalText(100),
});

export type PatientValues = z.input<typeof patientSchema>;

/** The form's fields, as the server names them in its field errors. */
export const PATIENT_FIELDS = ['firstName', 'lastName', 'yearOfBirth', 'gender', 'email', 'mobile', 'externalId', 'diagnosisCode', 'group'] as const;
