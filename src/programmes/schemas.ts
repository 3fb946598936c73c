import { z } from 'zod';
import { memberParams } from '../memberships/schemas.ts';
import { defineContract } from '../platform/http/contract.ts';

const count = (max: number) => z.number().int().min(1).max(max).nullable().default(null);

/** R-PRG-1: one exercise of a programme with its parameters. */
export const programmeItemSchema = z
  .strictObject({
    exerciseId: z.uuid({ message: 'Not an exercise id.' }),
    sets: count(50),
    reps: count(500),
    durationSeconds: count(7200),
    holdSeconds: count(600),
    restSeconds: z.number().int().min(0).max(3600).nullable().default(null),
    timesPerDay: count(12),
    daysPerWeek: count(7),
    weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7).nullable().default(null),
    instructions: z.string().trim().max(10_000).nullable().default(null),
  })
  .refine((i) => i.reps === null || i.durationSeconds === null, { message: 'Give repetitions or a duration, not both.', path: ['durationSeconds'] })
  .refine((i) => i.daysPerWeek === null || i.weekdays === null, { message: 'Give days per week or chosen weekdays, not both.', path: ['weekdays'] })
  .refine((i) => i.weekdays === null || new Set(i.weekdays).size === i.weekdays.length, { message: 'Each weekday once.', path: ['weekdays'] });

/** Programmes run in this century: a year 0 or 9999 is a typing slip, refused with its field (SPEC §12). */
const date = z.iso
  .date({ message: 'A date as YYYY-MM-DD.' })
  .refine((d) => d >= '2000-01-01' && d <= '2099-12-31', { message: 'A date between 2000-01-01 and 2099-12-31.', abort: true });

export const programmeBody = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    startDate: date,
    endDate: date.nullable().default(null),
    trackAdherence: z.boolean().default(false),
    trackPain: z.boolean().default(false),
    /** R-ENG-6: pain at or above this raises an alert (default 7). */
    painAlertAt: z.number().int().min(0).max(10).default(7),
    /** R-ENG-6: days without an entry that raise an alert; null: never. */
    inactivityAlertDays: z.number().int().min(1).max(60).nullable().default(3),
    items: z.array(programmeItemSchema).min(1, { message: 'Pick at least one exercise.' }).max(100),
  })
  .refine((p) => p.endDate === null || p.endDate >= p.startDate, { message: 'The end date cannot be before the start date.', path: ['endDate'] });

export const templateBody = z.strictObject({
  title: z.string().trim().min(1).max(200),
  trackAdherence: z.boolean().default(false),
  trackPain: z.boolean().default(false),
  items: z.array(programmeItemSchema).min(1, { message: 'Pick at least one exercise.' }).max(100),
});

export const programmeParams = z.strictObject({ programmeId: z.uuid({ message: 'Not a programme id.' }) });
export const templateParams = z.strictObject({ templateId: z.uuid({ message: 'Not a template id.' }) });
export const patientProgrammeParams = z.strictObject({ patientId: z.uuid({ message: 'Not a patient id.' }) });

/** R-PRG-2: what a patient types on the programme page. */
export const programmeViewBody = z.strictObject({
  code: z.string().trim().toLowerCase().regex(/^[a-z]{8}$/, { message: 'The programme code is 8 letters.' }),
  yearOfBirth: z.number().int().min(1900).max(2100),
});

export type ProgrammeInput = z.infer<typeof programmeBody>;
export type TemplateInput = z.infer<typeof templateBody>;
export type ProgrammeItemInput = z.infer<typeof programmeItemSchema>;

export const programmeStateSchema = z.enum(['active', 'disabled', 'ended']);
export type ProgrammeState = z.infer<typeof programmeStateSchema>;

/** R-PRG-1: the parameters of one exercise in a programme; null where the practitioner gave none. */
const itemParameters = {
  sets: z.number().int().nullable(),
  reps: z.number().int().nullable(),
  durationSeconds: z.number().int().nullable(),
  holdSeconds: z.number().int().nullable(),
  restSeconds: z.number().int().nullable(),
  timesPerDay: z.number().int().nullable(),
  daysPerWeek: z.number().int().nullable(),
  /** 1 = Monday … 7 = Sunday. */
  weekdays: z.array(z.number().int()).nullable(),
  instructions: z.string().nullable(),
};
export const itemParametersView = z.object(itemParameters);
export type ItemParameters = z.infer<typeof itemParametersView>;

/** What a programme says about its exercise, for the practitioner. */
export const itemExerciseView = z.object({
  id: z.uuid(),
  name: z.string(),
  bodyRegion: z.string(),
  equipment: z.array(z.string()),
  description: z.string(),
  steps: z.array(z.string()),
  illustrationUrl: z.string().nullable(),
});
export type ItemExercise = z.infer<typeof itemExerciseView>;

/** One exercise of a programme or template; `exercise` is null when the exercise is gone or not the viewer's to use. */
export const programmeItemView = z.object({ exerciseId: z.uuid(), ...itemParameters, exercise: itemExerciseView.nullable() });
export type ProgrammeItemView = z.infer<typeof programmeItemView>;

/** R-PRG-1..3: a patient's programme as the practitioner sees it. */
export const programmeView = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  title: z.string(),
  state: programmeStateSchema,
  disabledReason: z.enum(['access_removed']).nullable(),
  /** R-PRG-2: 8 lowercase letters the patient opens the programme with. */
  code: z.string(),
  startDate: z.iso.date(),
  endDate: z.iso.date().nullable(),
  trackAdherence: z.boolean(),
  trackPain: z.boolean(),
  painAlertAt: z.number().int(),
  inactivityAlertDays: z.number().int().nullable(),
  items: z.array(programmeItemView),
  assignedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
  updatedAt: z.iso.datetime(),
});
export type ProgrammeView = z.infer<typeof programmeView>;

/** R-PRG-1: a template of the practitioner's library. */
export const templateView = z.object({
  id: z.uuid(),
  title: z.string(),
  trackAdherence: z.boolean(),
  trackPain: z.boolean(),
  items: z.array(programmeItemView),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type TemplateView = z.infer<typeof templateView>;

/** A template in the library listing: the caller's own, or shared with them read-only (R-SHR-1, R-SHR-2). */
export const libraryTemplateView = templateView.extend({
  own: z.boolean(),
  /** Initials of the account a shared template comes from. */
  sharedBy: z.string().nullable(),
});
export type LibraryTemplateView = z.infer<typeof libraryTemplateView>;

/** R-PRG-2, R-PRG-3: the patient's page. It names the exercises but no ids, and nothing about other patients. */
export const patientProgrammeView = z.object({
  title: z.string(),
  patientFirstName: z.string(),
  practitioner: z.object({ name: z.string(), practice: z.string().nullable(), phone: z.string().nullable() }),
  startDate: z.iso.date(),
  endDate: z.iso.date().nullable(),
  state: programmeStateSchema,
  /** Ended or paused: shown, but with a notice to contact the practice. */
  readOnly: z.boolean(),
  notice: z.string().nullable(),
  trackAdherence: z.boolean(),
  trackPain: z.boolean(),
  items: z.array(z.object({ ...itemParameters, exercise: itemExerciseView.omit({ id: true }).nullable() })),
});
export type PatientProgrammeView = z.infer<typeof patientProgrammeView>;

/** R-PRA-3, R-PRA-5: what the console shows of a member's clinical work: counts only (R-PAT-2). */
export const programmeCountsView = z.object({
  activeProgrammes: z.number().int(),
  /** Programmes paused when this member's access was removed. */
  disabledByRemoval: z.number().int(),
  patients: z.number().int(),
});
export type ProgrammeCountsView = z.infer<typeof programmeCountsView>;

const tags = ['programmes'];
const patientSubject = { patientId: 'patient' } as const;
const programmeSubject = { programmeId: 'programme' } as const;
const oneProgramme = z.object({ programme: programmeView });
const oneTemplate = z.object({ template: templateView });
const exampleItem = { exerciseId: '0f8b9a52-3c1d-4e8a-9b7c-2d5e6f7a8b9c', sets: 3, reps: 10, restSeconds: 30, weekdays: [1, 3, 5], instructions: 'Slowly, without pain.' };

/** Programmes (R-PRG-1..3), templates, the patient's page and the console's counts. */
export const programmeContracts = {
  listForPatient: defineContract({
    method: 'GET',
    path: '/api/patients/:patientId/programmes',
    access: 'practitioner',
    tags,
    summary: "A patient's programmes (recorded in the audit trail)",
    params: patientProgrammeParams,
    subjects: patientSubject,
    response: z.object({ programmes: z.array(programmeView) }),
  }),
  assign: defineContract({
    method: 'POST',
    path: '/api/patients/:patientId/programmes',
    access: 'practitioner',
    tags,
    summary: 'Assign a programme: a new code, emailed to the patient when an email is known (R-PRG-1, R-PRG-2)',
    params: patientProgrammeParams,
    subjects: patientSubject,
    body: programmeBody,
    example: { title: 'Knee after surgery', startDate: '2026-01-05', endDate: '2026-02-15', trackAdherence: true, items: [exampleItem] },
    status: 201,
    response: z.object({ programme: programmeView, emailed: z.boolean() }),
  }),
  get: defineContract({
    method: 'GET',
    path: '/api/programmes/:programmeId',
    access: 'practitioner',
    tags,
    summary: 'One programme',
    params: programmeParams,
    subjects: programmeSubject,
    response: oneProgramme,
  }),
  update: defineContract({
    method: 'PUT',
    path: '/api/programmes/:programmeId',
    access: 'practitioner',
    tags,
    summary: 'Change a programme (its code stays)',
    params: programmeParams,
    subjects: programmeSubject,
    body: programmeBody,
    example: { title: 'Knee after surgery, weeks 3–6', startDate: '2026-01-05', endDate: null, trackAdherence: true, trackPain: true, items: [exampleItem] },
    response: oneProgramme,
  }),
  end: defineContract({
    method: 'POST',
    path: '/api/programmes/:programmeId/end',
    access: 'practitioner',
    tags,
    summary: 'End a programme; the patient keeps a read-only view (R-PRG-3)',
    params: programmeParams,
    subjects: programmeSubject,
    response: oneProgramme,
  }),
  resend: defineContract({
    method: 'POST',
    path: '/api/programmes/:programmeId/resend',
    access: 'practitioner',
    tags,
    summary: 'Email the programme code to the patient again (R-PRG-2)',
    params: programmeParams,
    subjects: programmeSubject,
    response: z.object({ emailed: z.boolean() }),
  }),
  copyToLibrary: defineContract({
    method: 'POST',
    path: '/api/programmes/:programmeId/copy-to-library',
    access: 'practitioner',
    tags,
    summary: "Copy a patient's programme to your library as a template (R-PRG-1)",
    params: programmeParams,
    subjects: programmeSubject,
    status: 201,
    response: oneTemplate,
  }),
  templates: defineContract({
    method: 'GET',
    path: '/api/templates',
    access: 'practitioner',
    tags,
    summary: 'Your programme templates',
    response: z.object({ templates: z.array(libraryTemplateView) }),
  }),
  createTemplate: defineContract({
    method: 'POST',
    path: '/api/templates',
    access: 'practitioner',
    tags,
    summary: 'Save a programme template (R-PRG-1)',
    body: templateBody,
    example: { title: 'Knee, first weeks', trackAdherence: true, trackPain: false, items: [exampleItem] },
    status: 201,
    response: oneTemplate,
  }),
  deleteTemplate: defineContract({
    method: 'DELETE',
    path: '/api/templates/:templateId',
    access: 'practitioner',
    tags,
    summary: 'Delete a template',
    params: templateParams,
    subjects: { templateId: 'template' },
    status: 204,
    response: null,
  }),
  countsForMember: defineContract({
    method: 'GET',
    path: '/api/organisations/:orgId/members/:memberId/programme-counts',
    access: 'org:users',
    tags,
    summary: "A member's active programmes and those a removal disabled (counts only, R-PRA-3, R-PRA-5)",
    params: memberParams,
    response: programmeCountsView,
  }),
  // The patient's page (R-PRG-2): no account; the code and year of birth open it, throttled per address.
  openAsPatient: defineContract({
    method: 'POST',
    path: '/api/programme-view',
    access: 'public',
    tags,
    summary: 'Open a programme with its code and the year of birth (wrong attempts are throttled)',
    body: programmeViewBody,
    example: { code: 'kmpqrstv', yearOfBirth: 1961 },
    // R-PRG-2: the device's own token for this programme, shown once; sent back as a bearer token.
    response: z.object({ programme: patientProgrammeView, deviceToken: z.string() }),
  }),
};
