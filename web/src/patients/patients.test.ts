import { describe, expect, it } from 'vitest';
import type { PatientView } from '../../../src/patients/schemas.ts';
import { queryString } from '../app/api.ts';
import { archivedFilter, colleagueChoices, EMPTY_PATIENT, patientsQuery, patientValues, programmeStateLabel, spelledCode, toPatientBody } from './patients.ts';
import { patientSchema } from './schemas.ts';

const patient: PatientView = {
  id: 'p1',
  firstName: 'Petra',
  lastName: 'Patient',
  yearOfBirth: 1961,
  gender: null,
  email: 'petra@example.org',
  mobile: null,
  externalId: 'PMS-1',
  diagnosisCode: null,
  group: null,
  archived: false,
  own: true,
  organisationId: null,
  createdAt: '2026-11-22T10:00:00Z',
  updatedAt: '2026-11-22T10:00:00Z',
};

describe('patient form values', () => {
  it('round-trips a patient, sending empty optional fields as null', () => {
    expect(toPatientBody(patientValues(patient))).toEqual({
      firstName: 'Petra',
      lastName: 'Patient',
      yearOfBirth: 1961,
      gender: null,
      email: 'petra@example.org',
      mobile: null,
      externalId: 'PMS-1',
      diagnosisCode: null,
      group: null,
    });
  });

  it('trims text and drops the spaces people type in phone numbers', () => {
    const body = toPatientBody({ ...EMPTY_PATIENT, firstName: ' Ann ', lastName: 'Lee ', yearOfBirth: ' 1990', mobile: '+44 7700 900-123', gender: 'female' });
    expect(body).toMatchObject({ firstName: 'Ann', lastName: 'Lee', yearOfBirth: 1990, mobile: '+447700900123', gender: 'female', email: null });
  });

  it('checks the year of birth, the email and the mobile like the server', () => {
    const problems = (values: Partial<typeof EMPTY_PATIENT>) => {
      const result = patientSchema.safeParse({ ...EMPTY_PATIENT, firstName: 'A', lastName: 'B', yearOfBirth: '1980', ...values });
      return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
    };
    expect(problems({})).toEqual([]);
    expect(problems({ yearOfBirth: '80' })).toEqual(['yearOfBirth']);
    expect(problems({ yearOfBirth: '1899' })).toEqual(['yearOfBirth']);
    expect(problems({ email: 'not-an-email' })).toEqual(['email']);
    expect(problems({ mobile: '07700 900123' })).toEqual(['mobile']);
    expect(problems({ firstName: ' ' })).toEqual(['firstName']);
  });
});

describe('helpers', () => {
  it('builds the list address with the search only when there is one', () => {
    expect(queryString(patientsQuery({ search: ' pet ', archived: 'all', limit: 20, offset: 40 }))).toBe('search=pet&archived=all&limit=20&offset=40');
    expect(queryString(patientsQuery({ search: '', archived: 'false', limit: 20, offset: 0 }))).toBe('archived=false&limit=20&offset=0');
    expect(archivedFilter('nonsense')).toBe('false');
    expect(archivedFilter('true')).toBe('true');
  });

  it('spells a code in two groups of four to read out', () => {
    expect(spelledCode('kmpqrstv')).toBe('k m p q · r s t v');
  });

  it('names programme states', () => {
    expect(programmeStateLabel('disabled')).toEqual({ label: 'Paused', color: 'orange' });
  });

  it('lists each colleague once, leaving out those excluded', () => {
    const c = (accountId: string, organisation: string) => ({ accountId, name: `N${accountId}`, email: `${accountId}@x.org`, organisationId: organisation, organisation });
    expect(colleagueChoices([c('a', 'Clinic'), c('b', 'Clinic'), c('a', 'Other')], ['b'])).toEqual([{ value: 'a', label: 'Na (Clinic)' }]);
  });
});
