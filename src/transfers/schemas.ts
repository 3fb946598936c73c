import { z } from 'zod';
import { memberParams } from '../memberships/schemas.ts';
import { patientParams } from '../patients/schemas.ts';
import { defineContract } from '../platform/http/contract.ts';

const ids = (what: string) => z.array(z.uuid({ message: `Not ${what} id.` })).max(20_000).default([]);
export const transferBody = z.strictObject({ accountId: z.uuid({ message: 'Not an account id.' }) });
/** R-TRF-1: any selection of a member's patients, exercises and templates, and the colleague who receives them. */
export const adminTransferBody = z
  .strictObject({ toMemberId: z.uuid({ message: 'Not a member id.' }), patientIds: ids('a patient'), exerciseIds: ids('an exercise'), templateIds: ids('a template') })
  .refine((b) => b.patientIds.length + b.exerciseIds.length + b.templateIds.length > 0, { message: 'Choose at least one patient, exercise or template.', path: ['patientIds'] });

/** What a transfer moved, all or nothing (R-TRF-1). */
export const transferResultView = z.object({
  transferId: z.uuid(),
  patients: z.number().int(),
  exercises: z.number().int(),
  templates: z.number().int(),
});
export type TransferResultView = z.infer<typeof transferResultView>;

/** A member's patients for a transfer: name and year of birth only (R-PAT-2). */
export const transferablePatientView = z.object({
  id: z.uuid(),
  firstName: z.string(),
  lastName: z.string(),
  yearOfBirth: z.number().int(),
});
export type TransferablePatientView = z.infer<typeof transferablePatientView>;

export const transferableView = z.object({
  patients: z.array(transferablePatientView),
  exercises: z.array(z.object({ id: z.uuid(), name: z.string() })),
  templates: z.array(z.object({ id: z.uuid(), title: z.string() })),
});
export type TransferableView = z.infer<typeof transferableView>;

const tags = ['transfers'];

/** Transfers (R-TRF-1): by the practitioner, one patient; by an admin with Users, any selection of a member's. */
export const transferContracts = {
  transferPatient: defineContract({
    method: 'POST',
    path: '/api/patients/:patientId/transfer',
    access: 'practitioner',
    tags,
    summary: 'Transfer a patient, with their programmes, to a colleague (R-TRF-1)',
    params: patientParams,
    subjects: { patientId: 'patient' },
    body: transferBody,
    example: { accountId: '5b1e7c3a-9d2f-4a6b-8c0e-1f2a3b4c5d6e' },
    response: transferResultView,
  }),
  transferable: defineContract({
    method: 'GET',
    path: '/api/organisations/:orgId/members/:memberId/transferable',
    access: 'org:users',
    tags,
    summary: "A member's patients (name and year of birth only; recorded), exercises and templates, for a transfer",
    params: memberParams,
    response: transferableView,
  }),
  adminTransfer: defineContract({
    method: 'POST',
    path: '/api/organisations/:orgId/members/:memberId/transfer',
    access: 'org:users',
    tags,
    summary: "Transfer any selection of a member's patients, exercises and templates to a colleague, all or nothing (R-TRF-1)",
    params: memberParams,
    body: adminTransferBody,
    example: { toMemberId: '2f1d3c4b-5a69-4788-9a0b-c1d2e3f40516', patientIds: ['9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'], exerciseIds: [], templateIds: [] },
    response: transferResultView,
  }),
};
