/**
 * Integrations benchmark (part of `npm run bench`).
 *
 * On a fresh PostgreSQL database with a generated practice (bench/lib/practice.ts: 20 practitioners
 * with 500 patients each), each practitioner signed in and holding an API key, measures from 20
 * connections at once (one practitioner each):
 *   - the patient list with an API key, GET /api/v1/patients?limit=50, against the list with a
 *     session, GET /api/patients?limit=50 (target: at least 0.95 of the session's figure). Both
 *     check their caller on every request, read a page of 50 and write the audit record of the
 *     patients returned; the key's list reads no total, the session's counts every match, so the
 *     single-patient read below is the like-for-like pair;
 *   - one patient read, GET /api/v1/patients/:id with the key against GET /api/patients/:id with the
 *     session: the same statements but for how the caller is checked.
 * The server runs in its own process; load comes from this one over loopback.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { POSTGRES_SESSION_OPTIONS } from '../src/platform/db/database.ts';
import { api, mapLimit, signIn } from './lib/api.ts';
import { runLoad, summarize, type LoadRun } from './lib/load.ts';
import { measured, settle, type MeasuredRun } from './lib/measure.ts';
import { generatePractice } from './lib/practice.ts';
import { createBenchDatabase, type BenchDatabase } from './lib/postgres.ts';
import { REPO_ROOT, startServer, type ServerProcess } from './lib/server.ts';

const BASE = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const SECONDS = 8;
const WARM_UP_SECONDS = 3;
const PRACTITIONERS = 20;

let database: BenchDatabase | undefined;
let server: ServerProcess | undefined;

/** Each connection is one practitioner: its own path and headers on every request. */
function load(url: string, connections: number, pathFor: (i: number) => string, headersFor: (i: number) => Record<string, string>, duration: number) {
  let client = 0;
  return runLoad({
    url,
    connections,
    duration,
    setupClient: (c: { setRequests: (r: Array<{ method: string; path: string; headers: Record<string, string> }>) => void }) => {
      const i = client++ % connections;
      c.setRequests([{ method: 'GET', path: pathFor(i), headers: headersFor(i) }]);
    },
  } as unknown as Parameters<typeof runLoad>[0]).done;
}

async function main() {
  database = await createBenchDatabase(BASE);
  server = await startServer({ databaseUrl: database.url, threadPoolSize: 4, env: { SIGN_UPS_PER_ADDRESS_PER_HOUR: '100000', SIGN_INS_PER_ADDRESS_PER_MINUTE: '100000', API_KEY_REQUESTS_PER_MINUTE: '100000', DATABASE_POOL_SIZE: '10' } });
  const base = server.baseUrl;
  const db = new pg.Pool({ connectionString: database.url, max: 4, options: POSTGRES_SESSION_OPTIONS });
  try {
    const practice = await generatePractice({ baseUrl: base, db, practitioners: PRACTITIONERS, patientsPerPractitioner: 500, leaverPatients: 1 });
    const sessions = await mapLimit(practice.practitioners, 4, (p) => signIn(base, p.email));
    const keys = await mapLimit(sessions, 4, async (s) => {
      const r = await api(base, 'POST', '/api/me/api-keys', { name: 'Bench PMS', scopes: ['patients.read'], expiresAt: null, organisationId: null }, { cookie: s.cookie, 'x-csrf-token': s.csrf });
      if (r.status !== 201) throw new Error(`key: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json.token as string;
    });
    // One patient of each practitioner, for the single reads.
    const firstPatients = await Promise.all(
      practice.practitioners.map(async (p) => (await db.query<{ id: string }>('select id from patients where owner_account_id = $1 order by id limit 1', [p.accountId])).rows[0]!.id),
    );
    const sessionHeaders = (i: number) => ({ cookie: sessions[i]!.cookie });
    const keyHeaders = (i: number) => ({ authorization: `Bearer ${keys[i]!}` });

    // Both answer, and with the practitioner's own patients.
    for (const i of [0, 7]) {
      const s = await api(base, 'GET', '/api/patients?limit=50', undefined, sessionHeaders(i));
      const k = await api(base, 'GET', '/api/v1/patients?limit=50', undefined, keyHeaders(i));
      if (s.status !== 200 || k.status !== 200) throw new Error(`lists answered ${s.status} / ${k.status}: ${JSON.stringify(k.json)}`);
      if (k.json.patients.length !== 50 || s.json.patients.length !== 50) throw new Error('a list page is not full');
    }

    const pairs = {
      list: { session: () => '/api/patients?limit=50', key: () => '/api/v1/patients?limit=50' },
      read: { session: (i: number) => `/api/patients/${firstPatients[i]!}`, key: (i: number) => `/api/v1/patients/${firstPatients[i]!}` },
    };
    const runs: Record<string, { session: MeasuredRun; key: MeasuredRun }> = {};
    for (const [name, pair] of Object.entries(pairs)) {
      const one = async (pathFor: (i: number) => string, headersFor: (i: number) => Record<string, string>) => {
        await load(base, 4, pathFor, headersFor, WARM_UP_SECONDS);
        await settle(db, database!.name);
        const run = await measured(database!, server!.pid, () => load(base, PRACTITIONERS, pathFor, headersFor, SECONDS));
        await settle(db, database!.name);
        return run;
      };
      const session = await one(pair.session, sessionHeaders);
      const key = await one(pair.key, keyHeaders);
      runs[name] = { session, key };
    }

    const rate = (r: LoadRun) => r.result['2xx'] / (r.result.duration || SECONDS);
    const figures = Object.fromEntries(
      Object.entries(runs).map(([name, r]) => [
        name,
        {
          sessionRps: rate(r.session.load),
          keyRps: rate(r.key.load),
          ratio: rate(r.key.load) / rate(r.session.load),
          sessionLatencyMs: summarize(r.session.load.latenciesMs),
          keyLatencyMs: summarize(r.key.load.latenciesMs),
          cpuMsPerRequest: { session: r.session.cpuMsPerRequest, key: r.key.cpuMsPerRequest },
          non2xx: { session: r.session.load.result.non2xx + r.session.load.result.errors, key: r.key.load.result.non2xx + r.key.load.result.errors },
        },
      ]),
    );

    const ms = (v: number) => v.toFixed(1);
    const rps = (v: number) => v.toFixed(0).padStart(5);
    console.log(`\nIntegrations benchmark (PostgreSQL ${database.version}, ${PRACTITIONERS} practitioners with 500 patients each, ${PRACTITIONERS} connections)`);
    for (const [label, f] of [['Patient list, 50 a page', figures.list!], ['One patient', figures.read!]] as const) {
      console.log(
        `  ${label.padEnd(24)} API key ${rps(f.keyRps)} req/s   session ${rps(f.sessionRps)} req/s   ratio ${f.ratio.toFixed(2)} (target ≥ 0.95)   p50/p99 key ${ms(f.keyLatencyMs.p50)}/${ms(f.keyLatencyMs.p99)} ms, session ${ms(f.sessionLatencyMs.p50)}/${ms(f.sessionLatencyMs.p99)} ms; non-2xx ${f.non2xx.key} / ${f.non2xx.session}`,
      );
    }
    const file = path.join(REPO_ROOT, 'bench', 'results', 'integrations.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ benchmark: 'integrations', finishedAt: new Date().toISOString(), figures }, null, 2));
  } finally {
    await db.end();
  }
}

try {
  await main();
} finally {
  await server?.stop().catch(() => {});
  await database?.drop().catch(() => {});
}
