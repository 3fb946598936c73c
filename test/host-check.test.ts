import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { routeRecords } from '../src/platform/http/access.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { Client, GOOD_PASSWORD } from './support/client.ts';

// A DNS-rebinding page (its own name pointed at 127.0.0.1) sends its own name as Host: every
// request must name this server's host (PUBLIC_URL, ALLOWED_HOSTS, or a loopback name on a
// loopback listener), or it is answered 421 in the error body of SPEC section 12. The development
// mailbox, which shows every emailed link, exists only on a loopback listener.

let t: TestApp;
beforeAll(async () => {
  // HOST defaults to 127.0.0.1 and PUBLIC_URL is http://localhost:3000; the mailbox is on.
  t = await createTestApp({ runJobs: false });
});
afterAll(async () => {
  await t?.close();
});

const inject = (app: TestApp, host: string, url: string, method: 'GET' | 'POST' = 'GET', body?: unknown, headers: Record<string, string> = {}) =>
  app.app.inject({
    method,
    url,
    headers: { host, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });

function expectMisdirected(res: { statusCode: number; json(): unknown }) {
  expect(res.statusCode).toBe(421);
  const body = res.json() as { error: { code: string; message: string }; requestId: string };
  expect(body).toEqual({ error: { code: 'misdirected_request', message: expect.stringContaining('http://localhost:3000') }, requestId: expect.any(String) });
}

describe('the Host header on a loopback listener', () => {
  it('a rebinding page cannot read the development mailbox: another host gets 421 and no mail', async () => {
    const { email } = await new Client(t.app).signUp();
    for (const host of ['attacker.example', 'attacker.example:3000', 'localhost.attacker.example:3000', 'localhost:3000@attacker.example', '10.0.0.7:3000']) {
      const res = await inject(t, host, `/api/dev/mailbox?to=${encodeURIComponent(email)}`);
      expectMisdirected(res);
      expect(res.body).not.toContain('verify-email');
    }
    for (const host of ['localhost:3000', 'LOCALHOST:3000', 'localhost', '127.0.0.1:3000', '[::1]:3000', 'localhost:80']) {
      const res = await inject(t, host, `/api/dev/mailbox?to=${encodeURIComponent(email)}`);
      expect(res.statusCode, host).toBe(200);
      expect(res.json().messages).toHaveLength(1);
    }
  });

  it('a write sent through another host is refused before it runs, even when Origin matches that host', async () => {
    const { email } = await new Client(t.app).signUp();
    const res = await inject(t, 'attacker.example:3000', '/api/auth/sign-in', 'POST', { email, password: GOOD_PASSWORD }, { origin: 'http://attacker.example:3000' });
    expectMisdirected(res);
    expect(res.headers['set-cookie']).toBeUndefined();
    // An unknown address under another host is the same refusal, not a 404 that tells routes apart.
    expectMisdirected(await inject(t, 'attacker.example', '/api/no-such-route'));
    // The same request through this server's own name works.
    expect((await inject(t, 'localhost:3000', '/api/auth/sign-in', 'POST', { email, password: GOOD_PASSWORD }, { origin: 'http://localhost:3000' })).statusCode).toBe(200);
  });

  it('liveness is answered whatever the Host, and holds nothing', async () => {
    const res = await inject(t, '10.1.2.3:3000', '/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('over a real socket: Host names another site → 421, Host localhost → 200', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const { port } = t.app.server.address() as AddressInfo;
      const get = (host: string) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = http.request({ host: '127.0.0.1', port, path: '/api/dev/mailbox', headers: { host } }, (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          });
          req.on('error', reject);
          req.end();
        });
      const rebound = await get(`rebind.attacker.example:${port}`);
      expect(rebound.status).toBe(421);
      expect(JSON.parse(rebound.body).error.code).toBe('misdirected_request');
      expect((await get(`localhost:${port}`)).status).toBe(200);
    } finally {
      await t.app.server.close();
    }
  });
});

describe('the Host header on a listener open to the network', () => {
  let exposed: TestApp;
  beforeAll(async () => {
    exposed = await createTestApp({ runJobs: false, env: { HOST: '0.0.0.0', PUBLIC_URL: 'https://motus.example.org', ALLOWED_HOSTS: 'motus.internal:3000, backend.example.org' } });
  });
  afterAll(async () => {
    await exposed?.close();
  });

  it("answers PUBLIC_URL's host and the allowed hosts only; loopback names are refused there", async () => {
    for (const host of ['motus.example.org', 'MOTUS.example.org', 'motus.example.org:443', 'motus.internal:3000', 'backend.example.org', 'backend.example.org:8080']) {
      expect((await inject(exposed, host, '/api/session')).statusCode, host).toBe(401);
    }
    for (const host of ['localhost', 'localhost:3000', '127.0.0.1:3000', 'motus.example.org:8443', 'motus.internal:4000', 'motus.internal', 'attacker.example']) {
      const res = await inject(exposed, host, '/api/session');
      expect(res.statusCode, host).toBe(421);
      expect(res.json().error.message).toContain('https://motus.example.org');
    }
  });

  it('keeps the development mailbox off', async () => {
    expect(exposed.config.devMailbox).toBe(false);
    expect((routeRecords.get(exposed.app) ?? []).map((r) => r.url)).not.toContain('/api/dev/mailbox');
    expect((await inject(exposed, 'motus.example.org', '/api/dev/mailbox')).statusCode).toBe(404);
  });
});

describe('the development mailbox needs a loopback listener', () => {
  it('is off by default when HOST exposes the server, even with a local PUBLIC_URL', () => {
    expect(loadConfig({ HOST: '0.0.0.0', PUBLIC_URL: 'http://localhost:3000' }).devMailbox).toBe(false);
    expect(loadConfig({ HOST: '::', PUBLIC_URL: 'http://localhost:3000' }).devMailbox).toBe(false);
    expect(loadConfig({ HOST: '192.168.1.20' }).devMailbox).toBe(false);
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost']) expect(loadConfig({ HOST: host }).devMailbox, host).toBe(true);
  });

  it('DEV_MAILBOX=true with a HOST beyond loopback stops start-up, naming both', () => {
    let error: unknown;
    try {
      loadConfig({ HOST: '0.0.0.0', DEV_MAILBOX: 'true' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^DEV_MAILBOX: .*loopback.*"0\.0\.0\.0"/)]);
    expect(loadConfig({ HOST: '::1', DEV_MAILBOX: 'true' }).devMailbox).toBe(true);
  });

  it('a configuration built by hand that asks for it on an open listener gets no mailbox', async () => {
    const app = await createTestApp({ runJobs: false, config: { devMailbox: true, listensOnLoopback: false, host: '0.0.0.0' } });
    try {
      expect((routeRecords.get(app.app) ?? []).map((r) => r.url)).not.toContain('/api/dev/mailbox');
    } finally {
      await app.close();
    }
  });

  it('ALLOWED_HOSTS must hold host names', () => {
    expect(() => loadConfig({ ALLOWED_HOSTS: 'https://motus.example.org/' })).toThrow(/ALLOWED_HOSTS/);
    expect(loadConfig({ ALLOWED_HOSTS: 'A.example.org, b.example.org:8080,' }).allowedHosts).toEqual(['a.example.org', 'b.example.org:8080']);
  });
});
