import { describe, expect, it } from 'vitest';
import { fhirProblems } from '../../test/support/fhir-validator.ts';
import { operationOutcome } from './outcome.ts';
import {
  carePlanResource,
  carePlanStatus,
  communicationResource,
  painObservation,
  parseObservationId,
  patientResource,
  pmsIdentifierSystem,
  practiceOfSystem,
  searchsetBundle,
  sessionObservation,
  sessionObservationId,
  timingOf,
} from './resources.ts';

// R-INT-5: the mappings of decision 16, and the edges the integration test does not reach, each
// built resource accepted by HL7's R4 JSON schema and the R4 structure definitions.

const P = '0b0c4f1e-7a3d-4c55-9d1e-2f3a4b5c6d7e';
const G = '1c1d5a2f-8b4e-4d66-8e2f-3a4b5c6d7e8f';
const A = '2d2e6b3a-9c5f-4e77-9f3a-4b5c6d7e8f90';
const at = new Date('2026-12-02T12:00:00.000Z');
const item = { exerciseId: G, sets: 3, reps: 10, durationSeconds: null, holdSeconds: null, restSeconds: null, timesPerDay: null, daysPerWeek: null, weekdays: null, instructions: null };
const programme = { id: G, patient_id: P, title: 'Knee', state: 'active' as const, start_date: '2026-11-30', end_date: null, assigned_at: at, updated_at: at, endedOn: null };

function valid(resource: Record<string, unknown>) {
  expect(fhirProblems(resource), JSON.stringify(resource)).toEqual([]);
  return resource;
}

describe('FHIR resources built from Motus rows', () => {
  it('a patient with nothing optional: no identifier, telecom or gender, the year of birth as the date', () => {
    const p = valid(patientResource({ id: P, owner_account_id: A, organisation_id: null, first_name: 'Ann', last_name: 'Bo', year_of_birth: 1931, gender: null, email: null, mobile: null, external_id: null, archived_at: at, updated_at: at }));
    expect(p).toEqual({ resourceType: 'Patient', id: P, meta: { lastUpdated: at.toISOString() }, active: false, name: [{ use: 'official', family: 'Bo', given: ['Ann'] }], birthDate: '1931' });
  });

  it('a PMS id system names its practice, or the practitioner of a patient without one, and reads back', () => {
    expect(practiceOfSystem(pmsIdentifierSystem({ organisationId: G, ownerAccountId: A }))).toEqual({ organisationId: G });
    expect(practiceOfSystem(pmsIdentifierSystem({ organisationId: null, ownerAccountId: A }))).toEqual({ ownerAccountId: A });
    expect(practiceOfSystem('http://example.org/mrn')).toBeNull();
    expect(practiceOfSystem(`urn:motus:organisation:${G}:pms:x`)).toBeNull();
  });

  it('programme states: paused is on hold, ended early is revoked, ended at or without an end date is completed (R-PRG-3)', () => {
    expect(carePlanStatus('active', null, null)).toBe('active');
    expect(carePlanStatus('disabled', '2026-12-31', null)).toBe('on-hold');
    expect(carePlanStatus('ended', '2026-12-31', '2026-12-10')).toBe('revoked');
    expect(carePlanStatus('ended', '2026-12-31', '2026-12-31')).toBe('completed');
    expect(carePlanStatus('ended', null, '2026-12-10')).toBe('completed');
    // Past its end date (effectiveState reads it as ended; the practitioner never ended it).
    expect(carePlanStatus('ended', '2026-12-01', null)).toBe('completed');
  });

  it('a revoked plan ends on the day it was ended, its activities stopped; one not started yet is scheduled; one without exercises has no activity', () => {
    const revoked = valid(carePlanResource({ ...programme, state: 'ended', end_date: '2026-12-31', endedOn: '2026-12-10' }, [{ ...item, exerciseName: null }], '2026-12-11'));
    expect(revoked).toMatchObject({ status: 'revoked', period: { start: '2026-11-30', end: '2026-12-10' }, activity: [{ detail: { status: 'stopped', code: { text: 'Exercise not available' } } }] });
    const future = valid(carePlanResource({ ...programme, start_date: '2026-12-20' }, [{ ...item, exerciseName: 'Squat' }], '2026-12-11'));
    expect(future).toMatchObject({ activity: [{ detail: { status: 'scheduled' } }] });
    expect(valid(carePlanResource(programme, [], '2026-12-11')).activity).toBeUndefined();
  });

  it('timing: chosen weekdays with times a day, days per week, or once every day', () => {
    const period = { start: '2026-11-30' };
    expect(timingOf({ ...item, weekdays: [7, 1, 1], timesPerDay: 3 }, period)).toEqual({ repeat: { boundsPeriod: period, frequency: 3, period: 1, periodUnit: 'd', dayOfWeek: ['mon', 'sun'] }, code: { text: expect.stringContaining('3 times a day') } });
    expect(timingOf({ ...item, daysPerWeek: 4, timesPerDay: 2 }, period).repeat).toMatchObject({ frequency: 4, period: 1, periodUnit: 'wk' });
    expect(timingOf(item, period)).toEqual({ repeat: { boundsPeriod: period, frequency: 1, period: 1, periodUnit: 'd' }, code: { text: 'once a day, every day' } });
  });

  it('observation ids read back; a day that does not exist is no id', () => {
    expect(parseObservationId(sessionObservationId(G, '2026-02-28'))).toEqual({ kind: 'session', programmeId: G, day: '2026-02-28' });
    expect(parseObservationId(`pain-${P}`)).toEqual({ kind: 'pain', entryId: P });
    for (const bad of [`session-${G}-20260230`, `session-${G}-2026022`, `pain-${P}x`, `PAIN-${P}`, 'pain-']) expect(parseObservationId(bad), bad).toBeNull();
  });

  it('observations and a message without a practitioner are valid R4', () => {
    valid(painObservation({ entryId: P, programmeId: G, patientId: P, day: '2026-12-02', pain: 0, recordedAt: at, updatedAt: at, takenBack: true }));
    valid(sessionObservation({ programmeId: G, patientId: P, day: '2026-12-02', updatedAt: at, exercisesDone: 0, takenBack: true }));
    const m = valid(communicationResource({ id: P, programmeId: G, patientId: P, author: 'patient', practitioner: null, body: 'Hello', sentAt: at }));
    expect(m.recipient).toBeUndefined();
  });

  it('an empty searchset has a total and no entries; an OperationOutcome names each field', () => {
    valid(searchsetBundle({ id: P, baseUrl: 'http://localhost/fhir/R4', selfUrl: 'http://localhost/fhir/R4/Patient?_count=50', nextUrl: null, total: 0, resources: [], at }));
    const oo = valid(operationOutcome({ status: 400, code: 'validation_failed', message: 'x', details: [{ path: 'query.name', code: 'unknown_field', message: 'Unknown field.' }, { path: 'query._count', code: 'too_big', message: 'At most 200.' }], requestId: P }));
    expect(oo.issue).toEqual([
      { severity: 'error', code: 'not-supported', details: { coding: [{ system: 'urn:motus:error', code: 'validation_failed' }], text: 'Unknown field.' }, diagnostics: 'query.name: this search parameter is not supported here' },
      { severity: 'error', code: 'invalid', details: { coding: [{ system: 'urn:motus:error', code: 'validation_failed' }], text: 'At most 200.' }, diagnostics: 'query._count: At most 200.' },
    ]);
    for (const [status, code, type] of [[401, 'api_key_expired', 'expired'], [401, 'unauthenticated', 'login'], [402, 'payment_required', 'business-rule'], [403, 'api_key_scope', 'forbidden'], [404, 'not_found', 'not-found'], [429, 'rate_limited', 'throttled'], [500, 'internal_error', 'exception']] as const) {
      expect(valid(operationOutcome({ status, code, message: 'm', requestId: 'not a fhir id!' })).issue).toEqual([expect.objectContaining({ code: type })]);
    }
  });

  it('the validators refuse what R4 does not allow (the checks can fail)', () => {
    expect(fhirProblems({ resourceType: 'Patient', birthDate: '58', gender: 'diverse' }).length).toBeGreaterThan(0);
    expect(fhirProblems({ resourceType: 'Observation', status: 'final', valueInteger: 3 }).some((p) => p.includes('Observation.code'))).toBe(true);
    expect(fhirProblems({ resourceType: 'Bundle', type: 'searchset', entry: [] })).toEqual(['json: entry is an empty array']);
    expect(fhirProblems({ resourceType: 'CarePlan', status: 'active', intent: 'plan', subject: { reference: 'Patient/1' }, activity: [{ reference: { reference: 'Task/1' }, detail: { status: 'in-progress' } }] }).length).toBeGreaterThan(0);
  });
});
