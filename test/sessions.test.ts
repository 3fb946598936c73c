import { createHash } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, GOOD_PASSWORD, uniqueEmail } from './support/client.ts';
import { createTestApp, type TestApp } from './support/app.ts';

const MINUTE = 60 * 1000;

const LINUX_CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';
const WINDOWS_FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** The Set-Cookie header of the session cookie in a response, or undefined. */
function sessionSetCookie(res: LightMyRequestResponse): string | undefined {
  const raw = res.headers['set-cookie'];
  const all = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return all.find((c) => c.startsWith('motus_session='));
}

function tokenOf(cookie: string | undefined): string {
  const value = cookie?.split(';')[0]?.split('=')[1];
  if (!value) throw new Error(`no session cookie in ${cookie}`);
  return decodeURIComponent(value);
}

async function liveSessions(accountId: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from sessions where account_id = ${accountId} and ended_at is null`.execute(t.database.db);
  return r.rows[0]!.n;
}

describe('single active session (R-SES-1)', () => {
  it('a sign-in from client B ends client A: A is told when, from where and with which browser', async () => {
    const a = new Client(t.app, { userAgent: LINUX_CHROME, ip: '198.51.100.10' });
    const { email, account } = await a.signUp();
    expect((await a.get('/api/session')).statusCode).toBe(200);

    t.clock.advance(5 * MINUTE);
    const signedInAt = t.clock.now().toISOString();
    const b = new Client(t.app, { userAgent: WINDOWS_FIREFOX, ip: '203.0.113.77' });
    const signIn = await b.signIn(email);
    expect(signIn.statusCode).toBe(200);
    t.clock.advance(MINUTE);

    const read = await a.get('/api/session');
    expect(read.statusCode).toBe(401);
    expect(read.json().error).toMatchObject({
      code: 'session_replaced',
      details: { replacedAt: signedInAt, ip: '203.0.113.77', userAgent: WINDOWS_FIREFOX, browser: 'Firefox on Windows' },
    });

    const write = await a.patch('/api/account', { name: 'Written by A' });
    expect(write.statusCode).toBe(401);
    expect(write.json().error).toMatchObject({ code: 'session_replaced', details: { ip: '203.0.113.77', browser: 'Firefox on Windows' } });

    // B works, and A's refused write changed nothing.
    const mine = await b.get('/api/account');
    expect(mine.statusCode).toBe(200);
    expect(mine.json().account.name).toBe('Test Person');
    expect(await liveSessions(account.id)).toBe(1);
  });

  it('20 parallel sign-ins of one account leave exactly one live session and one working client', async () => {
    const { email, account } = await new Client(t.app).signUp();
    const clients = Array.from({ length: 20 }, (_, i) => new Client(t.app, { userAgent: `${LINUX_CHROME} client/${i}`, ip: `192.0.2.${i + 1}` }));
    const signIns = await Promise.all(clients.map((c) => c.signIn(email)));
    expect(signIns.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    expect(new Set(clients.map((c) => c.cookie)).size).toBe(20);

    expect(await liveSessions(account.id)).toBe(1);

    const reads = await Promise.all(clients.map((c) => c.get('/api/session')));
    const working = reads.filter((r) => r.statusCode === 200);
    const replaced = reads.filter((r) => r.statusCode === 401 && r.json().error.code === 'session_replaced');
    expect(working).toHaveLength(1);
    expect(replaced).toHaveLength(19);

    const live = await t.database.db.selectFrom('sessions').select('id').where('account_id', '=', account.id).where('ended_at', 'is', null).executeTakeFirstOrThrow();
    expect(working[0]!.json().session.id).toBe(live.id);
  });
});

describe('session tokens and cookie (R-SES-4)', () => {
  it('issues a new token at each sign-in; the previous cookie stops working', async () => {
    const c = new Client(t.app);
    const { email } = await c.signUp();
    const first = c.cookie;
    const again = await c.signIn(email);
    expect(again.statusCode).toBe(200);
    const second = c.cookie;
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect((await c.get('/api/session')).statusCode).toBe(200);

    c.cookie = first;
    const old = await c.get('/api/session');
    expect(old.statusCode).toBe(401);
    expect(old.json().error.code).toBe('session_replaced');
  });

  it('sends the token in an HttpOnly, SameSite=Lax cookie (no Secure over local http), and stores it only hashed', async () => {
    const c = new Client(t.app);
    const email = uniqueEmail();
    const res = await c.post('/api/auth/sign-up', { email, password: GOOD_PASSWORD, name: 'Cookie Person' });
    expect(res.statusCode).toBe(201);
    const setCookie = sessionSetCookie(res)!;
    expect(setCookie).toBeDefined();
    const attributes = setCookie.split(';').map((p) => p.trim().toLowerCase());
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=lax');
    expect(attributes).toContain('path=/');
    expect(attributes).not.toContain('secure');

    const token = tokenOf(setCookie);
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const accountId = res.json().account.id as string;
    const rows = await t.database.db.selectFrom('sessions').selectAll().where('account_id', '=', accountId).execute();
    expect(rows).toHaveLength(1);
    expect(Buffer.from(rows[0]!.token_hash).equals(createHash('sha256').update(token).digest())).toBe(true);
    // The raw token appears nowhere in the session row (nor in its audit records).
    const stored = JSON.stringify(rows.map((r) => ({ ...r, token_hash: Buffer.from(r.token_hash).toString('base64url') })));
    expect(stored).not.toContain(token);
    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('account_id', '=', accountId).execute();
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain(token);
  });
});

describe('session expiry (R-SES-4)', () => {
  it('ends a session idle for more than 60 minutes with session_expired', async () => {
    const c = new Client(t.app);
    const { account } = await c.signUp();
    t.clock.advance(59 * MINUTE);
    expect((await c.get('/api/session')).statusCode).toBe(200);
    t.clock.advance(61 * MINUTE);
    const res = await c.get('/api/session');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('session_expired');
    expect(await liveSessions(account.id)).toBe(0);
    const record = await t.database.db.selectFrom('audit_log').select('details').where('account_id', '=', account.id).where('action', '=', 'session.expired').executeTakeFirstOrThrow();
    expect(record.details).toEqual({ kind: 'idle' });
  });

  it('ends an active session 12 hours after sign-in with session_expired', async () => {
    const c = new Client(t.app);
    const { account } = await c.signUp();
    // Active every 30 minutes up to 11 h 30 min: never idle, always allowed.
    for (let i = 1; i <= 23; i++) {
      t.clock.advance(30 * MINUTE);
      const res = await c.get('/api/session');
      expect(res.statusCode, `after ${i * 30} minutes`).toBe(200);
    }
    t.clock.advance(31 * MINUTE);
    const res = await c.get('/api/session');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('session_expired');
    const write = await c.patch('/api/account', { name: 'Too late' });
    expect(write.statusCode).toBe(401);
    const record = await t.database.db.selectFrom('audit_log').select('details').where('account_id', '=', account.id).where('action', '=', 'session.expired').executeTakeFirstOrThrow();
    expect(record.details).toEqual({ kind: 'absolute' });
  });
});

describe('sign-out', () => {
  it('answers 204, clears the cookie, and the old cookie no longer works', async () => {
    const c = new Client(t.app);
    await c.signUp();
    const cookie = c.cookie;
    const out = await c.post('/api/auth/sign-out');
    expect(out.statusCode).toBe(204);
    const cleared = sessionSetCookie(out);
    expect(cleared).toMatch(/^motus_session=;/);
    expect(c.cookie).toBeUndefined();
    expect((await c.get('/api/session')).json().error.code).toBe('unauthenticated');

    c.cookie = cookie;
    const replay = await c.get('/api/session');
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('unauthenticated');
  });
});

describe('"this wasn\'t me" (R-SES-3)', () => {
  it('ends every session, forces a password reset by email, and is recorded', async () => {
    const a = new Client(t.app, { userAgent: LINUX_CHROME, ip: '198.51.100.20' });
    const { email, account } = await a.signUp();
    const intruder = new Client(t.app, { userAgent: WINDOWS_FIREFOX, ip: '203.0.113.99' });
    expect((await intruder.signIn(email)).statusCode).toBe(200);
    expect((await a.get('/api/session')).json().error.code).toBe('session_replaced');

    // The replaced page offers the link: it sends the old cookie with that session's own CSRF token,
    // which the page still holds (test/security.test.ts: without it, 403; on a live session, 409).
    const report = await a.post('/api/sessions/report-not-me');
    expect(report.statusCode).toBe(200);
    expect(report.json().message).toMatch(/new password/);

    const ended = await intruder.get('/api/session');
    expect(ended.statusCode).toBe(401);
    expect(ended.json().error).toMatchObject({ code: 'session_ended', details: { reason: 'reported_not_me' } });
    expect(await liveSessions(account.id)).toBe(0);

    const blocked = await new Client(t.app).signIn(email);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('password_reset_required');
    expect(sessionSetCookie(blocked)).toBeUndefined();

    const mail = await t.database.db
      .selectFrom('outbox_emails')
      .select(['subject', 'text_body'])
      .where('to_address', '=', email)
      .where('text_body', 'like', '%/reset-password?token=%')
      .execute();
    expect(mail).toHaveLength(1);
    const token = decodeURIComponent(/\/reset-password\?token=([^\s&]+)/.exec(mail[0]!.text_body)![1]!);

    const newPassword = 'a completely different passphrase';
    const reset = await new Client(t.app).post('/api/auth/reset-password', { token, password: newPassword });
    expect(reset.statusCode).toBe(200);
    expect((await new Client(t.app).signIn(email, GOOD_PASSWORD)).statusCode).toBe(401);
    const back = new Client(t.app);
    expect((await back.signIn(email, newPassword)).statusCode).toBe(200);
    expect((await back.get('/api/session')).json().account.id).toBe(account.id);

    const records = await t.database.db
      .selectFrom('audit_log')
      .select(['session_id', 'ip', 'details'])
      .where('account_id', '=', account.id)
      .where('action', '=', 'session.reported_not_me')
      .execute();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ ip: '198.51.100.20', details: { sessionsEnded: 1 } });
  });
});

describe('CSRF protection', () => {
  it('refuses a signed-in write without the x-csrf-token header, and changes nothing', async () => {
    const c = new Client(t.app);
    await c.signUp();
    const token = c.csrfToken;
    c.csrfToken = undefined;
    const res = await c.patch('/api/account', { name: 'Forged Name' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('csrf_failed');
    const wrong = await c.request('PATCH', '/api/account', { name: 'Forged Name' }, { 'x-csrf-token': 'not-the-token' });
    expect(wrong.statusCode).toBe(403);
    expect((await c.get('/api/account')).json().account.name).toBe('Test Person');

    c.csrfToken = token;
    const ok = await c.patch('/api/account', { name: 'Real Name' });
    expect(ok.statusCode).toBe(200);
    expect((await c.get('/api/account')).json().account.name).toBe('Real Name');
  });

  it('refuses a public sign-in posted from another site', async () => {
    const { email, account } = await new Client(t.app).signUp();
    const before = await t.database.db.selectFrom('sessions').select('id').where('account_id', '=', account.id).execute();

    const c = new Client(t.app);
    const evil = await c.request('POST', '/api/auth/sign-in', { email, password: GOOD_PASSWORD }, { origin: 'https://evil.example' });
    expect(evil.statusCode).toBe(403);
    expect(evil.json().error.code).toBe('csrf_failed');
    expect(sessionSetCookie(evil)).toBeUndefined();
    const crossSite = await c.request('POST', '/api/auth/sign-in', { email, password: GOOD_PASSWORD }, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.statusCode).toBe(403);
    const after = await t.database.db.selectFrom('sessions').select('id').where('account_id', '=', account.id).execute();
    expect(after).toHaveLength(before.length);

    const sameSite = await c.request('POST', '/api/auth/sign-in', { email, password: GOOD_PASSWORD }, { origin: t.config.publicUrl });
    expect(sameSite.statusCode).toBe(200);
  });
});

describe('sign-in throttling (R-SES-5)', () => {
  let low: TestApp;
  beforeAll(async () => {
    low = await createTestApp({ env: { SIGN_IN_FAILURES_PER_ACCOUNT: '3', SIGN_IN_FAILURES_PER_ADDRESS: '1000' } });
  });
  afterAll(async () => {
    await low?.close();
  });

  it('after 3 failures even the right password is refused with 429, the same for an unknown email, until the window passes', async () => {
    const { email, account } = await new Client(low.app).signUp();
    const c = new Client(low.app, { ip: '198.51.100.50' });
    for (let i = 0; i < 3; i++) {
      const wrong = await c.signIn(email, 'this is not the password');
      expect(wrong.statusCode).toBe(401);
    }
    const right = await c.signIn(email, GOOD_PASSWORD);
    expect(right.statusCode).toBe(429);
    expect(right.json().error.code).toBe('rate_limited');
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    expect(sessionSetCookie(right)).toBeUndefined();

    const nobody = uniqueEmail('nobody');
    const other = new Client(low.app, { ip: '198.51.100.51' });
    for (let i = 0; i < 3; i++) {
      expect((await other.signIn(nobody, 'this is not the password')).statusCode).toBe(401);
    }
    const unknown = await other.signIn(nobody, GOOD_PASSWORD);
    expect(unknown.statusCode).toBe(429);
    expect(unknown.headers['retry-after']).toBe(right.headers['retry-after']);
    const { requestId: _a, ...knownBody } = right.json();
    const { requestId: _b, ...unknownBody } = unknown.json();
    expect(unknownBody).toEqual(knownBody);

    low.clock.advance(16 * MINUTE);
    const later = await c.signIn(email, GOOD_PASSWORD);
    expect(later.statusCode).toBe(200);
    expect(later.json().account.id).toBe(account.id);
  });
});

describe('changes take effect on the next request (R-SES-6)', () => {
  it('GET /api/session reflects a change made directly in the database', async () => {
    const c = new Client(t.app);
    const { account } = await c.signUp();
    expect((await c.get('/api/session')).json().account.name).toBe('Test Person');
    await t.database.db.updateTable('accounts').set({ name: 'Renamed By Operator' }).where('id', '=', account.id).execute();
    expect((await c.get('/api/session')).json().account.name).toBe('Renamed By Operator');
  });

  it('a session ended directly in the database is refused on its next request', async () => {
    const c = new Client(t.app);
    const { account } = await c.signUp();
    expect((await c.get('/api/session')).statusCode).toBe(200);
    await t.database.db
      .updateTable('sessions')
      .set({ ended_at: t.clock.now(), end_reason: 'password_reset' })
      .where('account_id', '=', account.id)
      .where('ended_at', 'is', null)
      .execute();
    const res = await c.get('/api/session');
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toMatchObject({ code: 'session_ended', details: { reason: 'password_reset' } });
  });
});
