import { z } from 'zod';
import { emailSchema, personNameSchema, phoneSchema } from '../accounts/schemas.ts';

const optionalText = (max: number) => z.string().trim().min(1).max(max).nullable().optional();

/** R-PAT-1: what a patient record holds. */
export const patientFields = {
  firstName: personNameSchema,
  lastName: personNameSchema,
  yearOfBirth: z
    .number()
    .int()
    .min(1900, { message: 'A year from 1900 on.' })
    .refine((y) => y <= new Date().getUTCFullYear(), { message: 'A year of birth cannot be in the future.' }),
  gender: z.enum(['female', 'male', 'diverse', 'unknown']).nullable().optional(),
  email: emailSchema.nullable().optional(),
  mobile: phoneSchema.nullable().optional(),
  externalId: optionalText(100),
  diagnosisCode: optionalText(50),
  group: optionalText(100),
};

export const createPatientBody = z.strictObject({
  ...patientFields,
  /** The practice the patient is treated in, for a practitioner who works in several. */
  organisationId: z.uuid({ message: 'Not a practice id.' }).optional(),
});
export const updatePatientBody = z.strictObject({
  firstName: patientFields.firstName.optional(),
  lastName: patientFields.lastName.optional(),
  yearOfBirth: patientFields.yearOfBirth.optional(),
  gender: patientFields.gender,
  email: patientFields.email,
  mobile: patientFields.mobile,
  externalId: patientFields.externalId,
  diagnosisCode: patientFields.diagnosisCode,
  group: patientFields.group,
});

export const patientParams = z.strictObject({ patientId: z.uuid({ message: 'Not a patient id.' }) });

export const patientsQuery = z.strictObject({
  search: z.string().trim().max(200).optional(),
  archived: z.enum(['false', 'true', 'all']).default('false'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export type CreatePatientInput = z.infer<typeof createPatientBody>;
export type UpdatePatientInput = z.infer<typeof updatePatientBody>;
