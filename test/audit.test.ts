import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/audit/verify.ts';
import { Client, GOOD_PASSWORD, uniqueEmail } from './support/client.ts';
import { createTestApp, usingPostgres, type TestApp } from './support/app.ts';
import { runCli } from './support/server-process.ts';


let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function auditCount(app: TestApp): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(app.database.db);
  return r.rows[0]!.n;
}

/**
 * Runs statements as a database superuser with triggers switched off: what someone with direct
 * access to the database could do, and the application never does.
 */
async function asSuperuser(app: TestApp, statements: Array<[string, unknown[]?]>): Promise<void> {
  if (app.databaseUrl) {
    const client = new pg.Client({ connectionString: app.databaseUrl });
    await client.connect();
    try {
      await client.query('set session_replication_role = replica');
      for (const [text, params] of statements) await client.query(text, params);
    } finally {
      await client.end();
    }
    return;
  }
  await app.database.db.transaction().execute(async (tx) => {
    await tx.executeQuery(CompiledQuery.raw('set local session_replication_role = replica'));
    for (const [text, params] of statements) await tx.executeQuery(CompiledQuery.raw(text, params ?? []));
  });
}


describe('the hash chain over real activity (R-AUD-2, R-AUD-3)', () => {
  it('verifies every record after sign-ups, sign-ins, a profile change, a failed sign-in and a replaced session', async () => {
    const a = new Client(t.app, { ip: '198.51.100.1' });
    const { email: emailA } = await a.signUp();
    const b = new Client(t.app, { ip: '198.51.100.2' });
    await b.signUp();
    expect((await b.patch('/api/account', { name: 'Changed Name', profession: 'Physiotherapist' })).statusCode).toBe(200);
    expect((await new Client(t.app).signIn(emailA, 'not the password at all')).statusCode).toBe(401);
    const elsewhere = new Client(t.app, { ip: '198.51.100.3' });
    expect((await elsewhere.signIn(emailA)).statusCode).toBe(200);
    expect((await a.get('/api/session')).json().error.code).toBe('session_replaced');

    const actions = (await t.database.db.selectFrom('audit_log').select('action').distinct().execute()).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(['account.signed_up', 'account.sign_in', 'account.profile_updated', 'account.sign_in_failed', 'session.replaced']),
    );

    const report = await verifyAuditChain(t.database.db);
    expect(report.ok).toBe(true);
    expect(report.firstBroken).toBeNull();
    expect(report.recordsChecked).toBe(await auditCount(t));
    const chains = await sql<{ n: number }>`select count(distinct chain)::int as n from audit_log`.execute(t.database.db);
    expect(report.chainsChecked).toBe(chains.rows[0]!.n);
  });

  it('each sign-up recorded account.signed_up for the new account, at the moment it was created', async () => {
    const created = [];
    for (let i = 0; i < 3; i++) created.push((await new Client(t.app).signUp()).account);
    for (const account of created) {
      const row = await t.database.db.selectFrom('accounts').select('created_at').where('id', '=', account.id).executeTakeFirstOrThrow();
      const records = await t.database.db
        .selectFrom('audit_log')
        .select(['account_id', 'target_type', 'target_id', 'outcome', 'at', 'chain'])
        .where('action', '=', 'account.signed_up')
        .where('target_id', '=', account.id)
        .execute();
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ account_id: account.id, target_type: 'account', outcome: 'success', chain: `account:${account.id}` });
      expect(records[0]!.at.getTime()).toBe(row.created_at.getTime());
    }
  });

  it('a failed audit write fails the change: the sign-up leaves no account, token, email or session behind', async () => {
    const email = uniqueEmail('doomed');
    const before = {
      audit: await auditCount(t),
      sessions: (await t.database.db.selectFrom('sessions').select('id').execute()).length,
      tokens: (await t.database.db.selectFrom('account_tokens').select('id').execute()).length,
    };
    // The record written after the account, its token and its email fails: everything must go.
    await sql`
      create function refuse_doomed_audit() returns trigger language plpgsql as $$
      begin
        if new.action = 'account.verification_sent' and exists (select 1 from accounts where id = new.account_id and email like 'doomed.%') then
          raise exception 'audit store unavailable';
        end if;
        return new;
      end $$`.execute(t.database.db);
    await sql`create trigger refuse_doomed_audit before insert on audit_log for each row execute function refuse_doomed_audit()`.execute(t.database.db);
    let res;
    try {
      res = await new Client(t.app).post('/api/auth/sign-up', { email, password: GOOD_PASSWORD, name: 'Doomed Person' });
    } finally {
      await sql`drop trigger refuse_doomed_audit on audit_log`.execute(t.database.db);
      await sql`drop function refuse_doomed_audit()`.execute(t.database.db);
    }
    expect(res.statusCode).toBe(500);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(await t.database.db.selectFrom('accounts').select('id').where('email', '=', email).executeTakeFirst()).toBeUndefined();
    expect(await t.database.db.selectFrom('outbox_emails').select('id').where('to_address', '=', email).execute()).toHaveLength(0);
    expect(await auditCount(t)).toBe(before.audit);
    expect((await t.database.db.selectFrom('sessions').select('id').execute()).length).toBe(before.sessions);
    expect((await t.database.db.selectFrom('account_tokens').select('id').execute()).length).toBe(before.tokens);
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);

    // Nothing half-written holds the address: signing up again works.
    const again = await new Client(t.app).post('/api/auth/sign-up', { email, password: GOOD_PASSWORD, name: 'Doomed Person' });
    expect(again.statusCode).toBe(201);
  });
});

describe('the application cannot change the audit trail (R-AUD-3)', () => {
  it('update, delete and truncate of audit_log through the app\'s database handle fail and change nothing', async () => {
    await new Client(t.app).signUp();
    const count = await auditCount(t);
    expect(count).toBeGreaterThan(0);
    const db = t.database.db;

    await expect(db.updateTable('audit_log').set({ action: 'x' }).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/append-only/);

    expect(await auditCount(t)).toBe(count);
    expect(await db.selectFrom('audit_log').select('id').where('action', '=', 'x').execute()).toHaveLength(0);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });
});

describe('what a record holds (R-AUD-2)', () => {
  it('a sign-in record carries time, account, session, IP, user agent and request id', async () => {
    const { email, account } = await new Client(t.app).signUp();
    const ua = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
    const c = new Client(t.app, { ip: '203.0.113.5', userAgent: ua });
    t.clock.advance(1000);
    const res = await c.signIn(email);
    expect(res.statusCode).toBe(200);
    const sessionId = res.json().session.id as string;

    const record = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'account.sign_in')
      .where('session_id', '=', sessionId)
      .executeTakeFirstOrThrow();
    expect(record).toMatchObject({
      account_id: account.id,
      session_id: sessionId,
      target_type: 'session',
      target_id: sessionId,
      outcome: 'success',
      ip: '203.0.113.5',
      user_agent: ua,
    });
    expect(record.at.getTime()).toBe(t.clock.now().getTime());
    expect(record.request_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const signUp = await t.database.db.selectFrom('audit_log').select('request_id').where('action', '=', 'account.signed_up').where('account_id', '=', account.id).executeTakeFirstOrThrow();
    expect(record.request_id).not.toBe(signUp.request_id);
  });

  it('a failed sign-in is recorded against the account with the request id the person was shown', async () => {
    const { email, account } = await new Client(t.app).signUp();
    const res = await new Client(t.app, { ip: '203.0.113.6' }).signIn(email, 'a wrong password entirely');
    expect(res.statusCode).toBe(401);
    const requestId = res.json().requestId as string;
    const record = await t.database.db.selectFrom('audit_log').selectAll().where('request_id', '=', requestId).executeTakeFirstOrThrow();
    expect(record).toMatchObject({
      action: 'account.sign_in_failed',
      account_id: account.id,
      session_id: null,
      outcome: 'failure',
      ip: '203.0.113.6',
      details: { reason: 'invalid_credentials' },
    });
  });

  it('no record holds a password, a password hash, a session or CSRF token, or an emailed token', async () => {
    const secrets: string[] = [GOOD_PASSWORD];
    const c = new Client(t.app);
    const { email, account } = await c.signUp();
    const keep = () => {
      if (c.cookie) secrets.push(decodeURIComponent(c.cookie.split('=')[1]!));
      if (c.csrfToken) secrets.push(c.csrfToken);
    };
    keep();
    const wrong = 'my wrong password guess';
    secrets.push(wrong);
    await new Client(t.app).signIn(email, wrong);
    expect((await c.signIn(email)).statusCode).toBe(200);
    keep();
    const changed = 'a brand new secret passphrase';
    secrets.push(changed);
    expect((await c.post('/api/account/password', { currentPassword: GOOD_PASSWORD, newPassword: changed })).statusCode).toBe(200);
    expect((await new Client(t.app).post('/api/auth/forgot-password', { email })).statusCode).toBe(202);
    await t.deps.jobs.idle(); // the reset link is sent by a queued job
    const mails = await t.database.db.selectFrom('outbox_emails').select('text_body').where('to_address', '=', email).execute();
    const links = mails.flatMap((m) => [...m.text_body.matchAll(/token=([^\s&]+)/g)].map((x) => decodeURIComponent(x[1]!)));
    expect(links.length).toBeGreaterThanOrEqual(2);
    secrets.push(...links);
    const resetTo = 'the password after the reset';
    secrets.push(resetTo);
    // The clock does not move in this test, so mails are told apart by subject, not by time.
    const resetMail = await t.database.db.selectFrom('outbox_emails').select('text_body').where('to_address', '=', email).where('subject', '=', 'Reset your Motus password').executeTakeFirstOrThrow();
    const resetToken = decodeURIComponent(/token=([^\s&]+)/.exec(resetMail.text_body)![1]!);
    expect((await new Client(t.app).post('/api/auth/reset-password', { token: resetToken, password: resetTo })).statusCode).toBe(200);
    const hash = await t.database.db.selectFrom('accounts').select('password_hash').where('id', '=', account.id).executeTakeFirstOrThrow();
    secrets.push(hash.password_hash);

    const records = await t.database.db.selectFrom('audit_log').selectAll().execute();
    const mine = records.filter((r) => r.account_id === account.id).map((r) => r.action);
    expect(mine).toEqual(expect.arrayContaining(['account.sign_in_failed', 'account.password_changed', 'account.password_reset_requested', 'account.password_reset']));
    const dump = JSON.stringify(records);
    for (const secret of secrets) expect(dump, 'a secret was found in the audit trail').not.toContain(secret);
  });
});

describe('tampering is detected (R-AUD-3)', () => {
  it('a changed record is named by verifyAuditChain and by `motus audit verify` (exit code 2)', async () => {
    const dataDir = usingPostgres ? undefined : await fs.mkdtemp(path.join(os.tmpdir(), 'motus-audit-'));
    const app = await createTestApp(dataDir ? { dataDir } : {});
    let closed = false;
    try {
      const a = new Client(app.app);
      const { account } = await a.signUp();
      await new Client(app.app).signUp();
      expect((await a.patch('/api/account', { profession: 'Physiotherapist' })).statusCode).toBe(200);
      await new Client(app.app).signIn(account.email);
      expect((await verifyAuditChain(app.database.db)).ok).toBe(true);

      const target = await app.database.db
        .selectFrom('audit_log')
        .select(['id', 'chain', 'chain_seq'])
        .where('action', '=', 'account.profile_updated')
        .where('account_id', '=', account.id)
        .executeTakeFirstOrThrow();
      await asSuperuser(app, [[`update audit_log set details = '{"fields":["name"]}'::jsonb where id = $1`, [target.id]]]);
      const stored = await app.database.db.selectFrom('audit_log').select('details').where('id', '=', target.id).executeTakeFirstOrThrow();
      expect(stored.details).toEqual({ fields: ['name'] });

      const report = await verifyAuditChain(app.database.db);
      expect(report.ok).toBe(false);
      expect(report.firstBroken).toEqual({ id: target.id, chain: target.chain, chainSeq: Number(target.chain_seq), reason: 'hash_mismatch' });
      expect(report.broken).toHaveLength(1);

      let env: Record<string, string>;
      if (app.databaseUrl) {
        env = { DATABASE_URL: app.databaseUrl };
      } else {
        // The embedded database belongs to one process at a time: hand it over to the CLI.
        await app.close();
        closed = true;
        env = { DATA_DIR: dataDir! };
      }
      const cli = await runCli(['audit', 'verify'], env);
      expect(cli.code, cli.stderr).toBe(2);
      expect(cli.stderr).toContain(`first broken record is id ${target.id} `);
      expect(cli.stderr).toContain('hash mismatch');
    } finally {
      if (!closed) await app.close();
      if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
    }
  });

  it('`motus audit verify` reports an intact trail with exit code 0', async () => {
    const dataDir = usingPostgres ? undefined : await fs.mkdtemp(path.join(os.tmpdir(), 'motus-audit-'));
    const app = await createTestApp(dataDir ? { dataDir } : {});
    let closed = false;
    try {
      await new Client(app.app).signUp();
      const count = await auditCount(app);
      let env: Record<string, string>;
      if (app.databaseUrl) {
        env = { DATABASE_URL: app.databaseUrl };
      } else {
        await app.close();
        closed = true;
        env = { DATA_DIR: dataDir! };
      }
      const cli = await runCli(['audit', 'verify'], env);
      expect(cli.code, cli.stderr).toBe(0);
      expect(cli.stdout).toContain(`${count} records`);
    } finally {
      if (!closed) await app.close();
      if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
    }
  });

  it('removing the last record of a chain is detected as head_mismatch', async () => {
    const app = await createTestApp();
    try {
      const a = new Client(app.app);
      const { account } = await a.signUp();
      expect((await a.patch('/api/account', { name: 'Someone Else' })).statusCode).toBe(200);
      const chain = `account:${account.id}`;
      const last = await app.database.db.selectFrom('audit_log').select(['id', 'action']).where('chain', '=', chain).orderBy('chain_seq', 'desc').limit(2).execute();
      expect(last[0]!.action).toBe('account.profile_updated');
      expect((await verifyAuditChain(app.database.db)).ok).toBe(true);

      await asSuperuser(app, [['delete from audit_log where id = $1', [last[0]!.id]]]);

      const report = await verifyAuditChain(app.database.db);
      expect(report.ok).toBe(false);
      expect(report.broken).toHaveLength(1);
      expect(report.firstBroken).toMatchObject({ chain, reason: 'head_mismatch', id: last[1]!.id });
    } finally {
      await app.close();
    }
  });
});
