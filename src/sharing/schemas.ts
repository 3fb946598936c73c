import { z } from 'zod';
import { orgParams } from '../organisations/schemas.ts';
import { patientParams } from '../patients/schemas.ts';
import { defineContract } from '../platform/http/contract.ts';

export const shareBody = z.strictObject({ accountId: z.uuid({ message: 'Not an account id.' }) });
export const shareParams = z.strictObject({ patientId: z.uuid({ message: 'Not a patient id.' }), shareId: z.uuid({ message: 'Not a share id.' }) });
const memberIds = z.array(z.uuid({ message: 'Not a member id.' })).max(5000);
/** R-SHR-1, R-SHR-2: the share group and the content account of an organisation. */
export const sharingBody = z.strictObject({
  sharePatients: z.boolean(),
  shareContent: z.boolean(),
  groupMemberIds: memberIds,
  contentAccountMemberId: z.uuid({ message: 'Not a member id.' }).nullable(),
  contentRecipientIds: memberIds,
});
export type SharingInput = z.infer<typeof sharingBody>;

/** A practitioner of one of the caller's organisations or subscriptions. */
export const colleagueView = z.object({
  accountId: z.uuid(),
  name: z.string(),
  email: z.string(),
  organisationId: z.uuid(),
  organisation: z.string(),
});
export type ColleagueView = z.infer<typeof colleagueView>;

/** An open share of one patient with a colleague (R-SHR-3). */
export const patientShareView = z.object({
  id: z.uuid(),
  toAccountId: z.uuid(),
  name: z.string(),
  since: z.iso.datetime(),
});
export type PatientShareView = z.infer<typeof patientShareView>;

/** A share just made, in the practice the patient is treated in (R-SHR-3). */
export const newShareView = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  toAccountId: z.uuid(),
  organisationId: z.uuid(),
});

/** The Sharing & content section (R-SHR-1, R-SHR-2). */
export const sharingSettingsView = z.object({
  sharePatients: z.boolean(),
  shareContent: z.boolean(),
  groupMemberIds: z.array(z.uuid()),
  contentAccountMemberId: z.uuid().nullable(),
  contentRecipientIds: z.array(z.uuid()),
  /** The organisation's active practitioners, who can be chosen. */
  practitioners: z.array(z.object({ id: z.uuid(), name: z.string() })),
});
export type SharingSettingsView = z.infer<typeof sharingSettingsView>;

const tags = ['sharing'];
const patientSubject = { patientId: 'patient' } as const;

/** Sharing (R-SHR-1..3): single-patient shares, the share group and the content account. */
export const sharingContracts = {
  colleagues: defineContract({
    method: 'GET',
    path: '/api/colleagues',
    access: 'practitioner',
    tags,
    summary: 'Colleagues you can share patients with or transfer them to',
    response: z.object({ colleagues: z.array(colleagueView) }),
  }),
  shares: defineContract({
    method: 'GET',
    path: '/api/patients/:patientId/shares',
    access: 'practitioner',
    tags,
    summary: 'Colleagues a patient is shared with (R-SHR-3)',
    params: patientParams,
    subjects: patientSubject,
    response: z.object({ shares: z.array(patientShareView) }),
  }),
  share: defineContract({
    method: 'POST',
    path: '/api/patients/:patientId/shares',
    access: 'practitioner',
    tags,
    summary: 'Share a patient with a colleague (R-SHR-3); received patients are not shared further',
    params: patientParams,
    subjects: patientSubject,
    body: shareBody,
    example: { accountId: '5b1e7c3a-9d2f-4a6b-8c0e-1f2a3b4c5d6e' },
    status: 201,
    response: z.object({ share: newShareView }),
  }),
  endShare: defineContract({
    method: 'DELETE',
    path: '/api/patients/:patientId/shares/:shareId',
    access: 'practitioner',
    tags,
    summary: 'End a share (R-SHR-3)',
    params: shareParams,
    subjects: { patientId: 'patient', shareId: 'share' },
    status: 204,
    response: null,
  }),
  settings: defineContract({
    method: 'GET',
    path: '/api/organisations/:orgId/sharing',
    access: 'org:sharing',
    tags,
    summary: 'The share group and the content account (R-SHR-1, R-SHR-2)',
    params: orgParams,
    response: sharingSettingsView,
  }),
  updateSettings: defineContract({
    method: 'PUT',
    path: '/api/organisations/:orgId/sharing',
    access: 'org:sharing',
    tags,
    summary: 'Set the share group and the content account (R-SHR-1, R-SHR-2)',
    params: orgParams,
    body: sharingBody,
    example: {
      sharePatients: true,
      shareContent: true,
      groupMemberIds: ['7c9e6679-7425-40de-944b-e07fc1f90ae7', '2f1d3c4b-5a69-4788-9a0b-c1d2e3f40516'],
      contentAccountMemberId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      contentRecipientIds: ['2f1d3c4b-5a69-4788-9a0b-c1d2e3f40516'],
    },
    response: sharingSettingsView,
  }),
};
