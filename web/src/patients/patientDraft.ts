/**
 * The patient form's draft (R-SES-2): a new patient is kept under one key, a change per patient.
 * A restored draft may come from an older form, so every field is read with care.
 */
import type { PatientValues } from './schemas.ts';

export const NEW_PATIENT_DRAFT = { editor: 'patient', key: 'new' } as const;
export const EDIT_PATIENT_DRAFT = 'patient-edit';

const GENDER_VALUES: readonly PatientValues['gender'][] = ['', 'female', 'male', 'diverse', 'unknown'];

/** The draft as full form values: a missing or unreadable field keeps the value of `fallback`. */
export function completePatientValues(data: unknown, fallback: PatientValues): PatientValues {
  const d = data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  const text = (key: Exclude<keyof PatientValues, 'gender'>) => (typeof d[key] === 'string' ? (d[key] as string) : fallback[key]);
  const gender = GENDER_VALUES.find((g) => g === d.gender) ?? fallback.gender;
  return {
    firstName: text('firstName'),
    lastName: text('lastName'),
    yearOfBirth: text('yearOfBirth'),
    gender,
    email: text('email'),
    mobile: text('mobile'),
    externalId: text('externalId'),
    diagnosisCode: text('diagnosisCode'),
    group: text('group'),
  };
}
