import { describe, expect, it } from 'vitest';
import { ValidationError } from '../platform/errors.ts';
import { dayWindow, decodeCursor, encodeCursor, referenceIds, spanOf, timeWindow, tokens } from './search.ts';

// R-INT-5: FHIR search parameters as a PMS sends them.

const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('FHIR dates and their prefixes', () => {
  it('a value names a span at its own precision, in UTC unless it carries a zone', () => {
    expect(spanOf('d', '2026')).toEqual({ start: new Date('2026-01-01T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z') });
    expect(spanOf('d', '2026-02')).toEqual({ start: new Date('2026-02-01T00:00:00Z'), end: new Date('2026-03-01T00:00:00Z') });
    expect(spanOf('d', '2026-12-31')).toEqual({ start: new Date('2026-12-31T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z') });
    expect(spanOf('d', '2026-12-02T10:15+01:00')).toEqual({ start: new Date('2026-12-02T09:15:00Z'), end: new Date('2026-12-02T09:16:00Z') });
    expect(spanOf('d', '2026-12-02T10:15:30Z').end).toEqual(new Date('2026-12-02T10:15:31Z'));
    expect(spanOf('d', '2026-12-02T10:15:30.25Z')).toEqual({ start: new Date('2026-12-02T10:15:30.250Z'), end: new Date('2026-12-02T10:15:30.251Z') });
  });

  it('refuses what is no date, naming the parameter', () => {
    for (const bad of ['yesterday', '2026-13-01', '2026-02-30', '2026-12-02T24:00Z', '2026-12-02T10:15+15:00', '26-12-02', '2026-12-02 10:15', '']) {
      let err: unknown;
      try {
        spanOf('_lastUpdated', bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).details).toEqual([expect.objectContaining({ path: 'query._lastUpdated' })]);
    }
  });

  it('_lastUpdated: ge and lt take the span’s start, gt and le its end, eq both; repeats narrow the window', () => {
    const w = (raw: string | string[]) => {
      const r = timeWindow('_lastUpdated', raw);
      return [iso(r.from), iso(r.before)];
    };
    expect(w('2026-12-02')).toEqual(['2026-12-02T00:00:00.000Z', '2026-12-03T00:00:00.000Z']);
    expect(w('ge2026-12-02')).toEqual(['2026-12-02T00:00:00.000Z', null]);
    expect(w('gt2026-12-02')).toEqual(['2026-12-03T00:00:00.000Z', null]);
    expect(w('lt2026-12-02')).toEqual([null, '2026-12-02T00:00:00.000Z']);
    expect(w('le2026-12')).toEqual([null, '2027-01-01T00:00:00.000Z']);
    expect(w(['ge2026-11', 'ge2026-12-02', 'lt2027', 'le2026-12-05'])).toEqual(['2026-12-02T00:00:00.000Z', '2026-12-06T00:00:00.000Z']);
    expect(() => timeWindow('_lastUpdated', ['ge2026', 'ge2026', 'ge2026', 'ge2026', 'ge2026'])).toThrow(ValidationError);
    expect(() => timeWindow('_lastUpdated', 'ne2026')).toThrow(ValidationError);
  });

  it('date of an Observation: calendar days, from a year, a month or a day', () => {
    expect(dayWindow('date', '2026-12-02')).toEqual({ from: '2026-12-02', to: '2026-12-02' });
    expect(dayWindow('date', '2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(dayWindow('date', 'gt2026-12-02')).toEqual({ from: '2026-12-03', to: null });
    expect(dayWindow('date', 'lt2026-12-02')).toEqual({ from: null, to: '2026-12-01' });
    expect(dayWindow('date', ['ge2026', 'le2026-03-01'])).toEqual({ from: '2026-01-01', to: '2026-03-01' });
    expect(() => dayWindow('date', '2026-12-02T10:00Z')).toThrow(ValidationError);
  });
});

describe('tokens, references and cursors', () => {
  it('identifier and code: value, system|value, |value, system|, alternatives; "|" alone and empty alternatives are refused', () => {
    expect(tokens('identifier', 'A-1,urn:x|B-2,|C-3,urn:y|')).toEqual([
      { system: null, noSystem: false, value: 'A-1' },
      { system: 'urn:x', noSystem: false, value: 'B-2' },
      { system: null, noSystem: true, value: 'C-3' },
      { system: 'urn:y', noSystem: false, value: null },
    ]);
    expect(tokens('identifier', undefined)).toBeNull();
    for (const bad of ['|', 'a,,b', ',']) expect(() => tokens('identifier', bad), bad).toThrow(ValidationError);
    expect(() => tokens('identifier', ['a', 'b'])).toThrow(ValidationError);
  });

  it('patient: Patient/<id> or the id; ids that are no Motus id match nothing; another resource type is refused', () => {
    const id = '0b0c4f1e-7a3d-4c55-9d1e-2f3a4b5c6d7e';
    expect(referenceIds('patient', `Patient/${id},${id.toUpperCase()},42,http://x/fhir/Patient/${id}`, 'Patient')).toEqual([id, id, id]);
    expect(referenceIds('patient', 'abc', 'Patient')).toEqual([]);
    expect(() => referenceIds('patient', `Practitioner/${id}`, 'Patient')).toThrow(ValidationError);
  });

  it('a cursor comes back as it was given; anything else is a 400 on the cursor', () => {
    const place = { at: '2026-12-02T12:00:00.123456Z', key: 'session-0b0c4f1e-7a3d-4c55-9d1e-2f3a4b5c6d7e-20261202' };
    expect(decodeCursor(encodeCursor(place))).toEqual(place);
    expect(decodeCursor(undefined)).toBeNull();
    const forged = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const bad of ['***', forged([1]), forged({ u: 'today', k: 'a' }), forged({ u: place.at, k: "a' or 1=1" }), forged({ u: place.at, k: 'x'.repeat(101) }), forged({ u: place.at })]) {
      let err: unknown;
      try {
        decodeCursor(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).details).toEqual([expect.objectContaining({ path: 'query.cursor', code: 'invalid_cursor' })]);
    }
  });
});
