/** Plain helpers of the patient pages: names, labels, the form's values and the request bodies. */
import { normalisePhone } from '../accounts/schemas.ts';
import { emptyToNull } from '../app/forms.ts';
import type { ArchivedFilter, Gender, patientContracts, PatientView } from '../../../src/patients/schemas.ts';
import type { ClientInput } from '../../../src/platform/http/contract.ts';
import type { ProgrammeState } from '../../../src/programmes/schemas.ts';
import type { ColleagueView } from '../../../src/sharing/schemas.ts';
import type { PatientValues } from './schemas.ts';

/** What the form sends, to add a patient and to change one alike (a null clears a field). */
export type PatientBody = Omit<ClientInput<typeof patientContracts.create>['body'], 'organisationId'>;

export const GENDERS: { value: Gender; label: string }[] = [
  { value: 'female', label: 'Female' },
  { value: 'male', label: 'Male' },
  { value: 'diverse', label: 'Diverse' },
  { value: 'unknown', label: 'Unknown' },
];

export function genderLabel(gender: Gender | null): string {
  return GENDERS.find((g) => g.value === gender)?.label ?? 'Not given';
}

export function patientName(patient: Pick<PatientView, 'firstName' | 'lastName'>): string {
  return `${patient.firstName} ${patient.lastName}`;
}

export const ARCHIVED_FILTERS: { value: ArchivedFilter; label: string }[] = [
  { value: 'false', label: 'Current patients' },
  { value: 'true', label: 'Archived' },
  { value: 'all', label: 'All patients' },
];

export function archivedFilter(value: string | null): ArchivedFilter {
  return value === 'true' || value === 'all' ? value : 'false';
}

export interface PatientsParams {
  search: string;
  archived: ArchivedFilter;
  limit: number;
  offset: number;
}

/** The list query: the search only when there is one. */
export function patientsQuery(params: PatientsParams): NonNullable<ClientInput<typeof patientContracts.list>['query']> {
  const search = params.search.trim();
  return { ...(search ? { search } : {}), archived: params.archived, limit: params.limit, offset: params.offset };
}

export const EMPTY_PATIENT: PatientValues = {
  firstName: '',
  lastName: '',
  yearOfBirth: '',
  gender: '',
  email: '',
  mobile: '',
  externalId: '',
  diagnosisCode: '',
  group: '',
};

export function patientValues(patient: PatientView): PatientValues {
  return {
    firstName: patient.firstName,
    lastName: patient.lastName,
    yearOfBirth: String(patient.yearOfBirth),
    gender: patient.gender ?? '',
    email: patient.email ?? '',
    mobile: patient.mobile ?? '',
    externalId: patient.externalId ?? '',
    diagnosisCode: patient.diagnosisCode ?? '',
    group: patient.group ?? '',
  };
}

/** The body for create and update alike: an empty optional field is sent as null (which clears it). */
export function toPatientBody(values: PatientValues): PatientBody {
  return {
    firstName: values.firstName.trim(),
    lastName: values.lastName.trim(),
    yearOfBirth: Number(values.yearOfBirth.trim()),
    gender: values.gender === '' ? null : values.gender,
    email: emptyToNull(values.email),
    mobile: emptyToNull(normalisePhone(values.mobile)),
    externalId: emptyToNull(values.externalId),
    diagnosisCode: emptyToNull(values.diagnosisCode),
    group: emptyToNull(values.group),
  };
}

export function programmeStateLabel(state: ProgrammeState): { label: string; color: string } {
  if (state === 'active') return { label: 'Active', color: 'green' };
  if (state === 'disabled') return { label: 'Paused', color: 'orange' };
  return { label: 'Ended', color: 'gray' };
}

/** What the practitioner reads out to the patient: "k m p q · r s t v". */
export function spelledCode(code: string): string {
  const letters = code.split('');
  return `${letters.slice(0, 4).join(' ')} · ${letters.slice(4).join(' ')}`;
}

/**
 * The colleagues to choose from, once each: the same person may practise with the caller in two
 * organisations; the first one named is kept.
 */
export function colleagueChoices(colleagues: readonly ColleagueView[], exclude: readonly string[] = []): { value: string; label: string }[] {
  const seen = new Set(exclude);
  const choices: { value: string; label: string }[] = [];
  for (const c of colleagues) {
    if (seen.has(c.accountId)) continue;
    seen.add(c.accountId);
    choices.push({ value: c.accountId, label: `${c.name} (${c.organisation})` });
  }
  return choices;
}
