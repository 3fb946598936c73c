import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/audit/verify.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { GOOD_PASSWORD, uniqueEmail } from './support/client.ts';
import { dropDatabase, freshDatabaseUrl, usingPostgres } from './support/app.ts';
import { runningServers, startServerProcess, type ServerProcess } from './support/server-process.ts';

// SPEC §12: a crash at any point, including `kill -9` of the server, leaves each operation either
// fully done or not done at all. Sign-up writes an account, its audit records, its email
// confirmation token, the queued email and a session in one transaction.

const ROUNDS = 3;
const SIGN_UPS_PER_ROUND = 40;
/** How long after the first answer each round's kill may come: early, middle and late in the burst. */
const KILL_SPREAD_MS = [30, 200, 600];

type Server = ServerProcess;

type Outcome = 'created' | 'refused' | 'lost';

let dataDir: string | undefined;
let databaseUrl: string | undefined;

beforeAll(async () => {
  if (usingPostgres) databaseUrl = await freshDatabaseUrl();
  else dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'motus-crash-'));
});

afterAll(async () => {
  for (const child of runningServers) child.kill('SIGKILL');
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  await dropDatabase(databaseUrl);
});

/** Starts `node src/main.ts` on the test's data, and waits until /api/health answers. */
function startServer(): Promise<Server> {
  return startServerProcess({ dataDir, databaseUrl });
}

function signUp(url: string, email: string): Promise<Outcome> {
  return fetch(`${url}/api/auth/sign-up`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: GOOD_PASSWORD, name: 'Crash Test' }),
    signal: AbortSignal.timeout(30_000),
  }).then(
    async (res) => {
      await res.arrayBuffer();
      return res.status === 201 ? 'created' : 'refused';
    },
    () => 'lost',
  );
}

/**
 * Fires many sign-ups at once and kills the server with SIGKILL at a random moment up to `spreadMs`
 * after the first answer, while the others are still being hashed, written or answered.
 */
async function signUpsCutByKill(server: Server, emails: string[], spreadMs: number): Promise<Outcome[]> {
  let killed = false;
  const kill = () => {
    if (killed) return;
    killed = true;
    server.child.kill('SIGKILL');
  };
  const attempts = emails.map((email) =>
    signUp(server.url, email).then((outcome) => {
      if (!killed) setTimeout(kill, Math.floor(Math.random() * spreadMs));
      return outcome;
    }),
  );
  const fallback = setTimeout(kill, 15_000);
  const outcomes = await Promise.all(attempts);
  clearTimeout(fallback);
  kill();
  await server.exited;
  return outcomes;
}

describe('kill -9 during sign-up (SPEC §12, R-AUD-2)', () => {
  it('leaves either a complete account with its audit record, token, email and session, or nothing', { timeout: 150_000 }, async () => {
    const attempted = new Map<string, Outcome>();
    for (let round = 0; round < ROUNDS; round++) {
      // Each start after the first is a restart on data left by a killed process.
      const server = await startServer();
      const emails = Array.from({ length: SIGN_UPS_PER_ROUND }, () => uniqueEmail(`crash${round}`));
      const outcomes = await signUpsCutByKill(server, emails, KILL_SPREAD_MS[round]!);
      emails.forEach((email, i) => attempted.set(email, outcomes[i]!));
    }
    const outcomes = [...attempted.values()];
    // The kill must have hit the middle of the work: some sign-ups answered, some never did.
    expect(outcomes.filter((o) => o === 'created').length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o === 'lost').length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o === 'refused')).toHaveLength(0);

    // Restarted on the same data, the server works and an acknowledged account signs in.
    const server = await startServer();
    const createdEmail = [...attempted].find(([, o]) => o === 'created')![0];
    const signIn = await fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: createdEmail, password: GOOD_PASSWORD }),
    });
    expect(signIn.status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    const database = await openDatabase({ databaseUrl, dataDir: dataDir ?? 'memory://', poolSize: 2 });
    try {
      const db = database.db;
      let complete = 0;
      for (const [email, outcome] of attempted) {
        const account = await db.selectFrom('accounts').select('id').where('email', '=', email).executeTakeFirst();
        const mail = await db.selectFrom('outbox_emails').select('id').where('to_address', '=', email).execute();
        if (!account) {
          expect(outcome, `${email} was answered 201 but its account is gone`).not.toBe('created');
          expect(mail, `${email} has an email but no account`).toHaveLength(0);
          continue;
        }
        complete++;
        const actions = (await db.selectFrom('audit_log').select('action').where('account_id', '=', account.id).execute()).map((r) => r.action);
        expect(actions, email).toEqual(expect.arrayContaining(['account.signed_up', 'account.verification_sent', 'account.sign_in']));
        const signedUp = await db.selectFrom('audit_log').select('target_id').where('action', '=', 'account.signed_up').where('account_id', '=', account.id).execute();
        expect(signedUp, email).toEqual([{ target_id: account.id }]);
        const tokens = await db.selectFrom('account_tokens').select('id').where('account_id', '=', account.id).where('purpose', '=', 'verify_email').execute();
        expect(tokens, email).toHaveLength(1);
        expect(mail, email).toHaveLength(1);
        const sessions = await db.selectFrom('sessions').select('id').where('account_id', '=', account.id).execute();
        expect(sessions.length, email).toBeGreaterThanOrEqual(1);
      }
      expect(complete).toBeGreaterThanOrEqual(outcomes.filter((o) => o === 'created').length);

      // No orphans anywhere: every token, session and sign-up record belongs to an existing account.
      const orphans = await sql<{ n: number }>`
        select (select count(*) from account_tokens t where not exists (select 1 from accounts a where a.id = t.account_id))
             + (select count(*) from sessions s where not exists (select 1 from accounts a where a.id = s.account_id))
             + (select count(*) from audit_log l where l.action = 'account.signed_up' and not exists (select 1 from accounts a where a.id = l.account_id))
             as n`.execute(db);
      expect(Number(orphans.rows[0]!.n)).toBe(0);

      const report = await verifyAuditChain(db);
      expect(report.broken).toEqual([]);
      const count = await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(db);
      expect(report.recordsChecked).toBe(count.rows[0]!.n);
    } finally {
      await database.close();
    }
  });
});
