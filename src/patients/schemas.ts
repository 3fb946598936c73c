import { z } from 'zod';
import { emailSchema, personNameSchema, phoneSchema } from '../accounts/schemas.ts';
import { defineContract } from '../platform/http/contract.ts';

/** The latest year of birth a patient may have: the current year (in UTC) at `now`. */
export function latestYearOfBirth(now: Date): number {
  return now.getUTCFullYear();
}

export const YEAR_OF_BIRTH_IN_FUTURE = 'A year of birth cannot be in the future.';

const optionalText = (max: number) => z.string().trim().min(1).max(max).nullable().optional();

/** R-PAT-1: what a patient record holds. */
export const patientFields = {
  firstName: personNameSchema,
  lastName: personNameSchema,
  // Not after this year: the service checks that against its clock (latestYearOfBirth), so the rule
  // moves with the injected clock and the web form shows the same bound.
  yearOfBirth: z.number().int().min(1900, { message: 'A year from 1900 on.' }).max(2100, { message: 'A year of birth cannot be in the future.' }),
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

export const genderSchema = z.enum(['female', 'male', 'diverse', 'unknown']);
export type Gender = z.infer<typeof genderSchema>;
export type ArchivedFilter = z.infer<typeof patientsQuery>['archived'];

/** R-PAT-1: a patient as the API answers it. */
export const patientView = z.object({
  id: z.uuid(),
  firstName: z.string(),
  lastName: z.string(),
  yearOfBirth: z.number().int(),
  gender: genderSchema.nullable(),
  email: z.string().nullable(),
  mobile: z.string().nullable(),
  /** The PMS's patient id, unique per practitioner within a practice. */
  externalId: z.string().nullable(),
  diagnosisCode: z.string().nullable(),
  group: z.string().nullable(),
  archived: z.boolean(),
  /** The caller owns the patient (false: shared with them, R-SHR-1, R-SHR-3). */
  own: z.boolean(),
  /** The organisation or subscription the patient is treated in. */
  organisationId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type PatientView = z.infer<typeof patientView>;

const onePatient = z.object({ patient: patientView });
const tags = ['patients'];
const patientSubject = { patientId: 'patient' } as const;

/** A practitioner's patients (R-PAT-1, R-PAT-2). Every route needs a licence that lets them work. */
export const patientContracts = {
  list: defineContract({
    method: 'GET',
    path: '/api/patients',
    access: 'practitioner',
    tags,
    summary: 'Your patients and those shared with you, searchable (recorded in the audit trail)',
    query: patientsQuery,
    response: z.object({ patients: z.array(patientView), total: z.number().int() }),
  }),
  create: defineContract({
    method: 'POST',
    path: '/api/patients',
    access: 'practitioner',
    tags,
    summary: 'Add a patient (R-PAT-1)',
    body: createPatientBody,
    example: { firstName: 'Mara', lastName: 'Lindqvist', yearOfBirth: 1958, email: 'mara@example.org' },
    status: 201,
    response: onePatient,
  }),
  get: defineContract({
    method: 'GET',
    path: '/api/patients/:patientId',
    access: 'practitioner',
    tags,
    summary: 'One patient (recorded in the audit trail)',
    params: patientParams,
    subjects: patientSubject,
    response: onePatient,
  }),
  update: defineContract({
    method: 'PATCH',
    path: '/api/patients/:patientId',
    access: 'practitioner',
    tags,
    summary: "Change a patient's details",
    params: patientParams,
    subjects: patientSubject,
    body: updatePatientBody,
    example: { group: 'knees' },
    response: onePatient,
  }),
  archive: defineContract({
    method: 'POST',
    path: '/api/patients/:patientId/archive',
    access: 'practitioner',
    tags,
    summary: 'Archive a patient (kept, hidden from the list)',
    params: patientParams,
    subjects: patientSubject,
    response: onePatient,
  }),
  restore: defineContract({
    method: 'DELETE',
    path: '/api/patients/:patientId/archive',
    access: 'practitioner',
    tags,
    summary: 'Bring an archived patient back',
    params: patientParams,
    subjects: patientSubject,
    response: onePatient,
  }),
  remove: defineContract({
    method: 'DELETE',
    path: '/api/patients/:patientId',
    access: 'practitioner',
    tags,
    summary: 'Delete a patient with their programmes',
    params: patientParams,
    subjects: patientSubject,
    status: 204,
    response: null,
  }),
};
