import type { LightMyRequestResponse } from 'fastify';
import type { ApiScope } from '../../src/platform/http/contract.ts';
import type { TestApp } from './app.ts';
import type { Client } from './client.ts';

const ALL_PRACTITIONER_SCOPES: ApiScope[] = ['patients.read', 'patients.write', 'programmes.assign', 'engagement.read'];

/** A practitioner's API key (R-INT-3), made through the API with the practitioner's session; answers the key. */
export async function createApiKey(t: TestApp, practitioner: Client, opts: { scopes?: ApiScope[]; organisationId?: string | null; name?: string; expiresAt?: string | null } = {}): Promise<string> {
  void t;
  const res = await practitioner.post('/api/me/api-keys', {
    name: opts.name ?? 'Test PMS',
    scopes: opts.scopes ?? ALL_PRACTITIONER_SCOPES,
    expiresAt: opts.expiresAt ?? null,
    organisationId: opts.organisationId ?? null,
  });
  if (res.statusCode !== 201) throw new Error(`api key: ${res.statusCode} ${res.body}`);
  return res.json().token as string;
}

/** An organisation's console key (console.read), made by its owner or a Users admin. */
export async function createOrgApiKey(admin: Client, orgId: string, name = 'Reporting'): Promise<string> {
  const res = await admin.post(`/api/organisations/${orgId}/api-keys`, { name, expiresAt: null });
  if (res.statusCode !== 201) throw new Error(`org api key: ${res.statusCode} ${res.body}`);
  return res.json().token as string;
}

/** A system calling Motus with an API key, as a PMS would: no cookies, no CSRF token. */
export class ApiKeyClient {
  readonly t: TestApp;
  key: string;
  readonly ip: string;
  constructor(t: TestApp, key: string, opts: { ip?: string } = {}) {
    this.t = t;
    this.key = key;
    this.ip = opts.ip ?? '198.51.100.20';
  }

  request(method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.t.app.inject({
      method,
      url,
      remoteAddress: this.ip,
      headers: { authorization: `Bearer ${this.key}`, 'user-agent': 'TestPMS/1.0', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
  }
  get(url: string, headers?: Record<string, string>) {
    return this.request('GET', url, undefined, headers);
  }
  put(url: string, body: unknown, headers?: Record<string, string>) {
    return this.request('PUT', url, body, headers);
  }
  post(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('POST', url, body, headers);
  }
  delete(url: string) {
    return this.request('DELETE', url);
  }
}
