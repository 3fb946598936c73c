import { describe, expect, it } from 'vitest';
import { completePatientValues } from './patientDraft.ts';
import { EMPTY_PATIENT } from './patients.ts';

describe('the patient form draft (R-SES-2)', () => {
  it('gives back exactly what was typed', () => {
    const typed = { ...EMPTY_PATIENT, firstName: 'Ada', lastName: 'Lovelace', yearOfBirth: '19', gender: 'female' as const, email: 'ada@' };
    expect(completePatientValues(JSON.parse(JSON.stringify(typed)), EMPTY_PATIENT)).toEqual(typed);
  });

  it('fills in what an older or damaged draft lacks, and drops what the form does not know', () => {
    const saved = { ...EMPTY_PATIENT, firstName: 'Grace', group: 'Knees' };
    expect(completePatientValues({ firstName: 'Ada', gender: 'robot', yearOfBirth: 1961, extra: 'x' }, saved)).toEqual({ ...saved, firstName: 'Ada' });
    expect(completePatientValues(null, saved)).toEqual(saved);
  });
});
