import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESET_JOB } from '../src/accounts/service.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { Client, uniqueEmail } from './support/client.ts';

// R-SES-5: asking for a password reset must not tell, by its answer or by how long the answer
// takes, whether the address has an account. Jobs are run by the test itself (runJobs: false), so
// what is timed is the answer alone, and the mail is checked once the queue has run.

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ runJobs: false });
});
afterAll(async () => {
  await t?.close();
});

const ROUNDS = 30;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function timedForgot(email: string): Promise<number> {
  const client = new Client(t.app);
  const started = performance.now();
  const res = await client.post('/api/auth/forgot-password', { email });
  const elapsed = performance.now() - started;
  expect(res.statusCode).toBe(202);
  return elapsed;
}

async function mailTo(email: string) {
  return t.database.db.selectFrom('outbox_emails').select(['subject', 'text_body']).where('to_address', '=', email.toLowerCase()).execute();
}

describe('forgot-password timing (R-SES-5)', () => {
  it('answers an existing and an unknown address in the same time; only the account gets its link, after the queue runs', async () => {
    // A fresh account per round: the per-account reset limit (5 an hour) never decides the path.
    const known: string[] = [];
    for (let i = 0; i < ROUNDS + 4; i++) known.push((await new Client(t.app).signUp(uniqueEmail('timing'))).email);
    const unknown = Array.from({ length: ROUNDS + 4 }, () => uniqueEmail('nobody'));
    await t.deps.jobs.runDue(50);

    // Warm-up: the first requests pay for compiling both paths.
    for (let i = 0; i < 4; i++) {
      await timedForgot(known[ROUNDS + i]!);
      await timedForgot(unknown[ROUNDS + i]!);
    }

    const knownTimes: number[] = [];
    const unknownTimes: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      // Alternating which goes first, so that drift in the process hits both alike.
      if (i % 2 === 0) {
        knownTimes.push(await timedForgot(known[i]!));
        unknownTimes.push(await timedForgot(unknown[i]!));
      } else {
        unknownTimes.push(await timedForgot(unknown[i]!));
        knownTimes.push(await timedForgot(known[i]!));
      }
    }
    const ratio = median(knownTimes) / median(unknownTimes);
    expect(ratio, `median ${median(knownTimes).toFixed(2)} ms for accounts, ${median(unknownTimes).toFixed(2)} ms for unknown addresses`).toBeGreaterThanOrEqual(0.75);
    expect(ratio, `median ${median(knownTimes).toFixed(2)} ms for accounts, ${median(unknownTimes).toFixed(2)} ms for unknown addresses`).toBeLessThanOrEqual(1.33);

    await t.deps.jobs.runDue(50);
    for (const email of known) {
      const links = (await mailTo(email)).filter((m) => m.text_body.includes(`${t.config.publicUrl}/reset-password?token=`));
      expect(links, `one reset link for ${email}`).toHaveLength(1);
    }
    for (const email of unknown) expect(await mailTo(email), `no mail to ${email}`).toHaveLength(0);
  });

  it('the queued request is recorded with the address and browser that asked, for an account and for an unknown address', async () => {
    const { email, account } = await new Client(t.app).signUp(uniqueEmail('recorded'));
    const asker = new Client(t.app, { ip: '203.0.113.9', userAgent: 'Mozilla/5.0 (Reset asker) Firefox/133.0' });
    const res = await asker.post('/api/auth/forgot-password', { email: email.toUpperCase() });
    expect(res.statusCode).toBe(202);
    const stranger = new Client(t.app, { ip: '203.0.113.10', userAgent: 'Mozilla/5.0 (Unknown asker) Firefox/133.0' });
    const nobody = await stranger.post('/api/auth/forgot-password', { email: uniqueEmail('nobody') });
    expect(nobody.statusCode).toBe(202);
    expect(nobody.json()).toEqual(res.json());
    expect(await mailTo(email)).toHaveLength(1); // only the confirmation: the reset waits for the queue
    await t.deps.jobs.runDue(50);

    const requested = await t.database.db.selectFrom('audit_log').select(['account_id', 'ip', 'user_agent', 'request_id']).where('action', '=', 'account.password_reset_requested').where('account_id', '=', account.id).execute();
    expect(requested).toEqual([{ account_id: account.id, ip: '203.0.113.9', user_agent: 'Mozilla/5.0 (Reset asker) Firefox/133.0', request_id: expect.any(String) }]);
    const notSent = await t.database.db.selectFrom('audit_log').select(['account_id', 'details', 'outcome']).where('action', '=', 'account.password_reset_not_sent').where('ip', '=', '203.0.113.10').execute();
    expect(notSent).toEqual([{ account_id: null, details: { reason: 'unknown_address' }, outcome: 'failure' }]);
    expect(await mailTo(email)).toHaveLength(2); // confirmation and reset

    // The typed addresses are not kept in the queue once their jobs are done.
    const queued = await t.database.db.selectFrom('jobs').select(['payload', 'state']).where('kind', '=', RESET_JOB).execute();
    expect(queued.length).toBeGreaterThan(0);
    for (const job of queued) expect(job).toEqual({ payload: {}, state: 'done' });
  });
});
