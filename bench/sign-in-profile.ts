/**
 * What one sign-in costs besides argon2id, to explain the figures of bench/run.ts. Runs the real
 * app in-process (requests injected, no HTTP socket) on a fresh PostgreSQL database next to
 * BENCH_DATABASE_URL, and prints:
 *
 *   - the SQL statements of one steady-state sign-in (each one a round trip);
 *   - the CPU time of sign-ins run one at a time, split between the event loop thread, the
 *     argon2id threads and the PostgreSQL backends (one at a time, so that they do not compete).
 *
 *   node bench/sign-in-profile.ts
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { migrateToLatest, type DatabaseHandle } from '../src/platform/db/database.ts';
import type { Database } from '../src/platform/db/schema.ts';
import { NodeThreadMeter, ProcessSchedMeter } from './lib/cpu.ts';
import { createBenchDatabase } from './lib/postgres.ts';

const ACCOUNTS = 20;
const SIGN_INS = 200;

const baseUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const benchDb = await createBenchDatabase(baseUrl);
let recording: string[] | null = null;
try {
  const pool = new pg.Pool({ connectionString: benchDb.url, max: 10 });
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (recording) recording.push(event.query.sql.replace(/\s+/g, ' ').trim());
    },
  });
  await migrateToLatest(db as unknown as Kysely<unknown>);
  const database: DatabaseHandle = { db, kind: 'postgres', close: () => db.destroy() };
  const config = {
    ...loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DEV_MAILBOX: 'false',
      PUBLIC_URL: 'http://127.0.0.1:3000',
      DATABASE_URL: benchDb.url,
      SIGN_INS_PER_ADDRESS_PER_MINUTE: '10000000',
      SIGN_UPS_PER_ADDRESS_PER_HOUR: '10000000',
    }),
    webDir: undefined,
  };
  const motus = await buildApp(config, { database, logger: false });
  try {
    const accounts = Array.from({ length: ACCOUNTS }, (_, i) => ({ email: `profile-${i}@example.org`, password: `a long unusual passphrase ${i}x` }));
    for (const [i, a] of accounts.entries()) {
      const up = await motus.app.inject({ method: 'POST', url: '/api/auth/sign-up', payload: { ...a, name: `Profile Person ${i}` } });
      if (up.statusCode !== 201) throw new Error(`sign-up answered ${up.statusCode}: ${up.body}`);
    }
    const signIn = async (i: number) => {
      const res = await motus.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: accounts[i % ACCOUNTS] });
      if (res.statusCode !== 200) throw new Error(`sign-in answered ${res.statusCode}: ${res.body}`);
    };
    // Warm up; afterwards every account has a live session, which the next sign-in ends.
    for (let i = 0; i < 2 * ACCOUNTS; i++) await signIn(i);

    recording = [];
    await signIn(0);
    const statements = recording;
    recording = null;
    statements.forEach((s, i) => console.log(`${String(i + 1).padStart(3)}  ${s.length > 150 ? `${s.slice(0, 147)}...` : s}`));
    const writes = statements.filter((s) => /^(insert|update|delete)\b/i.test(s)).length;
    console.log(`\nOne sign-in sends ${statements.length} statements (${writes} of them writes), one round trip each.\n`);

    const pids = await benchDb.backendPids();
    const pgMeter = new ProcessSchedMeter(pids);
    const threads = new NodeThreadMeter(process.pid);
    const started = performance.now();
    for (let i = 0; i < SIGN_INS; i++) await signIn(i);
    const wallMs = performance.now() - started;
    const t = threads.read();
    const pgTime = pgMeter.read(await benchDb.backendPids());
    const per = (ms: number | undefined) => (ms === undefined ? 'n/a' : (ms / SIGN_INS).toFixed(2));
    console.log(`${SIGN_INS} sign-ins one at a time (in-process, no HTTP socket), per sign-in:`);
    console.log(`  wall time                           ${per(wallMs)} ms`);
    console.log(`  event loop thread CPU               ${per(t?.eventLoop.runMs)} ms`);
    console.log(`  argon2id thread CPU                 ${per(t?.threadPool.runMs)} ms`);
    console.log(`  V8 helper threads CPU (GC)          ${per(t ? t.v8.runMs + t.other.runMs : undefined)} ms`);
    console.log(`  PostgreSQL backend CPU              ${per(pgTime?.runMs)} ms`);
    console.log(`  waiting for a CPU: event loop ${per(t?.eventLoop.waitMs)} ms, argon2id ${per(t?.threadPool.waitMs)} ms, PostgreSQL ${per(pgTime?.waitMs)} ms`);
  } finally {
    await motus.close();
    await database.close();
  }
} finally {
  await benchDb.drop();
}
