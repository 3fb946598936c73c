/**
 * Patient engagement benchmark (part of `npm run bench`).
 *
 * On a fresh PostgreSQL database with generated engagement (bench/lib/engagement.ts: 40
 * practitioners, each on their own free trial with 5 patients, each patient with one programme of
 * 3 exercises, four weeks of entries, opened by one phone; and a programme of 20 exercises with 90
 * days of entries), measures against bare Fastify + pg running the same statements (ENGINEERING.md §5):
 *   - recording an entry, PUT /api/patient/entries/:clientId, from the 200 phones at once (each
 *     connection one device with its own token, a fresh client id on every request), against the
 *     bare INSERT of the same row;
 *   - opening today's view, GET /api/patient/programme?day=…, from the 200 phones, against the bare
 *     reads of the same data;
 *   - the practitioner's chart, GET /api/programmes/:programmeId/engagement?days=90, from 8
 *     connections of that practitioner's session: latency (target p99 under 50 ms), against the
 *     bare reads of the same rows; then on one connection, for its latency when nothing queues.
 * It also prints the plans of the entries read by programme and day, and the SQL statements each
 * of the three requests sends (counted in-process, on the same database, after the load).
 * Both servers run in their own processes; load comes from this one over loopback.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { addDays, mondayOf } from '../src/engagement/schedule.ts';
import { systemClock } from '../src/platform/clock.ts';
import { POSTGRES_SESSION_OPTIONS, type DatabaseHandle } from '../src/platform/db/database.ts';
import type { Database } from '../src/platform/db/schema.ts';
import { programmeToday } from '../src/programmes/items.ts';
import { api } from './lib/api.ts';
import { bind, engagementStatements, generateEngagement, type EngagementWorld } from './lib/engagement.ts';
import { runLoad, summarize, type LoadRun } from './lib/load.ts';
import { explain, measured, settle, type MeasuredRun } from './lib/measure.ts';
import { createBenchDatabase, type BenchDatabase } from './lib/postgres.ts';
import { REPO_ROOT, startBareServer, startServer, type BareServerProcess, type ServerProcess } from './lib/server.ts';

const BASE = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const SECONDS = 8;
const WARM_UP_SECONDS = 3;
const WARM_UP_CONNECTIONS = 4;
const CHART_CONNECTIONS = 8;
/** The chart's run on one connection, for its latency when nothing queues. */
const ALONE_SECONDS = 5;
const CHART_DAYS = 90;
const TARGET_RATIO = 0.6;
const TARGET_CHART_P99_MS = 50;
const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1';
// Pain 2 is below every programme's alert threshold (7) and never "rising" after the generated
// entries (pain 1 or more): recording raises no alert and queues no email (R-ENG-6).
const ENTRY = { itemIndex: 0, setsDone: 3, pain: 2, difficulty: 'about_right', comment: null };

let database: BenchDatabase | undefined;
let server: ServerProcess | undefined;
let bare: BareServerProcess | undefined;

const int = (n: number) => Math.round(n).toLocaleString('en-GB');
const config = loadConfig({ NODE_ENV: 'test', BILLING_TIME_ZONE: process.env.BILLING_TIME_ZONE });
/** The installation's day, as the server computes it (BILLING_TIME_ZONE, the server inherits this environment). */
const today = () => programmeToday({ clock: systemClock, config });

interface Load {
  method: 'GET' | 'PUT';
  connections: number;
  path: () => string;
  headers: (client: number) => Record<string, string>;
  body?: () => string;
}

/** One load run; each connection gets the headers of its client number (one device or one session each). */
function load(url: string, l: Load, duration: number): Promise<LoadRun> {
  let client = 0;
  return runLoad({
    url,
    connections: l.connections,
    duration,
    setupClient: (c: { setHeaders: (h: Record<string, string>) => void }) => c.setHeaders(l.headers(client++ % l.connections)),
    requests: [{ method: l.method, setupRequest: (req: Record<string, unknown>) => ({ ...req, path: l.path(), ...(l.body ? { body: l.body() } : {}) }) }],
  } as unknown as Parameters<typeof runLoad>[0]).done;
}

/**
 * The SQL statements (each one a round trip, `begin` and `commit` included) of one request of each
 * kind, from the real app run in-process on the bench database with a pool that notes every query.
 */
async function statementsPerRequest(url: string, world: EngagementWorld) {
  const pool = new pg.Pool({ connectionString: url, max: 4, options: POSTGRES_SESSION_OPTIONS });
  pool.on('error', () => {});
  let recording: string[] | null = null;
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const q = args[0] as string | { text: string };
      if (recording) recording.push((typeof q === 'string' ? q : q.text).replace(/\s+/g, ' ').trim());
      return query(...args);
    };
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const handle: DatabaseHandle = { db, kind: 'postgres', close: () => db.destroy() };
  const appConfig = { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEV_MAILBOX: 'false', PUBLIC_URL: 'http://127.0.0.1:3000', DATABASE_URL: url, BILLING_TIME_ZONE: process.env.BILLING_TIME_ZONE }), webDir: undefined };
  const motus = await buildApp(appConfig, { database: handle, logger: false, runJobs: false });
  try {
    const device = world.devices[world.devices.length - 1]!;
    const practitioner = world.practitioners[0]!;
    const requests = {
      record: () => ({ method: 'PUT' as const, url: `/api/patient/entries/${randomUUID()}`, headers: { authorization: `Bearer ${device.token}`, 'user-agent': PHONE, 'content-type': 'application/json' }, payload: JSON.stringify({ day: today(), ...ENTRY }) }),
      home: () => ({ method: 'GET' as const, url: `/api/patient/programme?day=${today()}`, headers: { authorization: `Bearer ${device.token}`, 'user-agent': PHONE } }),
      chart: () => ({ method: 'GET' as const, url: `/api/programmes/${world.chart.programmeId}/engagement?days=${CHART_DAYS}`, headers: { cookie: practitioner.cookie } }),
    };
    const out: Record<string, { statements: string[]; writes: number; transactions: number }> = {};
    for (const [name, make] of Object.entries(requests)) {
      // Once unrecorded, so that nothing done only on a first request counts.
      const first = await motus.app.inject(make());
      if (first.statusCode !== 200) throw new Error(`${name} in-process answered ${first.statusCode}: ${first.body}`);
      recording = [];
      const res = await motus.app.inject(make());
      const statements: string[] = recording;
      recording = null;
      if (res.statusCode !== 200) throw new Error(`${name} in-process answered ${res.statusCode}: ${res.body}`);
      out[name] = { statements, writes: statements.filter((s) => /^(insert|update|delete)\b/i.test(s)).length, transactions: statements.filter((s) => /^begin\b/i.test(s)).length };
    }
    return out;
  } finally {
    await motus.close().catch(() => {});
    await handle.close().catch(() => {});
  }
}

async function main() {
  database = await createBenchDatabase(BASE);
  server = await startServer({ databaseUrl: database.url, threadPoolSize: 4, env: { SIGN_UPS_PER_ADDRESS_PER_HOUR: '100000', SIGN_INS_PER_ADDRESS_PER_MINUTE: '100000', DATABASE_POOL_SIZE: '10' } });
  const base = server.baseUrl;
  // Plans are explained with the servers' own session settings.
  const db = new pg.Pool({ connectionString: database.url, max: 4, options: POSTGRES_SESSION_OPTIONS });
  // A connection ended by the database's drop must not end this process.
  db.on('error', () => {});
  try {
    const day = today();
    const world = await generateEngagement({ baseUrl: base, db, today: day, chartDays: CHART_DAYS });
    const c = world.counts;
    const spread = `${c.devices} phones of ${c.patients - 1} patients: ${c.practitioners} practitioners, each on their own free trial (${c.auditChains} practices, so ${c.auditChains} audit chains), with ${world.devices.length / c.practitioners} patients each, one programme of 3 exercises opened by one phone per patient`;
    const summary = `${spread}; ${int(c.entries)} entries generated (4 weeks per programme, and ${int(world.chart.entries)} in a programme of ${world.chart.exercises} exercises over ${world.chart.days} days); ${c.stockExercises} stock exercises; generated in ${world.seconds.toFixed(1)} s`;
    console.error(`engagement: ${summary}`);
    if (c.auditChains < c.practitioners) throw new Error(`The devices write to ${c.auditChains} audit chains, not one per practitioner's practice`);

    bare = await startBareServer(database.url);
    const statements = await engagementStatements();
    const devices = world.devices;
    const n = devices.length;
    const chartSession = world.practitioners[0]!;
    const motusDevice = (i: number) => ({ authorization: `Bearer ${devices[i]!.token}`, 'user-agent': PHONE });
    const bareDevice = (i: number) => ({ 'x-programme-id': devices[i]!.programmeId, 'x-device-id': devices[i]!.deviceId, 'x-exercise-id': devices[i]!.exerciseId });
    const json = { 'content-type': 'application/json' };
    const entryBody = () => JSON.stringify({ day: today(), ...ENTRY });
    const loads = {
      home: {
        motus: { method: 'GET', connections: n, path: () => `/api/patient/programme?day=${today()}`, headers: motusDevice },
        bare: { method: 'GET', connections: n, path: () => `/programme?day=${today()}`, headers: bareDevice },
      },
      record: {
        motus: { method: 'PUT', connections: n, path: () => `/api/patient/entries/${randomUUID()}`, headers: (i) => ({ ...motusDevice(i), ...json }), body: entryBody },
        bare: { method: 'PUT', connections: n, path: () => `/entries/${randomUUID()}`, headers: (i) => ({ ...bareDevice(i), ...json }), body: entryBody },
      },
      chart: {
        motus: { method: 'GET', connections: CHART_CONNECTIONS, path: () => `/api/programmes/${world.chart.programmeId}/engagement?days=${CHART_DAYS}`, headers: () => ({ cookie: chartSession.cookie }) },
        bare: { method: 'GET', connections: CHART_CONNECTIONS, path: () => `/engagement/${world.chart.programmeId}?days=${CHART_DAYS}&today=${today()}`, headers: () => ({}) },
      },
    } satisfies Record<string, { motus: Load; bare: Load }>;

    // Both answer alike, so that the ceiling reads what Motus reads.
    {
      const m = await api(base, 'GET', loads.home.motus.path(), undefined, motusDevice(0));
      const b = await api(bare.baseUrl, 'GET', loads.home.bare.path(), undefined, bareDevice(0));
      if (m.status !== 200) throw new Error(`GET /api/patient/programme answered ${m.status}: ${JSON.stringify(m.json)}`);
      if (!m.json.canRecord) throw new Error(`The phone may not record: ${JSON.stringify(m.json.programme.notice)}`);
      const motusEntries = (m.json.entries as Array<{ clientId: string }>).map((e) => e.clientId).join();
      const bareEntries = (b.json.entries as Array<{ client_id: string }>).map((e) => e.client_id).join();
      const motusNames = (m.json.programme.items as Array<{ exercise: { name: string } }>).map((i) => i.exercise.name).sort().join();
      const bareNames = (b.json.exercises as Array<{ name: string }>).map((e) => e.name).sort().join();
      if (motusEntries !== bareEntries || motusNames !== bareNames || m.json.unreadMessages !== b.json.unreadMessages || (m.json.reminder === null) !== (b.json.reminder === null)) {
        throw new Error(`Motus and the bare server disagree on today's view: ${m.json.entries.length} vs ${b.json.entries.length} entries, exercises ${motusNames} vs ${bareNames}`);
      }
      const mc = await api(base, 'GET', loads.chart.motus.path(), undefined, { cookie: chartSession.cookie });
      const bc = await api(bare.baseUrl, 'GET', loads.chart.bare.path());
      if (mc.status !== 200) throw new Error(`GET engagement answered ${mc.status}: ${JSON.stringify(mc.json)}`);
      const done = (mc.json.days as Array<{ done: number }>).reduce((a, d) => a + d.done, 0);
      if (done !== bc.json.entries || mc.json.from !== bc.json.from || mc.json.exercises.length !== world.chart.exercises) {
        throw new Error(`Motus and the bare server disagree on the chart: ${done} vs ${bc.json.entries} entries from ${mc.json.from} vs ${bc.json.from}`);
      }
      for (const [url, l, headers] of [[base, loads.record.motus, motusDevice(0)], [bare.baseUrl, loads.record.bare, bareDevice(0)]] as const) {
        const r = await api(url, 'PUT', l.path(), JSON.parse(entryBody()), headers);
        if (r.status !== 200 || r.json.stored !== 'created') throw new Error(`PUT ${l.path()} answered ${r.status}: ${JSON.stringify(r.json)}`);
      }
    }
    const weekEntries = (await db.query<{ n: number }>('select (count(*)::float / count(distinct programme_id))::float as n from programme_entries where programme_id = any($1) and day between $2 and $3', [devices.map((d) => d.programmeId), mondayOf(day), addDays(mondayOf(day), 6)])).rows[0]!.n;

    // The entries read by programme and day, as the generated weeks left them: a phone's week, and
    // the chart's 90 days.
    const device = devices[1]!;
    const monday = mondayOf(today());
    const chartFrom = addDays(today(), -(CHART_DAYS - 1));
    const plans = {
      week: await explain(db, bind(statements.entriesBetween, { programmeId: device.programmeId, from: monday, to: addDays(monday, 6) }), 'programme_entries'),
      chart: await explain(db, bind(statements.entriesBetween, { programmeId: world.chart.programmeId, from: chartFrom < world.chart.startDate ? world.chart.startDate : chartFrom, to: today() }), 'programme_entries'),
    };

    const countEntries = async () => (await db.query<{ n: number }>('select count(*)::int as n from programme_entries')).rows[0]!.n;
    const runs: Record<string, { motus: MeasuredRun; bare: MeasuredRun }> = {};
    const settled: Record<string, number> = {};
    const stored: Record<string, number> = {};
    // Each run: a short warm-up on a few connections, then the full load; the server finishes what
    // it still has in hand before the next run starts.
    const measure = async (name: string, url: string, pid: number, l: Load) => {
      await load(url, { ...l, connections: Math.min(WARM_UP_CONNECTIONS, l.connections) }, WARM_UP_SECONDS);
      await settle(db, database!.name);
      const before = await countEntries();
      const run = await measured(database!, pid, () => load(url, l, SECONDS));
      settled[name] = await settle(db, database!.name);
      stored[name] = (await countEntries()) - before;
      return run;
    };
    // Today's view first, so that it reads this week as the generated weeks left it.
    for (const name of ['home', 'record', 'chart'] as const) {
      const motus = await measure(`${name}.motus`, base, server.pid, loads[name].motus);
      const ceiling = await measure(`${name}.bare`, bare.baseUrl, bare.pid, loads[name].bare);
      runs[name] = { motus, bare: ceiling };
    }
    // The chart once at a time, back to back: what one request costs when nothing queues.
    const chartAlone = await measured(database, server.pid, () => load(base, { ...loads.chart.motus, connections: 1 }, ALONE_SECONDS));
    await settle(db, database.name);

    const perRequest = await statementsPerRequest(database.url, world);
    const after = (
      await db.query<{ alerts: number; emails: number; recorded: number }>(
        `select (select count(*)::int from engagement_alerts) as alerts,
                (select count(*)::int from outbox_emails where subject = 'A patient needs your attention') as emails,
                (select count(*)::int from audit_log where action = 'engagement.entry_recorded') as recorded`,
      )
    ).rows[0]!;

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
        /** Entries in the database afterwards less before (requests still in flight when the load stopped included). */
        entriesStored: { motus: stored[`${name}.motus`]!, bare: stored[`${name}.bare`]! },
        otherProgramsShare: { motus: r.motus.otherShare, bare: r.bare.otherShare },
      };
    };
    const figures = {
      home: figure('home'),
      record: figure('record'),
      chart: figure('chart'),
      chartOneConnection: { motusRps: rate(chartAlone.load), motusLatencyMs: summarize(chartAlone.load.latenciesMs), motusCpuMsPerRequest: chartAlone.cpuMsPerRequest, non2xx: chartAlone.load.result.non2xx + chartAlone.load.result.errors, otherProgramsShare: chartAlone.otherShare },
    };
    const targets = {
      record: { target: `ratio >= ${TARGET_RATIO}`, met: figures.record.ratio >= TARGET_RATIO },
      home: { target: `ratio >= ${TARGET_RATIO}`, met: figures.home.ratio >= TARGET_RATIO },
      chart: { target: `p99 < ${TARGET_CHART_P99_MS} ms`, met: figures.chart.motusLatencyMs.p99 < TARGET_CHART_P99_MS },
    };

    const ms = (v: number) => v.toFixed(1);
    const rps = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1)).padStart(5);
    const cpu = (x: { server: number; postgres: number }) => `${ms(x.server)} + ${ms(x.postgres)}`;
    const met = (t: { target: string; met: boolean }) => `(target ${t.target}: ${t.met ? 'met' : 'MISSED'})`;
    console.log(`\nPatient engagement benchmark (PostgreSQL ${database.version}, ${summary})`);
    const rows = [
      ['Record an entry', figures.record, `${n} phones`, targets.record],
      ["Open today's view", figures.home, `${n} phones`, targets.home],
      ['Chart, 90 days', figures.chart, `${CHART_CONNECTIONS} connections`, targets.chart],
    ] as const;
    for (const [label, f, who, target] of rows) {
      console.log(
        `  ${label.padEnd(18)} ${rps(f.motusRps)} req/s   bare ${rps(f.bareRps)} req/s   ratio ${f.ratio.toFixed(2)}   p50/p99 ${ms(f.motusLatencyMs.p50)}/${ms(f.motusLatencyMs.p99)} ms (bare ${ms(f.bareLatencyMs.p50)}/${ms(f.bareLatencyMs.p99)} ms), ${who}, ${f.motusLatencyMs.samples} / ${f.bareLatencyMs.samples} answers ${met(target)}`,
      );
      console.log(
        `  ${''.padEnd(18)} CPU ms a request, server + PostgreSQL: Motus ${cpu(f.motusCpuMsPerRequest)}, bare ${cpu(f.bareCpuMsPerRequest)}; queue drained in ${(f.settledMs.motus / 1000).toFixed(1)} / ${(f.settledMs.bare / 1000).toFixed(1)} s; non-2xx/errors ${f.non2xx.motus} / ${f.non2xx.bare}`,
      );
    }
    const alone = figures.chartOneConnection;
    console.log(`  ${'Chart, 1 at a time'.padEnd(18)} ${rps(alone.motusRps)} req/s   p50/p99 ${ms(alone.motusLatencyMs.p50)}/${ms(alone.motusLatencyMs.p99)} ms, CPU ms a request ${cpu(alone.motusCpuMsPerRequest)}, ${alone.motusLatencyMs.samples} answers`);
    console.log(`  Entries stored during the record runs: Motus ${int(figures.record.entriesStored.motus)}, bare ${int(figures.record.entriesStored.bare)}; a phone's week held ${weekEntries.toFixed(1)} entries on average when its view was read`);
    for (const [label, p] of [["a phone's week", plans.week], ['the chart, 90 days', plans.chart]] as const) {
      console.log(`  Plan of the entries of ${label}: ${p.scans.join('; ')} (top node ${p.topNode}), estimated cost ${int(p.estimatedCost)}, ${p.executionMs.toFixed(2)} ms, planning ${p.planningMs.toFixed(2)} ms`);
    }
    for (const [name, s] of Object.entries(perRequest)) {
      console.log(`  Statements of one ${name} request: ${s.statements.length} (${s.writes} writes, ${s.transactions} transaction${s.transactions === 1 ? '' : 's'})`);
      s.statements.forEach((q, i) => console.log(`    ${String(i + 1).padStart(2)}  ${q.length > 140 ? `${q.slice(0, 137)}...` : q}`));
    }
    console.log(`  Afterwards: ${after.alerts} alerts, ${after.emails} alert emails, ${int(after.recorded)} engagement.entry_recorded audit records`);
    const loaded = [figures.home, figures.record, figures.chart];
    const busiest = Math.max(alone.otherProgramsShare, ...loaded.flatMap((f) => [f.otherProgramsShare.motus, f.otherProgramsShare.bare]));
    if (busiest > 0.1) console.log(`  WARNING: other programs used up to ${(busiest * 100).toFixed(0)} % of the machine during a run; the figures are low and noisy.`);
    // It measures rather than gates, but failed requests or a raised alert make it no measurement.
    const failed = alone.non2xx > 0 || loaded.some((f) => f.non2xx.motus > 0 || f.non2xx.bare > 0);
    if (failed) console.log('  Some requests FAILED (non-2xx or errors): see above.');
    if (failed || after.alerts > 0 || after.emails > 0) process.exitCode = 1;

    const file = path.join(REPO_ROOT, 'bench', 'results', 'engagement.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      JSON.stringify({ benchmark: 'engagement', finishedAt: new Date().toISOString(), postgres: database.version, world: { counts: c, chart: world.chart, spread, seconds: world.seconds, weekEntriesPerProgramme: weekEntries }, figures, targets, plans, statementsPerRequest: perRequest, after }, null, 2),
    );
  } finally {
    await db.end().catch(() => {});
  }
}

async function cleanUp() {
  bare?.stop();
  bare = undefined;
  await server?.stop().catch(() => {});
  server = undefined;
  await database?.drop().catch((err: unknown) => console.error(`Could not drop ${database?.name}: ${String(err)}`));
  database = undefined;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void cleanUp().finally(() => process.exit(130));
  });
}

try {
  await main();
} catch (err) {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
