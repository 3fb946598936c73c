/**
 * Patient list and transfer benchmark (part of `npm run bench`).
 *
 * On a fresh PostgreSQL database with a generated practice (bench/lib/practice.ts: 50 practitioners
 * with 2,000 patients each, and a leaving practitioner with 5,000 patients who each have an active
 * programme), measures:
 *   - the audited patient list, GET /api/patients?search=…&limit=50, from the 50 practitioners at
 *     once (each connection signed in as one of them), in requests per second against a bare
 *     Fastify + pg server running the same two statements (ENGINEERING.md §5); also the first page
 *     without a search;
 *   - an admin's transfer of the leaver's 5,000 patients to a colleague in one request (wall time),
 *     checked afterwards in SQL.
 * Both servers run in their own processes; load comes from this one over loopback.
 *
 * `node bench/patients.ts --generate-only` only builds the practice, prints the database's URL and
 * counts, and keeps the database for exploring (drop it when done).
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { api, mapLimit, signIn } from './lib/api.ts';
import { POSTGRES_SESSION_OPTIONS } from '../src/platform/db/database.ts';
import { runLoad, summarize, type LoadRun } from './lib/load.ts';
import { explain, measured, settle } from './lib/measure.ts';
import { patientListQuery } from './lib/patient-list.ts';
import { generatePractice, type Practice } from './lib/practice.ts';
import { createBenchDatabase, type BenchDatabase } from './lib/postgres.ts';
import { REPO_ROOT, startBareServer, startServer, type BareServerProcess, type ServerProcess } from './lib/server.ts';

const BASE = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const GENERATE_ONLY = process.argv.includes('--generate-only');
const SECONDS = 8;
const WARM_UP_SECONDS = 3;
const WARM_UP_CONNECTIONS = 4;

let database: BenchDatabase | undefined;
let server: ServerProcess | undefined;
let bare: BareServerProcess | undefined;

const int = (n: number) => Math.round(n).toLocaleString('en-GB');

/** Patient list load: one connection per practitioner, each request searching the next term. */
function listLoad(url: string, pathFor: (term: string) => string, headersFor: (i: number) => Record<string, string>, connections: number, terms: string[], duration: number) {
  let client = 0;
  let request = 0;
  return runLoad({
    url,
    connections,
    duration,
    setupClient: (c: { setHeaders: (h: Record<string, string>) => void }) => c.setHeaders(headersFor(client++ % connections)),
    requests: [{ method: 'GET', setupRequest: (req: Record<string, unknown>) => ({ ...req, path: pathFor(terms[request++ % terms.length]!) }) }],
  } as unknown as Parameters<typeof runLoad>[0]).done;
}

async function main() {
  database = await createBenchDatabase(BASE);
  server = await startServer({ databaseUrl: database.url, threadPoolSize: 4, env: { SIGN_UPS_PER_ADDRESS_PER_HOUR: '100000', SIGN_INS_PER_ADDRESS_PER_MINUTE: '100000', DATABASE_POOL_SIZE: '10' } });
  const base = server.baseUrl;
  // Plans are explained with the servers' own session settings.
  const db = new pg.Pool({ connectionString: database.url, max: 4, options: POSTGRES_SESSION_OPTIONS });
  try {
    const practice: Practice = await generatePractice({ baseUrl: base, db });
    const c = practice.counts;
    const summary = `${practice.practitioners.length} practitioners and one leaving, ${int(c.patients)} patients (${int(c.archivedPatients)} archived), ${int(c.programmes)} programmes, ${c.stockExercises} stock exercises; a search finds ${c.matches.mean.toFixed(1)} of a practitioner's patients (${c.matches.min}–${c.matches.max}); generated in ${practice.seconds.toFixed(1)} s`;
    if (GENERATE_ONLY) {
      const url = database.url;
      database = undefined; // kept for exploring
      console.log(`\nPractice generated (${summary}).`);
      console.log(`  Database: ${url}`);
      console.log(`  Organisation ${practice.organisationId}; practitioners practitioner0…${practice.practitioners.length - 1}@bench.test, leaver@bench.test, owner@bench.test`);
      console.log(`  Drop it when done: psql '${BASE}' -c 'drop database ${new URL(url).pathname.slice(1)} with (force)'`);
      return;
    }
    console.error(`practice: ${summary}`);

    // Every practitioner signs in, as people do (one argon2id check each).
    const sessions = await mapLimit(practice.practitioners, 4, (p) => signIn(base, p.email));
    bare = await startBareServer(database.url);
    const terms = practice.searchTerms;
    const n = practice.practitioners.length;
    const motusHeaders = (i: number) => ({ cookie: sessions[i]!.cookie });
    const bareHeaders = (i: number) => ({ 'x-account-id': practice.practitioners[i]!.accountId });
    const motusPath = (term: string) => (term ? `/api/patients?search=${encodeURIComponent(term)}&limit=50` : '/api/patients?limit=50');
    const barePath = (term: string) => (term ? `/patients?search=${encodeURIComponent(term)}&limit=50` : '/patients?limit=50');

    // Both answer alike, so that the ceiling runs the query Motus runs.
    for (const [i, term] of [[0, terms[0]!], [7, terms[1]!], [3, '']] as const) {
      const m = await api(base, 'GET', motusPath(term), undefined, motusHeaders(i));
      const b = await api(bare.baseUrl, 'GET', barePath(term), undefined, bareHeaders(i));
      if (m.status !== 200) throw new Error(`GET ${motusPath(term)} as ${practice.practitioners[i]!.email} answered ${m.status}: ${JSON.stringify(m.json)}`);
      const ids = (r: typeof m) => (r.json.patients as Array<{ id: string }>).map((p) => p.id).join();
      if (m.json.total !== b.json.total || ids(m) !== ids(b)) throw new Error(`Motus and the bare server disagree for "${term}": ${m.json.total} vs ${b.json.total} patients`);
    }

    const plans = {
      search: { page: await explain(db, patientListQuery(practice.practitioners[0]!.accountId, terms[0]).page, 'patients'), count: await explain(db, patientListQuery(practice.practitioners[0]!.accountId, terms[0]).count, 'patients') },
      noSearch: { page: await explain(db, patientListQuery(practice.practitioners[0]!.accountId, undefined).page, 'patients'), count: await explain(db, patientListQuery(practice.practitioners[0]!.accountId, undefined).count, 'patients') },
    };

    const runs: Record<string, { motus: Awaited<ReturnType<typeof measured>>; bare: Awaited<ReturnType<typeof measured>> }> = {};
    const settled: Record<string, number> = {};
    // Each run: a short warm-up on a few connections, then the 50 practitioners at once; the server
    // finishes what it still has in hand before the next run starts.
    const measure = async (name: string, url: string, pid: number, pathFor: (term: string) => string, headersFor: (i: number) => Record<string, string>, list: string[]) => {
      await listLoad(url, pathFor, headersFor, WARM_UP_CONNECTIONS, list, WARM_UP_SECONDS);
      await settle(db, database!.name);
      const run = await measured(database!, pid, () => listLoad(url, pathFor, headersFor, n, list, SECONDS));
      settled[name] = await settle(db, database!.name);
      return run;
    };
    for (const [name, list] of [['search', terms], ['noSearch', ['']]] as const) {
      const motus = await measure(`${name}.motus`, base, server.pid, motusPath, motusHeaders, [...list]);
      const ceiling = await measure(`${name}.bare`, bare.baseUrl, bare.pid, barePath, bareHeaders, [...list]);
      runs[name] = { motus, bare: ceiling };
    }

    // The transfer: the owner (an admin with Users) moves all of the leaver's patients to practitioner 0.
    const ids = practice.leaver.patientIds;
    const recipient = practice.practitioners[0]!;
    const snapshot = async () => (await db.query<{ id: string; code: string; state: string }>('select id, code, state from programmes where patient_id = any($1) order by id', [ids])).rows.map((r) => `${r.id} ${r.code} ${r.state}`).join('\n');
    const before = await snapshot();
    // Ceiling: the same row changes in one bare transaction, rolled back so that the transfer still finds them.
    const bareStart = performance.now();
    const client = await db.connect();
    try {
      await client.query('begin');
      await client.query('select id from accounts where id = any($1) order by id for update', [[practice.leaver.accountId, recipient.accountId]]);
      await client.query('update patients set owner_account_id = $2, updated_at = now() where id = any($1) and owner_account_id = $3', [ids, recipient.accountId, practice.leaver.accountId]);
      await client.query(`update patient_shares set ended_at = now(), end_reason = 'transferred' where patient_id = any($1) and ended_at is null`, [ids]);
    } finally {
      await client.query('rollback');
      client.release();
    }
    const bareTransferMs = performance.now() - bareStart;
    const transferPath = `/api/organisations/${practice.organisationId}/members/${practice.leaver.membershipId}/transfer`;
    const started = performance.now();
    const transfer = await api(base, 'POST', transferPath, { toMemberId: recipient.membershipId, patientIds: ids }, { cookie: practice.owner.cookie, 'x-csrf-token': practice.owner.csrf });
    const transferMs = performance.now() - started;
    const after = await db.query<{ moved: number; left: number }>(
      'select count(*) filter (where owner_account_id = $2)::int as moved, count(*) filter (where owner_account_id = $3)::int as left from patients where id = any($1)',
      [ids, recipient.accountId, practice.leaver.accountId],
    );
    const audited = await db.query<{ n: number }>(`select count(*)::int as n from audit_log where action = 'patient.transferred'`);
    const codesUnchanged = (await snapshot()) === before;
    const transferFigures = {
      status: transfer.status,
      response: transfer.status === 200 ? transfer.json : { request: `POST ${transferPath}`, body: transfer.json },
      wallMs: transferMs,
      bareMs: bareTransferMs,
      patients: ids.length,
      moved: after.rows[0]!.moved,
      leftWithLeaver: after.rows[0]!.left,
      codesUnchanged,
      auditRecords: audited.rows[0]!.n,
    };

    const rate = (r: LoadRun) => r.result['2xx'] / (r.result.duration || SECONDS);
    const figure = (name: string) => {
      const r = runs[name]!;
      return {
        motusRps: rate(r.motus.load),
        bareRps: rate(r.bare.load),
        ratio: rate(r.motus.load) / rate(r.bare.load),
        motusLatencyMs: summarize(r.motus.load.latenciesMs),
        bareLatencyMs: summarize(r.bare.load.latenciesMs),
        motusCpuMsPerRequest: r.motus.cpuMsPerRequest,
        bareCpuMsPerRequest: r.bare.cpuMsPerRequest,
        non2xx: { motus: r.motus.load.result.non2xx + r.motus.load.result.errors, bare: r.bare.load.result.non2xx + r.bare.load.result.errors },
        /** How long each server went on working through queued requests after its load stopped. */
        settledMs: { motus: settled[`${name}.motus`]!, bare: settled[`${name}.bare`]! },
        otherProgramsShare: { motus: r.motus.otherShare, bare: r.bare.otherShare },
      };
    };
    const figures = { search: figure('search'), noSearch: figure('noSearch'), transfer: transferFigures };

    const ms = (v: number) => v.toFixed(1);
    const rps = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1)).padStart(5);
    const cpu = (x: { server: number; postgres: number }) => `${ms(x.server)} + ${ms(x.postgres)}`;
    console.log(`\nPatient list and transfer benchmark (PostgreSQL ${database.version}, ${summary})`);
    for (const [label, f] of [['Search, 50 a page', figures.search], ['First page, no search', figures.noSearch]] as const) {
      console.log(
        `  ${label.padEnd(21)} ${rps(f.motusRps)} req/s   bare ${rps(f.bareRps)} req/s   ratio ${f.ratio.toFixed(2)}   p50/p99 ${ms(f.motusLatencyMs.p50)}/${ms(f.motusLatencyMs.p99)} ms (bare ${ms(f.bareLatencyMs.p50)}/${ms(f.bareLatencyMs.p99)} ms), ${f.motusLatencyMs.samples} / ${f.bareLatencyMs.samples} answers`,
      );
      console.log(
        `  ${''.padEnd(21)} CPU ms a request, server + PostgreSQL: Motus ${cpu(f.motusCpuMsPerRequest)}, bare ${cpu(f.bareCpuMsPerRequest)}; queue drained in ${(f.settledMs.motus / 1000).toFixed(1)} / ${(f.settledMs.bare / 1000).toFixed(1)} s; non-2xx/errors ${f.non2xx.motus} / ${f.non2xx.bare}`,
      );
    }
    for (const [label, p] of [['search', plans.search], ['no search', plans.noSearch]] as const) {
      const one = (e: typeof p.page) => `${e.scans.join('; ')}, estimated cost ${int(e.estimatedCost)}, ${ms(e.executionMs)} ms of which JIT ${ms(e.jitMs)} ms`;
      console.log(`  Plan, ${label}: page: ${one(p.page)}`);
      console.log(`  ${''.padEnd(7 + label.length)}count: ${one(p.count)}`);
    }
    const busiest = Math.max(...[figures.search, figures.noSearch].flatMap((f) => [f.otherProgramsShare.motus, f.otherProgramsShare.bare]));
    if (busiest > 0.1) console.log(`  WARNING: other programs used up to ${(busiest * 100).toFixed(0)} % of the machine during a run; the figures are low and noisy.`);
    const t = figures.transfer;
    if (t.status !== 200) console.log(`  Transfer FAILED: POST ${transferPath} answered ${t.status}: ${JSON.stringify(transfer.json)}`);
    // It measures rather than gates, but a transfer that did not do its work is no measurement.
    if (t.status !== 200 || t.moved !== t.patients || !t.codesUnchanged) process.exitCode = 1;
    console.log(
      `  Transfer of ${int(t.patients)} patients: ${(t.wallMs / 1000).toFixed(2)} s (bare UPDATE of the same rows ${(t.bareMs / 1000).toFixed(2)} s); moved ${int(t.moved)}, left ${t.leftWithLeaver}, programme codes ${t.codesUnchanged ? 'unchanged' : 'CHANGED'}, ${int(t.auditRecords)} audit records`,
    );
    const file = path.join(REPO_ROOT, 'bench', 'results', 'patients.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ benchmark: 'patients', finishedAt: new Date().toISOString(), practice: { counts: c, searchTerms: terms, seconds: practice.seconds }, figures, plans }, null, 2));
  } finally {
    await db.end();
  }
}

try {
  await main();
} finally {
  bare?.stop();
  await server?.stop().catch(() => {});
  await database?.drop().catch(() => {});
}
