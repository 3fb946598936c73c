import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../src/jobs/runner.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on loopback, receiving what Motus sends. */
async function startSmtp(opts: { failFirst?: number } = {}) {
  const received: Received[] = [];
  let failures = opts.failFirst ?? 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        if (failures > 0) {
          failures -= 1;
          const err = new Error('mailbox busy, try later') as Error & { responseCode: number };
          err.responseCode = 451;
          return callback(err);
        }
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { received, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('mail over real SMTP through the job queue', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let t: TestApp;
  beforeAll(async () => {
    smtp = await startSmtp({ failFirst: 1 });
    t = await createTestApp({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Motus <motus@example.org>' }, runJobs: false });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('delivers the verification email after commit, retrying a temporary SMTP failure with back-off', async () => {
    const c = new Client(t.app);
    const { email } = await c.signUp();
    // The first delivery meets a 451 from the server: the job is retried later, not lost.
    await t.deps.jobs.runDue();
    expect(smtp.received).toHaveLength(0);
    const pending = await t.database.db.selectFrom('outbox_emails').select(['status', 'last_error']).where('to_address', '=', email).executeTakeFirstOrThrow();
    expect(pending.status).toBe('pending');
    expect(pending.last_error).toMatch(/busy/);
    t.clock.advance(60_000);
    await t.deps.jobs.runDue();
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.to).toEqual([email]);
    expect(smtp.received[0]!.from).toBe('motus@example.org');
    expect(smtp.received[0]!.raw).toContain('Confirm your email address for Motus');
    expect(smtp.received[0]!.raw).toMatch(/verify-email\?token=/);
    const sent = await t.database.db.selectFrom('outbox_emails').select(['status', 'sent_at']).where('to_address', '=', email).executeTakeFirstOrThrow();
    expect(sent.status).toBe('sent');
    // Running again sends nothing twice.
    t.clock.advance(60 * 60_000);
    await t.deps.jobs.runDue();
    expect(smtp.received).toHaveLength(1);
  });

  it('the development mailbox is off when SMTP is configured', async () => {
    expect((await new Client(t.app).get('/api/dev/mailbox')).statusCode).toBe(404);
  });
});

describe('the job queue', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ runJobs: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('runs a job once even when two runners claim at the same moment, retries failures, and gives up after its attempts', async () => {
    const log = t.app.log;
    const a = new JobRunner(t.database.db, t.clock, log);
    const b = new JobRunner(t.database.db, t.clock, log);
    const runs: string[] = [];
    let failuresLeft = 2;
    for (const [name, runner] of [['a', a], ['b', b]] as const) {
      runner.define('test.count', { run: async (job) => void runs.push(`${name}:${String(job.payload.n)}`) });
      runner.define('test.flaky', {
        backoffMs: () => 1000,
        run: async () => {
          if (failuresLeft-- > 0) throw new Error('not yet');
          runs.push(`${name}:flaky`);
        },
      });
      runner.define('test.doomed', { maxAttempts: 3, backoffMs: () => 1000, run: async () => Promise.reject(new Error('never')) });
    }
    for (let n = 0; n < 30; n++) await a.enqueue(t.database.db, { kind: 'test.count', payload: { n } });
    await a.enqueue(t.database.db, { kind: 'test.count', payload: { n: 'once' }, dedupeKey: 'only-once' });
    await a.enqueue(t.database.db, { kind: 'test.count', payload: { n: 'twice?' }, dedupeKey: 'only-once' });
    await Promise.all([a.runDue(5), b.runDue(5)]);
    expect(runs).toHaveLength(31);
    expect(new Set(runs.map((r) => r.split(':')[1])).size).toBe(31);
    expect(runs.some((r) => r.endsWith(':twice?'))).toBe(false);

    await a.enqueue(t.database.db, { kind: 'test.flaky' });
    await a.enqueue(t.database.db, { kind: 'test.doomed' });
    for (let i = 0; i < 4; i++) {
      await a.runDue();
      t.clock.advance(1500);
    }
    expect(runs.filter((r) => r.endsWith(':flaky'))).toHaveLength(1);
    const doomed = await t.database.db.selectFrom('jobs').select(['state', 'attempts', 'last_error']).where('kind', '=', 'test.doomed').executeTakeFirstOrThrow();
    expect(doomed).toMatchObject({ state: 'failed', attempts: 3, last_error: 'never' });
  });

  it('a job whose process died is taken up again when its lease ends', async () => {
    const runner = new JobRunner(t.database.db, t.clock, t.app.log);
    const runs: number[] = [];
    runner.define('test.lease', { run: async () => void runs.push(1) });
    await runner.enqueue(t.database.db, { kind: 'test.lease', dedupeKey: 'lease-1' });
    // Claimed by a process that then died: locked, never finished.
    await t.database.db.updateTable('jobs').set({ locked_by: 'dead-worker', locked_until: new Date(t.clock.now().getTime() + 5 * 60_000), attempts: 1 }).where('dedupe_key', '=', 'lease-1').execute();
    await runner.runDue();
    expect(runs).toHaveLength(0);
    t.clock.advance(5 * 60_000 + 1);
    await runner.runDue();
    expect(runs).toHaveLength(1);
  });
});
