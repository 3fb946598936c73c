import { z } from 'zod';
import { engagementView, messageView } from '../engagement/schemas.ts';
import { poolView } from '../licences/schemas.ts';
import { memberView, membersQuery } from '../memberships/schemas.ts';
import { patientFields, patientView } from '../patients/schemas.ts';
import { defineContract } from '../platform/http/contract.ts';
import { programmeStateSchema } from '../programmes/schemas.ts';

/**
 * The public API, version 1 (R-INT-1, R-INT-3): what a practice management system calls with a
 * Motus API key (`Authorization: Bearer motus_…`). Lists are read page by page with an opaque
 * cursor; writes take an `Idempotency-Key` header, so that a retried request does its work once.
 * Ids of patients and programmes the key's owner may not see, or of another practice than the
 * key's, answer 404 like ids that do not exist.
 */

const TAGS = ['public API v1'] as const;

const cursor = z.string().max(500).optional().describe('The nextCursor of the page before; without it, the first page.');
const limit = z.coerce.number().int().min(1).max(200).default(50);

export const pmsIdParams = z.strictObject({
  pmsId: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9._:/-]+$/, { message: 'A PMS id is letters, digits and . _ : / -' })
    .describe("The PMS's own id of the patient (stored as the patient's external id)"),
});
export const v1PatientParams = z.strictObject({ patientId: z.uuid({ message: 'Not a patient id.' }) });
export const v1ProgrammeParams = z.strictObject({ programmeId: z.uuid({ message: 'Not a programme id.' }) });

export const patientsPageQuery = z.strictObject({
  cursor,
  limit,
  updatedSince: z.iso.datetime({ offset: true, message: 'A date and time, such as 2026-12-01T00:00:00Z.' }).optional().describe('Only patients changed at or after this time.'),
});

export const upsertPatientBody = z.strictObject({
  firstName: patientFields.firstName,
  lastName: patientFields.lastName,
  yearOfBirth: patientFields.yearOfBirth,
  gender: patientFields.gender,
  email: patientFields.email,
  mobile: patientFields.mobile,
  diagnosisCode: patientFields.diagnosisCode,
  group: patientFields.group,
});

export const templateSummaryView = z.object({
  id: z.uuid(),
  title: z.string(),
  trackAdherence: z.boolean(),
  trackPain: z.boolean(),
  /** The exercises' names in order; an exercise the key's owner may not use shows as unavailable. */
  exercises: z.array(z.string()),
  /** Shared with the key's owner by the practice's content account, not their own. */
  shared: z.boolean(),
  updatedAt: z.iso.datetime(),
});

export const assignBody = z.strictObject({
  templateId: z.uuid({ message: 'Not a template id.' }),
  /** Defaults to the template's title. */
  title: z.string().trim().min(1).max(200).optional(),
  /** The first day (YYYY-MM-DD); defaults to today in the practice's time zone. */
  startDate: z.iso.date({ message: 'A date as YYYY-MM-DD.' }).optional(),
  endDate: z.iso.date({ message: 'A date as YYYY-MM-DD.' }).nullable().default(null),
});

export const assignedProgrammeView = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  title: z.string(),
  state: programmeStateSchema,
  /** The code the patient opens the programme with, with their year of birth. */
  code: z.string(),
  startDate: z.iso.date(),
  endDate: z.iso.date().nullable(),
  /** The page the patient opens, with the code filled in: for a text message or a letter. */
  patientLink: z.url(),
  /** The code was emailed to the patient (the patient has an email address). */
  emailed: z.boolean(),
  assignedAt: z.iso.datetime(),
});

const examplePatient = { firstName: 'Edith', lastName: 'Example', yearOfBirth: 1958, gender: 'female', email: 'edith@example.org', mobile: null, diagnosisCode: 'M17.1', group: null };

export const publicApiContracts = {
  patients: defineContract({
    operationId: 'listPatients',
    method: 'GET',
    path: '/api/v1/patients',
    access: 'apiKey:patients.read',
    tags: TAGS,
    summary: 'Patients, in order of their last change',
    description: 'Pages of up to `limit` patients the key may see, ordered by last change: keep `nextCursor` to read on, or `updatedSince` to fetch what changed since a sync.',
    query: patientsPageQuery,
    response: z.object({ patients: z.array(patientView), nextCursor: z.string().nullable() }),
  }),
  patient: defineContract({
    operationId: 'getPatient',
    method: 'GET',
    path: '/api/v1/patients/:patientId',
    access: 'apiKey:patients.read',
    tags: TAGS,
    summary: 'One patient',
    params: v1PatientParams,
    subjects: { patientId: 'patient' },
    response: z.object({ patient: patientView }),
  }),
  upsertPatient: defineContract({
    operationId: 'upsertPatient',
    method: 'PUT',
    path: '/api/v1/patients/by-pms-id/:pmsId',
    access: 'apiKey:patients.write',
    tags: TAGS,
    summary: "Create or replace a patient by the PMS's id",
    description:
      "The key owner's patient with this PMS id in the key's practice is replaced by what is sent (fields left out become empty), or created: 201 when created, 200 when replaced. Send an Idempotency-Key header to make a retry safe.",
    params: pmsIdParams,
    body: upsertPatientBody,
    example: examplePatient,
    response: z.object({ patient: patientView, created: z.boolean() }),
  }),
  templates: defineContract({
    operationId: 'listTemplates',
    method: 'GET',
    path: '/api/v1/templates',
    access: 'apiKey:programmes.assign',
    tags: TAGS,
    summary: "The key owner's programme templates",
    response: z.object({ templates: z.array(templateSummaryView) }),
  }),
  assign: defineContract({
    operationId: 'assignTemplate',
    method: 'POST',
    path: '/api/v1/patients/:patientId/programmes',
    access: 'apiKey:programmes.assign',
    tags: TAGS,
    summary: 'Assign a template to a patient',
    description: 'Makes a programme from the template, with a new code; the answer carries the code and the link the patient opens. Send an Idempotency-Key header to make a retry safe.',
    params: v1PatientParams,
    subjects: { patientId: 'patient' },
    body: assignBody,
    example: { templateId: '00000000-0000-4000-8000-000000000000', startDate: '2026-12-07', endDate: null },
    status: 201,
    response: z.object({ programme: assignedProgrammeView }),
  }),
  handout: defineContract({
    operationId: 'getHandout',
    method: 'GET',
    path: '/api/v1/programmes/:programmeId/handout.pdf',
    access: 'apiKey:programmes.assign',
    tags: TAGS,
    summary: "The programme's printable handout (PDF)",
    params: v1ProgrammeParams,
    subjects: { programmeId: 'programme' },
    response: { raw: 'application/pdf', description: 'The handout: the code, the link as a QR code and every exercise with its picture' },
  }),
  engagement: defineContract({
    operationId: 'getEngagement',
    method: 'GET',
    path: '/api/v1/programmes/:programmeId/engagement',
    access: 'apiKey:engagement.read',
    tags: TAGS,
    summary: 'What the patient recorded: adherence, pain, difficulty, comments, alerts',
    params: v1ProgrammeParams,
    subjects: { programmeId: 'programme' },
    query: z.strictObject({ days: z.coerce.number().int().min(7).max(365).default(90) }),
    response: engagementView,
  }),
  messages: defineContract({
    operationId: 'listMessages',
    method: 'GET',
    path: '/api/v1/programmes/:programmeId/messages',
    access: 'apiKey:engagement.read',
    tags: TAGS,
    summary: 'Messages between the patient and the practice, oldest first',
    description: 'Reading them through the API does not mark them read for the practitioner.',
    params: v1ProgrammeParams,
    subjects: { programmeId: 'programme' },
    query: z.strictObject({ cursor, limit }),
    response: z.object({ messages: z.array(messageView), nextCursor: z.string().nullable() }),
  }),
  organisationMembers: defineContract({
    operationId: 'listOrganisationMembers',
    method: 'GET',
    path: '/api/v1/organisation/members',
    access: 'apiKey:console.read',
    tags: TAGS,
    summary: "The organisation's members with status, licence and roles (an organisation key)",
    query: membersQuery,
    response: z.object({ members: z.array(memberView), total: z.number().int() }),
  }),
  organisationLicences: defineContract({
    operationId: 'getOrganisationLicences',
    method: 'GET',
    path: '/api/v1/organisation/licences',
    access: 'apiKey:console.read',
    tags: TAGS,
    summary: "The organisation's licences: purchased, assigned, reserved and free (an organisation key)",
    response: z.object({ pool: poolView }),
  }),
} as const;
