/** Client-side checks of the organisation forms (create, settings), mirroring the server's rules. */
import { z } from 'zod';
import { NAME_MAX } from '../accounts/schemas.ts';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const organisationSchema = z.object({
  name: z.string().trim().min(1, 'Enter the name of the organisation.').max(NAME_MAX, `Use at most ${NAME_MAX} characters.`),
  billingTimeZone: z.string().min(1, 'Choose the time zone invoices follow.'),
  billingContactEmail: z
    .string()
    .trim()
    .max(254, 'An email address has at most 254 characters.')
    .refine((value) => value === '' || EMAIL_PATTERN.test(value), 'Enter a valid email address, like accounts@example.com.'),
});

export type OrganisationValues = z.input<typeof organisationSchema>;

/** The time zones this browser knows, with the person's own first. */
export function timeZones(): string[] {
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  let all: string[];
  try {
    all = Intl.supportedValuesOf('timeZone');
  } catch {
    all = [];
  }
  if (!all.includes('UTC')) all = [...all, 'UTC'];
  return own && !all.includes(own) ? [own, ...all] : all;
}
