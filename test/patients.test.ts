import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { verifiedClient } from './support/factories.ts';

// R-PAT-1: a year of birth after this year is refused, by the app's clock, not the machine's.

describe('patients: the year of birth follows the clock', () => {
  let t: TestApp;
  const clock = new ManualClock('2026-12-31T23:40:00Z');
  beforeAll(async () => {
    t = await createTestApp({ clock, runJobs: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('on 31 December 2026 a patient born 2027 is refused; from 1 January 2027 the same request succeeds (R-PAT-1)', async () => {
    const p = await verifiedClient(t, 'Nora Newyear');
    expect((await p.client.post('/api/me/subscription/trial')).statusCode).toBeLessThan(300);
    const body = { firstName: 'Baby', lastName: 'Newyear', yearOfBirth: 2027 };

    const early = await p.client.post('/api/patients', body);
    expect(early.statusCode, early.body).toBe(400);
    expect(early.json().error.code).toBe('validation_failed');
    expect(early.json().error.details.map((d: { path: string }) => d.path)).toEqual(['body.yearOfBirth']);
    expect(await t.database.db.selectFrom('patients').select('id').where('last_name', '=', 'Newyear').execute()).toEqual([]);

    // Twenty minutes later, within the session's idle time: a new year.
    clock.set('2027-01-01T00:00:00Z');
    const late = await p.client.post('/api/patients', body);
    expect(late.statusCode, late.body).toBe(201);
    expect(late.json().patient).toMatchObject({ lastName: 'Newyear', yearOfBirth: 2027 });

    // A change to a later year is refused the same way.
    const later = await p.client.patch(`/api/patients/${late.json().patient.id}`, { yearOfBirth: 2028 });
    expect(later.statusCode, later.body).toBe(400);
    expect(later.json().error.details.map((d: { path: string }) => d.path)).toEqual(['body.yearOfBirth']);
  });
});
