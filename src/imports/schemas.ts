import { z } from 'zod';
import { defineContract } from '../platform/http/contract.ts';

const orgParams = z.strictObject({ orgId: z.string().max(64) });
export const importParams = z.strictObject({ orgId: z.string().max(64), importId: z.uuid({ message: 'Not an import id.' }) });
/** The largest file an import takes, in characters. */
export const IMPORT_MAX_CHARS = 900_000;

export const importBody = z.strictObject({
  practitionerMemberId: z.uuid({ message: 'Not a member id.' }),
  fileName: z.string().trim().min(1).max(200).optional(),
  /** The file's text (UTF-8): one patient per row. */
  csv: z.string().min(1, { message: 'The file is empty.' }).max(IMPORT_MAX_CHARS, { message: 'At most 900,000 characters; split larger files.' }),
});
export type ImportInput = z.infer<typeof importBody>;

/** The columns of a patient import file, in order (SPEC §8, Patient import). */
export const IMPORT_COLUMNS = ['external id', 'first name', 'last name', 'year of birth', 'gender', 'email', 'mobile', 'diagnosis code', 'group'] as const;

/** A patient import with its result: counts, and each refused row with its line and reason. */
export const patientImportView = z.object({
  id: z.uuid(),
  status: z.enum(['pending', 'done', 'failed']),
  fileName: z.string().nullable(),
  practitioner: z.object({ membershipId: z.uuid(), name: z.string().nullable() }),
  /** Null until the job has read the file. */
  rows: z.number().int().nullable(),
  created: z.number().int().nullable(),
  updated: z.number().int().nullable(),
  rejected: z.array(z.object({ line: z.number().int(), reason: z.string() })),
  requestedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
});
export type PatientImportView = z.infer<typeof patientImportView>;

const tags = ['patient import'];
const oneImport = z.object({ import: patientImportView });

/** Patient import (console section Patient import): a CSV file into a practitioner's list, run as a job. */
export const importContracts = {
  request: defineContract({
    method: 'POST',
    path: '/api/organisations/:orgId/patient-imports',
    access: 'org:import',
    tags,
    summary: "Import patients from CSV into a practitioner's list; runs as a job",
    params: orgParams,
    body: importBody,
    example: {
      practitionerMemberId: '2f1d3c4b-5a69-4788-9a0b-c1d2e3f40516',
      fileName: 'patients.csv',
      csv: 'external id,first name,last name,year of birth,gender,email\nPMS-1001,Mara,Lindqvist,1958,f,mara@example.org\n',
    },
    status: 202,
    response: oneImport,
  }),
  list: defineContract({
    method: 'GET',
    path: '/api/organisations/:orgId/patient-imports',
    access: 'org:import',
    tags,
    summary: 'Recent imports with their results',
    params: orgParams,
    response: z.object({ imports: z.array(patientImportView) }),
  }),
  get: defineContract({
    method: 'GET',
    path: '/api/organisations/:orgId/patient-imports/:importId',
    access: 'org:import',
    tags,
    summary: 'One import: counts and each rejected row with its line and reason',
    params: importParams,
    response: oneImport,
  }),
};
