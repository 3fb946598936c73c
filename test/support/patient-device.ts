import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from './app.ts';
import type { Client } from './client.ts';

/** A patient's phone (R-PRG-2): opens a programme with its code and year of birth, then sends its token. */
export class PatientDevice {
  token: string | undefined;
  readonly t: TestApp;
  readonly ip: string;
  constructor(t: TestApp, opts: { ip?: string } = {}) {
    this.t = t;
    this.ip = opts.ip ?? '192.0.2.44';
  }

  async open(code: string, yearOfBirth: number): Promise<LightMyRequestResponse> {
    const res = await this.t.app.inject({ method: 'POST', url: '/api/programme-view', remoteAddress: this.ip, headers: { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1' }, payload: { code, yearOfBirth } });
    if (res.statusCode === 200) this.token = res.json().deviceToken;
    return res;
  }

  request(method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, body?: unknown): Promise<LightMyRequestResponse> {
    return this.t.app.inject({
      method,
      url,
      remoteAddress: this.ip,
      headers: { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
  }

  get(url: string) {
    return this.request('GET', url);
  }
  put(url: string, body: unknown) {
    return this.request('PUT', url, body);
  }
  post(url: string, body?: unknown) {
    return this.request('POST', url, body);
  }
  delete(url: string) {
    return this.request('DELETE', url);
  }
}

/** A patient of `practitioner` with a programme of `exercises` stock exercises, starting on the clock's day. */
export async function patientWithProgramme(
  t: TestApp,
  practitioner: Client,
  opts: { exercises?: number; trackPain?: boolean; yearOfBirth?: number; items?: Record<string, unknown>[]; painAlertAt?: number; inactivityAlertDays?: number | null; startDate?: string } = {},
) {
  const yearOfBirth = opts.yearOfBirth ?? 1958;
  const stock = (await practitioner.get(`/api/exercises?source=stock&limit=${opts.exercises ?? 2}`)).json().exercises as Array<{ id: string; name: string }>;
  const patient = await practitioner.post('/api/patients', { firstName: 'Edith', lastName: 'Engaged', yearOfBirth, email: `edith.${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 8)}@example.org` });
  if (patient.statusCode !== 201) throw new Error(`patient: ${patient.body}`);
  const patientId = patient.json().patient.id as string;
  const startDate = opts.startDate ?? t.clock.now().toISOString().slice(0, 10);
  const items = opts.items ?? stock.map((e) => ({ exerciseId: e.id, sets: 3, reps: 10 }));
  const assigned = await practitioner.post(`/api/patients/${patientId}/programmes`, {
    title: 'Knee strength',
    startDate,
    trackAdherence: true,
    trackPain: opts.trackPain ?? true,
    ...(opts.painAlertAt !== undefined ? { painAlertAt: opts.painAlertAt } : {}),
    ...(opts.inactivityAlertDays !== undefined ? { inactivityAlertDays: opts.inactivityAlertDays } : {}),
    items,
  });
  if (assigned.statusCode !== 201) throw new Error(`programme: ${assigned.body}`);
  const programme = assigned.json().programme as { id: string; code: string };
  return { patientId, programme, yearOfBirth, exercises: stock };
}
