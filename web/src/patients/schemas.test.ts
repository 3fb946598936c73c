import { describe, expect, it } from 'vitest';
import { EMPTY_PATIENT } from './patients.ts';
import { patientSchemaAt } from './schemas.ts';

// R-PAT-1: the form's latest year of birth is the server's (src/patients/schemas.ts latestYearOfBirth).
describe('patient form: year of birth', () => {
  const lastDayOf2026 = () => new Date('2026-12-31T23:59:00Z');
  const yearProblem = (now: () => Date, yearOfBirth: string) => {
    const result = patientSchemaAt(now).safeParse({ ...EMPTY_PATIENT, firstName: 'Ada', lastName: 'Lee', yearOfBirth });
    return result.success ? null : (result.error.issues.find((issue) => issue.path.join('.') === 'yearOfBirth')?.message ?? null);
  };

  it('accepts this year and refuses next year', () => {
    expect(yearProblem(lastDayOf2026, '2026')).toBeNull();
    expect(yearProblem(lastDayOf2026, '2027')).toBe('A year from 1900 to 2026.');
  });

  it('moves on with the clock: next year is accepted once it has begun', () => {
    expect(yearProblem(() => new Date('2027-01-01T00:00:00Z'), '2027')).toBeNull();
  });
});
