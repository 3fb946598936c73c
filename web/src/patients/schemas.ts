/** The patient form's checks, mirroring the server's rules (src/patients/schemas.ts). */
import { z } from 'zod';
import { latestYearOfBirth } from '../../../src/patients/schemas.ts';
import { isPhone, NAME_MAX } from '../accounts/schemas.ts';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const optionalText = (max: number) => z.string().trim().max(max, `Use at most ${max} characters.`);

/**
 * The form's checks at the time `now` gives. The latest year of birth is the server's own rule
 * (R-PAT-1: not after this year), so the form refuses exactly what the server would.
 */
export function patientSchemaAt(now: () => Date) {
  return z.object({
    firstName: z.string().trim().min(1, 'Enter the first name.').max(NAME_MAX, `Use at most ${NAME_MAX} characters.`),
    lastName: z.string().trim().min(1, 'Enter the last name.').max(NAME_MAX, `Use at most ${NAME_MAX} characters.`),
    yearOfBirth: z.string().superRefine((raw, ctx) => {
      const value = raw.trim();
      const latest = latestYearOfBirth(now());
      const problem =
        value === ''
          ? 'Enter the year of birth.'
          : !/^\d{4}$/.test(value)
            ? 'Enter the year with four digits, like 1961.'
            : Number(value) < 1900 || Number(value) > latest
              ? `A year from 1900 to ${latest}.`
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
}

/** The patient form's checks, by the device's clock. */
export const patientSchema = patientSchemaAt(() => new Date());

export type PatientValues = z.input<typeof patientSchema>;

/** The form's fields, as the server names them in its field errors. */
export const PATIENT_FIELDS = ['firstName', 'lastName', 'yearOfBirth', 'gender', 'email', 'mobile', 'externalId', 'diagnosisCode', 'group'] as const;
