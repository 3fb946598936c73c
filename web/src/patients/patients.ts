/** Plain helpers of the patient pages: names, labels, the form's values and the request bodies. */
import { normalisePhone } from '../accounts/schemas.ts';
import { emptyToNull } from '../app/forms.ts';
import type { ProgrammeState } from '../programmes/types.ts';
import type { PatientValues } from './schemas.ts';
import type { ArchivedFilter, Colleague, Gender, Patient, PatientBody } from './types.ts';

export const GENDERS: { value: Gender; label: string }[] = [
  { value: 'female', label: 'Female' },
  { value: 'male', label: 'Male' },
  { value: 'diverse', label: 'Diverse' },
  { value: 'unknown', label: 'Unknown' },
];

export function genderLabel(gender: Gender | null): string {
  return GENDERS.find((g) => g.value === gender)?.label ?? 'Not given';
}

export function patientName(patient: Pick<Patient, 'firstName' | 'lastName'>): string {
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

export function patientsPath(params: PatientsParams): string {
  const query = new URLSearchParams();
  if (params.search.trim()) query.set('search', params.search.trim());
  query.set('archived', params.archived);
  query.set('limit', String(params.limit));
  query.set('offset', String(params.offset));
  return `/api/patients?${query.toString()}`;
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

export function patientValues(patient: Patient): PatientValues {
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
export function colleagueChoices(colleagues: readonly Colleague[], exclude: readonly string[] = []): { value: string; label: string }[] {
  const seen = new Set(exclude);
  const choices: { value: string; label: string }[] = [];
  for (const c of colleagues) {
    if (seen.has(c.accountId)) continue;
    seen.add(c.accountId);
    choices.push({ value: c.accountId, label: `${c.name} (${c.organisation})` });
  }
  return choices;
}
