/**
 * Motus rows as HL7 FHIR R4 resources (R-INT-5), built without I/O. Decision 16 explains each
 * mapping; test/fhir.test.ts validates what these build against the published R4 JSON schema and
 * a published validator of the R4 structure definitions.
 */
import type { PatientGender, ProgrammeItem, ProgrammeState } from '../platform/db/schema.ts';
import { describeFrequency, describeItem } from '../programmes/describe.ts';

export const FHIR_VERSION = '4.0.1';
export const FHIR_JSON = 'application/fhir+json';

export const LOINC = 'http://loinc.org';
/** LOINC 72514-3: Pain severity - 0-10 verbal numeric rating [Score] - Reported. */
export const PAIN_CODE = '72514-3';
export const PAIN_DISPLAY = 'Pain severity - 0-10 verbal numeric rating [Score] - Reported';
/** Motus's own codes, for what no published code system names (a day's home exercises done). */
export const MOTUS_CODE_SYSTEM = 'urn:motus:fhir:code';
export const SESSION_CODE = 'exercise-session';
export const SESSION_DISPLAY = 'Home exercise session: exercises done';
/** Exercises of the Motus library, as the coding of a CarePlan activity. */
export const EXERCISE_SYSTEM = 'urn:motus:exercise';
/** Motus accounts, for logical references to practitioners (the interface serves no Practitioner resource). */
export const ACCOUNT_SYSTEM = 'urn:motus:account';
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

type Json = Record<string, unknown>;

export interface Reference {
  reference?: string;
  type?: string;
  identifier?: { system: string; value: string };
  display?: string;
}

/**
 * The identifier system of a practice's PMS ids (R-PAT-1: the external id is the PMS's patient
 * id, unique among a practitioner's patients of one practice). A patient recorded without a
 * practice takes its practitioner's system.
 */
export function pmsIdentifierSystem(p: { organisationId: string | null; ownerAccountId: string }): string {
  return p.organisationId ? `urn:motus:organisation:${p.organisationId}:pms` : `urn:motus:account:${p.ownerAccountId}:pms`;
}

/** Which practice an identifier system names, or null for a system that is not Motus's. */
export function practiceOfSystem(system: string): { organisationId: string } | { ownerAccountId: string } | null {
  const m = /^urn:motus:(organisation|account):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):pms$/i.exec(system);
  if (!m) return null;
  const id = m[2]!.toLowerCase();
  return m[1] === 'organisation' ? { organisationId: id } : { ownerAccountId: id };
}

export function patientReference(patientId: string): Reference {
  return { reference: `Patient/${patientId}` };
}

export function practitionerReference(accountId: string, name: string | null): Reference {
  return { type: 'Practitioner', identifier: { system: ACCOUNT_SYSTEM, value: accountId }, ...(name ? { display: name } : {}) };
}

const GENDERS: Record<PatientGender, 'female' | 'male' | 'other' | 'unknown'> = { female: 'female', male: 'male', diverse: 'other', unknown: 'unknown' };

export interface PatientRow {
  id: string;
  owner_account_id: string;
  organisation_id: string | null;
  first_name: string;
  last_name: string;
  year_of_birth: number;
  gender: PatientGender | null;
  email: string | null;
  mobile: string | null;
  external_id: string | null;
  archived_at: Date | null;
  updated_at: Date;
}

/** R-PAT-1: a patient. Only the year of birth is known, which FHIR's date takes at its own precision. */
export function patientResource(p: PatientRow): Json {
  const telecom = [
    ...(p.email ? [{ system: 'email', value: p.email, use: 'home' }] : []),
    ...(p.mobile ? [{ system: 'phone', value: p.mobile, use: 'mobile' }] : []),
  ];
  return {
    resourceType: 'Patient',
    id: p.id,
    meta: { lastUpdated: p.updated_at.toISOString() },
    ...(p.external_id ? { identifier: [{ use: 'usual', system: pmsIdentifierSystem({ organisationId: p.organisation_id, ownerAccountId: p.owner_account_id }), value: p.external_id }] } : {}),
    active: p.archived_at === null,
    name: [{ use: 'official', family: p.last_name, given: [p.first_name] }],
    ...(telecom.length > 0 ? { telecom } : {}),
    ...(p.gender ? { gender: GENDERS[p.gender] } : {}),
    birthDate: String(p.year_of_birth).padStart(4, '0'),
  };
}

export type CarePlanStatus = 'active' | 'on-hold' | 'completed' | 'revoked';

/**
 * R-PRG-3 in FHIR's words: paused (its practitioner's access was removed or their licence lapsed)
 * is on hold; ended by its end date, or ended when it had none, is completed; ended by the
 * practitioner before its end date is revoked.
 */
export function carePlanStatus(state: ProgrammeState, endDate: string | null, endedOn: string | null): CarePlanStatus {
  if (state === 'disabled') return 'on-hold';
  if (state === 'active') return 'active';
  if (endedOn !== null && endDate !== null && endedOn < endDate) return 'revoked';
  return 'completed';
}

const ACTIVITY_STATUS: Record<CarePlanStatus, string> = { active: 'in-progress', 'on-hold': 'on-hold', completed: 'completed', revoked: 'stopped' };
const DAY_CODES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export interface ProgrammeForPlan {
  id: string;
  patient_id: string;
  title: string;
  /** The state as it reads today (a programme past its end date reads as ended). */
  state: ProgrammeState;
  start_date: string;
  end_date: string | null;
  assigned_at: Date;
  updated_at: Date;
  /** The local day the practitioner ended it, if they did. */
  endedOn: string | null;
}

export type PlanItem = ProgrammeItem & { exerciseName: string | null };

/** How often an exercise is due (R-PRG-1), as a FHIR Timing within the programme's dates. */
export function timingOf(item: ProgrammeItem, period: { start: string; end?: string }): Json {
  const repeat: Json = { boundsPeriod: period };
  if (item.weekdays && item.weekdays.length > 0) {
    Object.assign(repeat, { frequency: item.timesPerDay ?? 1, period: 1, periodUnit: 'd', dayOfWeek: [...new Set(item.weekdays)].sort((a, b) => a - b).map((d) => DAY_CODES[d - 1]) });
  } else if (item.daysPerWeek !== null) {
    Object.assign(repeat, { frequency: item.daysPerWeek, period: 1, periodUnit: 'wk' });
  } else {
    Object.assign(repeat, { frequency: item.timesPerDay ?? 1, period: 1, periodUnit: 'd' });
  }
  const text = describeFrequency(item) || 'once a day, every day';
  return { repeat, code: { text } };
}

/** R-PRG-1: a programme as a CarePlan with one activity per exercise: its name, dose and timing. */
export function carePlanResource(p: ProgrammeForPlan, items: PlanItem[], today: string): Json {
  const status = carePlanStatus(p.state, p.end_date, p.endedOn);
  const end = p.endedOn !== null && (p.end_date === null || p.endedOn < p.end_date) ? p.endedOn : p.end_date;
  const period = { start: p.start_date, ...(end !== null ? { end } : {}) };
  const activityStatus = status === 'active' && p.start_date > today ? 'scheduled' : ACTIVITY_STATUS[status];
  return {
    resourceType: 'CarePlan',
    id: p.id,
    meta: { lastUpdated: p.updated_at.toISOString() },
    status,
    intent: 'plan',
    category: [{ text: 'Home exercise programme' }],
    title: p.title,
    subject: patientReference(p.patient_id),
    period,
    created: p.assigned_at.toISOString(),
    // FHIR JSON has no empty arrays: a programme without exercises has no activity element.
    ...(items.length > 0 ? { activity: items.map((item) => {
      const name = item.exerciseName ?? 'Exercise not available';
      const dose = describeItem(item);
      const description = [dose, item.instructions].filter((s): s is string => Boolean(s)).join('. ');
      return {
        detail: {
          code: { coding: [{ system: EXERCISE_SYSTEM, code: item.exerciseId, display: name }], text: name },
          status: activityStatus,
          scheduledTiming: timingOf(item, period),
          ...(description ? { description } : {}),
        },
      };
    }) } : {}),
  };
}

/** The id of a pain Observation: one per pain rating the patient recorded (R-ENG-1). */
export function painObservationId(entryId: string): string {
  return `pain-${entryId}`;
}

/** The id of a session Observation: one per programme and day with exercises done. */
export function sessionObservationId(programmeId: string, day: string): string {
  return `session-${programmeId}-${day.replaceAll('-', '')}`;
}

/** What an Observation id names: a pain rating (an entry) or a day's session of a programme. */
export function parseObservationId(id: string): { kind: 'pain'; entryId: string } | { kind: 'session'; programmeId: string; day: string } | null {
  const pain = /^pain-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(id);
  if (pain) return { kind: 'pain', entryId: pain[1]! };
  const session = /^session-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-(\d{4})(\d{2})(\d{2})$/.exec(id);
  if (!session) return null;
  const day = `${session[2]}-${session[3]}-${session[4]}`;
  const check = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== day) return null;
  return { kind: 'session', programmeId: session[1]!, day };
}

export interface PainRating {
  entryId: string;
  programmeId: string;
  patientId: string;
  day: string;
  pain: number;
  recordedAt: Date;
  updatedAt: Date;
  /** The patient took the entry back: the Observation stays, marked entered-in-error, so a system that copied it learns so. */
  takenBack: boolean;
}

function observationBase(id: string, updatedAt: Date, takenBack: boolean, patientId: string, programmeId: string, day: string): Json {
  return {
    resourceType: 'Observation',
    id,
    meta: { lastUpdated: updatedAt.toISOString() },
    basedOn: [{ reference: `CarePlan/${programmeId}` }],
    status: takenBack ? 'entered-in-error' : 'final',
    subject: patientReference(patientId),
    effectiveDateTime: day,
  };
}

/** R-ENG-1: a pain rating the patient reported on their device (NRS 0–10). */
export function painObservation(r: PainRating): Json {
  const base = observationBase(painObservationId(r.entryId), r.updatedAt, r.takenBack, r.patientId, r.programmeId, r.day);
  return {
    ...base,
    category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'survey', display: 'Survey' }] }],
    code: { coding: [{ system: LOINC, code: PAIN_CODE, display: PAIN_DISPLAY }], text: 'Pain (0–10)' },
    issued: r.recordedAt.toISOString(),
    performer: [patientReference(r.patientId)],
    valueInteger: r.pain,
  };
}

export interface SessionDay {
  programmeId: string;
  patientId: string;
  day: string;
  updatedAt: Date;
  /** Exercises done that day (an entry for the whole session counts every exercise due). */
  exercisesDone: number;
  /** Every exercise done that day was taken back. */
  takenBack: boolean;
}

/** R-ENG-1: a day on which the patient did home exercises, valued by how many exercises were done. */
export function sessionObservation(s: SessionDay): Json {
  return {
    ...observationBase(sessionObservationId(s.programmeId, s.day), s.updatedAt, s.takenBack, s.patientId, s.programmeId, s.day),
    category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'activity', display: 'Activity' }] }],
    code: { coding: [{ system: MOTUS_CODE_SYSTEM, code: SESSION_CODE, display: SESSION_DISPLAY }], text: 'Home exercises done' },
    performer: [patientReference(s.patientId)],
    valueInteger: s.exercisesDone,
  };
}

export interface MessageForCommunication {
  id: string;
  programmeId: string;
  patientId: string;
  author: 'patient' | 'practice';
  /** The practitioner who wrote a practice message, or to whom a patient's message went (the patient's practitioner). */
  practitioner: { accountId: string; name: string | null } | null;
  body: string;
  sentAt: Date;
}

/** R-ENG-5: a message of a programme's thread, either way. */
export function communicationResource(m: MessageForCommunication): Json {
  const practitioner = m.practitioner ? practitionerReference(m.practitioner.accountId, m.practitioner.name) : null;
  const sender = m.author === 'patient' ? patientReference(m.patientId) : practitioner;
  const recipient = m.author === 'patient' ? practitioner : patientReference(m.patientId);
  return {
    resourceType: 'Communication',
    id: m.id,
    meta: { lastUpdated: m.sentAt.toISOString() },
    status: 'completed',
    category: [{ text: 'Home exercise programme message' }],
    subject: patientReference(m.patientId),
    about: [{ reference: `CarePlan/${m.programmeId}` }],
    sent: m.sentAt.toISOString(),
    ...(recipient ? { recipient: [recipient] } : {}),
    ...(sender ? { sender } : {}),
    payload: [{ contentString: m.body }],
  };
}

export interface SearchParamSpec {
  name: string;
  type: 'token' | 'date' | 'reference' | 'string';
  documentation: string;
}

export const LAST_UPDATED: SearchParamSpec = { name: '_lastUpdated', type: 'date', documentation: 'When the resource last changed; prefixes eq, ge, gt, le, lt; may be repeated.' };
const PATIENT: SearchParamSpec = { name: 'patient', type: 'reference', documentation: 'Patient/<id> (or the id); alternatives separated by commas.' };

/** What each resource type can be searched by: the CapabilityStatement and the route contracts both read this. */
export const SEARCH_PARAMS: Record<'Patient' | 'CarePlan' | 'Observation' | 'Communication', SearchParamSpec[]> = {
  Patient: [{ name: 'identifier', type: 'token', documentation: "The PMS's patient id: system|value or the value alone; alternatives separated by commas." }, LAST_UPDATED],
  CarePlan: [PATIENT, LAST_UPDATED],
  Observation: [
    PATIENT,
    { name: 'code', type: 'token', documentation: `${LOINC}|${PAIN_CODE} (pain) or ${MOTUS_CODE_SYSTEM}|${SESSION_CODE} (exercises done per day), or the code alone.` },
    { name: 'date', type: 'date', documentation: 'The day the patient recorded it for: a year, a month or a day, with prefixes eq, ge, gt, le, lt.' },
    LAST_UPDATED,
  ],
  Communication: [PATIENT, LAST_UPDATED],
};

const PROFILES: Record<keyof typeof SEARCH_PARAMS, string> = {
  Patient: 'Patients, by their id or the practice management system\'s patient id.',
  CarePlan: 'Home exercise programmes, one activity per exercise with its dose and timing.',
  Observation: 'Pain ratings the patient reported (LOINC 72514-3) and days with exercises done.',
  Communication: 'Messages between the patient and the practice.',
};

/** The interface's CapabilityStatement (GET [base]/metadata). */
export function capabilityStatement(baseUrl: string): Json {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-12-03',
    publisher: 'Motus',
    kind: 'instance',
    implementation: { description: 'Motus home-exercise programmes: a read-only FHIR R4 interface', url: baseUrl },
    fhirVersion: FHIR_VERSION,
    format: [FHIR_JSON, 'json'],
    rest: [
      {
        mode: 'server',
        documentation: 'Read and search only. Results are ordered by _lastUpdated, then id; pages hold _count entries (1–200, default 50) and link to the next page. Unknown search parameters are refused with 400.',
        security: {
          cors: false,
          description: 'Send a Motus API key as "Authorization: Bearer motus_…". Patient and CarePlan need the scope patients.read; Observation and Communication need engagement.read.',
        },
        resource: (Object.keys(SEARCH_PARAMS) as Array<keyof typeof SEARCH_PARAMS>).map((type) => ({
          type,
          documentation: PROFILES[type],
          interaction: [{ code: 'read' }, { code: 'search-type' }],
          versioning: 'no-version',
          readHistory: false,
          updateCreate: false,
          searchParam: SEARCH_PARAMS[type].map((p) => ({ name: p.name, type: p.type, documentation: p.documentation })),
        })),
      },
    ],
  };
}

/** A page of search results, with the total and the links to this page and the next. */
export function searchsetBundle(opts: { id: string; baseUrl: string; selfUrl: string; nextUrl: string | null; total: number; resources: Json[]; at: Date }): Json {
  return {
    resourceType: 'Bundle',
    id: opts.id,
    meta: { lastUpdated: opts.at.toISOString() },
    type: 'searchset',
    total: opts.total,
    link: [{ relation: 'self', url: opts.selfUrl }, ...(opts.nextUrl ? [{ relation: 'next', url: opts.nextUrl }] : [])],
    ...(opts.resources.length > 0 ? { entry: opts.resources.map((r) => ({ fullUrl: `${opts.baseUrl}/${String(r.resourceType)}/${String(r.id)}`, resource: r, search: { mode: 'match' } })) } : {}),
  };
}
