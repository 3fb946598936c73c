/**
 * Sign-in benchmark (`npm run bench`).
 *
 * Starts the real server (`node src/main.ts`) in its own process on a fresh PostgreSQL database and
 * drives it over loopback from this process with autocannon. Figures are reported against a ceiling
 * measured in the same run on the same machine (ENGINEERING.md §5):
 *
 *   - argon2id verifications per second with the server's hasher and thread pool (the ceiling);
 *   - sign-ins per second, and their ratio to that ceiling (target ≥ 0.8);
 *   - GET /api/health latency with no load and while 100 sign-ins run at once (target p99 < 20 ms).
 *
 * Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) names an
 * existing database on the server where a throwaway `motus_bench_<random>` database is created and
 * dropped. UV_THREADPOOL_SIZE (default 4) is given to both the server and the ceiling.
 *
 * Prints a table, writes bench/results/latest.json, exits 0 whether or not targets are met (it
 * measures; it does not gate). Exits 1 only when it could not measure.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { machineCpu, NodeThreadMeter, ProcessSchedMeter, type SchedTime, type ThreadGroupTimes } from './lib/cpu.ts';
import { runLoad, summarize, type LatencySummary } from './lib/load.ts';
import { createBenchDatabase, type BenchDatabase } from './lib/postgres.ts';
import { REPO_ROOT, startServer, type ServerProcess } from './lib/server.ts';

const SETTINGS = {
  databaseBaseUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
  threadPoolSize: Number(process.env.UV_THREADPOOL_SIZE || 4),
  accounts: 200,
  signUpConcurrency: 8,
  ceilingSeconds: 5,
  signInConnections: 16,
  signInWarmupSeconds: 3,
  signInSeconds: 10,
  healthIdleSeconds: 5,
  busyConnections: 100,
  /** The health probe starts this long after the 100-connection load, and stops before it does. */
  busyRampSeconds: 2,
  healthBusySeconds: 8,
} as const;

const TARGETS = { signInRatio: 0.8, healthP99UnderLoadMs: 20 } as const;

const RESULTS_FILE = path.join(REPO_ROOT, 'bench', 'results', 'latest.json');
const SIGN_IN_PATH = '/api/auth/sign-in';

// ---------------------------------------------------------------------------------------------
// Cleanup: the server process, the ceiling process and the database go away on every exit path.

let server: ServerProcess | undefined;
let database: BenchDatabase | undefined;
let ceilingChild: ChildProcess | undefined;
let cleaning: Promise<void> | undefined;
let interrupted = false;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    ceilingChild?.kill('SIGKILL');
    await server?.stop().catch(() => {});
    await database?.drop().catch((err: unknown) => console.error(`Could not drop ${database?.name}: ${String(err)}`));
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: stopping the server and dropping the benchmark database…`);
    const forced = setTimeout(() => process.exit(130), 15_000);
    forced.unref();
    void cleanup().finally(() => process.exit(130));
  });
}
process.once('exit', () => {
  // Synchronous last resort; the database is dropped by cleanup() on every path that can await.
  ceilingChild?.kill('SIGKILL');
  server?.kill();
});

// ---------------------------------------------------------------------------------------------
// Measurement helpers

interface PhaseCpu {
  wallMs: number;
  /** Machine capacity over the phase: wall time × cores, in CPU milliseconds. */
  machineTotalMs: number | null;
  machineBusyMs: number | null;
  /** Part of the busy time the hypervisor gave to other machines. */
  stealMs: number | null;
  /** On-CPU time of the server, the PostgreSQL backends of the bench database and this process. */
  serverMs: number | null;
  postgresMs: number | null;
  loadGeneratorMs: number | null;
  /** Busy time not used by the three above: other programs, PostgreSQL background processes, steal. */
  otherMs: number | null;
  /** Running and waiting-for-a-CPU time, by thread kind. */
  server: ThreadGroupTimes | null;
  loadGenerator: ThreadGroupTimes | null;
  postgres: SchedTime | null;
}

const sumRun = (t: ThreadGroupTimes | null) => (t ? t.eventLoop.runMs + t.threadPool.runMs + t.v8.runMs + t.other.runMs : null);

async function startMeter(db: BenchDatabase, srv: ServerProcess) {
  const pg = new ProcessSchedMeter(await db.backendPids());
  const serverThreads = new NodeThreadMeter(srv.pid);
  const selfThreads = new NodeThreadMeter(process.pid);
  const machine = machineCpu();
  const startedAt = performance.now();
  return async function stop(): Promise<PhaseCpu> {
    const wallMs = performance.now() - startedAt;
    const machineEnd = machineCpu();
    const server = serverThreads.read();
    const loadGenerator = selfThreads.read();
    const postgres = pg.read(await db.backendPids());
    const serverMs = sumRun(server);
    const loadGeneratorMs = sumRun(loadGenerator);
    const busy = machine && machineEnd ? machineEnd.busyMs - machine.busyMs : null;
    return {
      wallMs,
      machineTotalMs: machine && machineEnd ? machineEnd.totalMs - machine.totalMs : null,
      machineBusyMs: busy,
      stealMs: machine && machineEnd ? machineEnd.stealMs - machine.stealMs : null,
      serverMs,
      postgresMs: postgres?.runMs ?? null,
      loadGeneratorMs,
      otherMs: busy !== null ? Math.max(0, busy - (serverMs ?? 0) - (postgres?.runMs ?? 0) - (loadGeneratorMs ?? 0)) : null,
      server,
      loadGenerator,
      postgres,
    };
  };
}

interface Ceiling {
  verifications: number;
  seconds: number;
  perSecond: number;
  cpuMsPerVerification: number;
  threadPoolSize: number;
  inFlight: number;
  params: { algorithm: string; memoryKiB: number; timeCost: number; parallelism: number };
  cpu: { ownMs: number; machineBusyMs: number | null; machineTotalMs: number | null };
}

/** Runs bench/argon2-ceiling.ts in its own process with the server's thread pool size. */
async function measureCeiling(): Promise<Ceiling> {
  const env: NodeJS.ProcessEnv = { ...process.env, UV_THREADPOOL_SIZE: String(SETTINGS.threadPoolSize) };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, [path.join('bench', 'argon2-ceiling.ts'), String(SETTINGS.ceilingSeconds)], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  ceilingChild = child;
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const limit = setTimeout(() => child.kill('SIGKILL'), (SETTINGS.ceilingSeconds + 30) * 1000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(limit);
  ceilingChild = undefined;
  if (code !== 0) throw new Error(`The argon2 ceiling process failed (exit ${code}):\n${err}`);
  return JSON.parse(out.trim().split('\n').pop()!) as Ceiling;
}

interface Account {
  email: string;
  password: string;
}

async function signUpAccounts(baseUrl: string): Promise<Account[]> {
  const runId = randomBytes(3).toString('hex');
  const accounts: Account[] = Array.from({ length: SETTINGS.accounts }, (_, i) => ({
    email: `bench-${runId}-${String(i).padStart(4, '0')}@example.org`,
    password: `${randomBytes(12).toString('base64url')}-Pw`,
  }));
  let next = 0;
  const deadline = Date.now() + 90_000;
  async function worker() {
    while (next < accounts.length) {
      if (Date.now() > deadline) throw new Error('Signing up the benchmark accounts took longer than 90 s');
      const i = next++;
      const { email, password } = accounts[i]!;
      const res = await fetch(`${baseUrl}/api/auth/sign-up`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password, name: `Bench Person ${i}` }),
        signal: AbortSignal.timeout(30_000),
      });
      if (res.status !== 201) throw new Error(`Sign-up ${i} answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer().catch(() => {});
    }
  }
  await Promise.all(Array.from({ length: SETTINGS.signUpConcurrency }, worker));
  // One sign-in by hand, so that a broken route fails here rather than as a row of non-2xx counts.
  const probe = await fetch(`${baseUrl}${SIGN_IN_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(accounts[0]),
    signal: AbortSignal.timeout(30_000),
  });
  if (probe.status !== 200) throw new Error(`A test sign-in answered ${probe.status}: ${await probe.text()}`);
  return accounts;
}

/** Sign-in load: each request signs in the next account in turn, across all connections. */
function signInLoad(baseUrl: string, accounts: Account[], connections: number, seconds: number) {
  const bodies = accounts.map((a) => JSON.stringify({ email: a.email, password: a.password }));
  let next = 0;
  return runLoad({
    url: baseUrl,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: SIGN_IN_PATH,
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length]! }),
      },
    ],
  });
}

/** One connection asking GET /api/health back to back: each answer waits for whatever the server's event loop is doing. */
function healthProbe(baseUrl: string, seconds: number) {
  return runLoad({ url: `${baseUrl}/api/health`, connections: 1, duration: seconds });
}

function gitState(): { commit: string | null; uncommittedChanges: boolean | null } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: REPO_ROOT, encoding: 'utf8' });
    return { commit, uncommittedChanges: status.trim().length > 0 };
  } catch {
    return { commit: null, uncommittedChanges: null };
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const fmt = (n: number | null | undefined, digits = 1) => (n === null || n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(digits));
const pct = (part: number | null, whole: number | null) => (part === null || !whole ? 'n/a' : `${((100 * part) / whole).toFixed(0)}%`);

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('   ').trimEnd()).join('\n');
}

function cpuRows(label: string, cpu: PhaseCpu, perUnit: number, unit: string): string[][] {
  const per = (ms: number | null | undefined) => (ms === null || ms === undefined || !perUnit ? 'n/a' : fmt(ms / perUnit, 2));
  const idle = cpu.machineTotalMs !== null && cpu.machineBusyMs !== null ? cpu.machineTotalMs - cpu.machineBusyMs : null;
  const row = (name: string, ms: number | null | undefined) => [name, per(ms), pct(ms ?? null, cpu.machineTotalMs)];
  return [
    [label, `CPU ms / ${unit}`, 'share of machine'],
    row('  server event loop thread', cpu.server?.eventLoop.runMs),
    row('  server thread pool (argon2id)', cpu.server?.threadPool.runMs),
    row('  server V8 helper threads (GC, compiler)', (cpu.server?.v8.runMs ?? 0) + (cpu.server?.other.runMs ?? 0)),
    row('  PostgreSQL backends of the bench database', cpu.postgresMs),
    row('  load generator (this process)', cpu.loadGeneratorMs),
    row(`  everything else (other programs, steal ${pct(cpu.stealMs, cpu.machineTotalMs)})`, cpu.otherMs),
    ['  idle', '', pct(idle, cpu.machineTotalMs)],
  ];
}

/** How long threads were ready to run but had no CPU, as a share of the phase's wall time. */
function waitRows(label: string, cpu: PhaseCpu): string[][] {
  const share = (ms: number | null | undefined) => (ms === null || ms === undefined ? 'n/a' : `${((100 * ms) / cpu.wallMs).toFixed(0)}%`);
  return [
    [label, 'running', 'waiting for a CPU'],
    ['  server event loop thread', share(cpu.server?.eventLoop.runMs), share(cpu.server?.eventLoop.waitMs)],
    ['  server thread pool, all threads together', share(cpu.server?.threadPool.runMs), share(cpu.server?.threadPool.waitMs)],
    ['  PostgreSQL backends, all together', share(cpu.postgres?.runMs), share(cpu.postgres?.waitMs)],
    ['  load generator event loop thread', share(cpu.loadGenerator?.eventLoop.runMs), share(cpu.loadGenerator?.eventLoop.waitMs)],
  ];
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = performance.now();
  const cores = os.availableParallelism();
  const log = (message: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}`);

  database = await createBenchDatabase(SETTINGS.databaseBaseUrl);
  log(`database ${database.name} created (PostgreSQL ${database.version})`);
  server = await startServer({
    databaseUrl: database.url,
    threadPoolSize: SETTINGS.threadPoolSize,
    env: {
      SIGN_INS_PER_ADDRESS_PER_MINUTE: '10000000',
      SIGN_IN_FAILURES_PER_ADDRESS: '10000000',
      SIGN_UPS_PER_ADDRESS_PER_HOUR: '10000000',
    },
  });
  log(`server pid ${server.pid} listening on ${server.baseUrl} (UV_THREADPOOL_SIZE=${SETTINGS.threadPoolSize})`);

  const accounts = await signUpAccounts(server.baseUrl);
  log(`${accounts.length} accounts signed up`);

  const idle = await healthProbe(server.baseUrl, SETTINGS.healthIdleSeconds).done;
  const healthIdle = summarize(idle.latenciesMs);
  log(`/api/health with no load: p50 ${fmt(healthIdle.p50, 2)} ms, p99 ${fmt(healthIdle.p99, 2)} ms over ${healthIdle.samples} requests`);

  const ceilingBefore = await measureCeiling();
  log(`argon2id ceiling: ${fmt(ceilingBefore.perSecond)} verifications/s`);

  const warm = await signInLoad(server.baseUrl, accounts, SETTINGS.signInConnections, SETTINGS.signInWarmupSeconds).done;
  log(`warm-up: ${warm.result['2xx']} sign-ins`);

  let meter = await startMeter(database, server);
  const signIn = (await signInLoad(server.baseUrl, accounts, SETTINGS.signInConnections, SETTINGS.signInSeconds).done).result;
  const signInCpu = await meter();
  const signInsPerSecond = signIn['2xx'] / signIn.duration;
  log(`sign-in: ${fmt(signInsPerSecond)} sign-ins/s (${signIn['2xx']} in ${fmt(signIn.duration, 2)} s, ${signIn.non2xx} non-2xx, ${signIn.errors} errors)`);

  const ceilingAfter = await measureCeiling();
  log(`argon2id ceiling again: ${fmt(ceilingAfter.perSecond)} verifications/s`);
  const ceilingPerSecond = (ceilingBefore.perSecond + ceilingAfter.perSecond) / 2;
  const ceilingSpread = Math.abs(ceilingBefore.perSecond - ceilingAfter.perSecond) / ceilingPerSecond;
  const argon2CpuMs = (ceilingBefore.cpuMsPerVerification + ceilingAfter.cpuMsPerVerification) / 2;

  meter = await startMeter(database, server);
  const busy = signInLoad(server.baseUrl, accounts, SETTINGS.busyConnections, SETTINGS.healthBusySeconds + 2 * SETTINGS.busyRampSeconds);
  let probe: Awaited<ReturnType<typeof healthProbe>['done']>;
  try {
    await sleep(SETTINGS.busyRampSeconds * 1000);
    probe = await healthProbe(server.baseUrl, SETTINGS.healthBusySeconds).done;
  } finally {
    busy.stop();
  }
  const busyResult = (await busy.done).result;
  const busyCpu = await meter();
  const healthBusy = summarize(probe.latenciesMs);
  const busySignInsPerSecond = busyResult['2xx'] / busyResult.duration;
  log(
    `/api/health under ${SETTINGS.busyConnections} concurrent sign-ins: p50 ${fmt(healthBusy.p50, 2)} ms, p99 ${fmt(healthBusy.p99, 2)} ms over ${healthBusy.samples} requests (${fmt(busySignInsPerSecond)} sign-ins/s meanwhile)`,
  );

  await cleanup();
  log('server stopped, database dropped');

  // ------------------------------------------------------------------------------------------
  const ratio = signInsPerSecond / ceilingPerSecond;
  const ratioPass = ratio >= TARGETS.signInRatio;
  // What the ratio would be if both runs had every core to themselves and were CPU-bound: the
  // CPU one verification takes, over the CPU one sign-in takes on this machine (server, its
  // PostgreSQL backends and the load generator). Less sensitive to other programs than the ratio.
  const signInCpuMs =
    signInCpu.serverMs !== null && signInCpu.postgresMs !== null && signInCpu.loadGeneratorMs !== null && signIn['2xx']
      ? (signInCpu.serverMs + signInCpu.postgresMs + signInCpu.loadGeneratorMs) / signIn['2xx']
      : null;
  const cpuModelRatio = signInCpuMs ? argon2CpuMs / signInCpuMs : null;
  const healthPass = healthBusy.p99 < TARGETS.healthP99UnderLoadMs;
  const ms = (s: LatencySummary, key: 'p50' | 'p99') => `${fmt(s[key], 2)} ms`;

  const cpuModel = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const memGiB = os.totalmem() / 1024 ** 3;
  console.log('');
  console.log(`Motus sign-in benchmark: ${cores} CPUs (${cpuModel}), ${fmt(memGiB)} GiB, Node ${process.version}, PostgreSQL ${database.version}, UV_THREADPOOL_SIZE=${SETTINGS.threadPoolSize}`);
  console.log('Server, PostgreSQL and load generator share these CPUs.');
  console.log('');
  console.log(
    table([
      ['Figure', 'Value', 'Target', 'Result'],
      [`argon2id verifications/s, ceiling (mean of 2 × ${SETTINGS.ceilingSeconds} s)`, fmt(ceilingPerSecond), '', ''],
      [`sign-ins/s (${SETTINGS.signInConnections} connections, ${SETTINGS.signInSeconds} s)`, fmt(signInsPerSecond), '', ''],
      ['sign-ins/s ÷ argon2id verifications/s', fmt(ratio, 2), `≥ ${TARGETS.signInRatio}`, ratioPass ? 'PASS' : 'MISS'],
      ['GET /api/health p50, no load', ms(healthIdle, 'p50'), '', ''],
      ['GET /api/health p99, no load (baseline)', ms(healthIdle, 'p99'), '', ''],
      [`GET /api/health p50, ${SETTINGS.busyConnections} concurrent sign-ins`, ms(healthBusy, 'p50'), '', ''],
      [`GET /api/health p99, ${SETTINGS.busyConnections} concurrent sign-ins`, ms(healthBusy, 'p99'), `< ${TARGETS.healthP99UnderLoadMs} ms`, healthPass ? 'PASS' : 'MISS'],
    ]),
  );
  console.log('');
  console.log(
    `Ceiling runs: ${fmt(ceilingBefore.perSecond)} and ${fmt(ceilingAfter.perSecond)} verifications/s (spread ${(ceilingSpread * 100).toFixed(0)}%), ${fmt(argon2CpuMs, 2)} CPU ms each; ` +
      `sign-in latency p50 ${signIn.latency.p50} ms, p99 ${signIn.latency.p99} ms; ${signIn.non2xx} non-2xx, ${signIn.errors} errors.`,
  );
  console.log(
    `During the health probe: ${fmt(busySignInsPerSecond)} sign-ins/s, health max ${fmt(healthBusy.max, 1)} ms, p99.9 ${fmt(healthBusy.p999, 1)} ms, ${healthBusy.samples} samples.`,
  );
  console.log('');
  console.log(table(cpuRows(`Where the CPU went during the ${SETTINGS.signInSeconds} s sign-in run`, signInCpu, signIn['2xx'], 'sign-in')));
  console.log(`  (one argon2id verification alone, in the ceiling runs: ${fmt(argon2CpuMs, 2)} CPU ms)`);
  console.log(
    `  CPU per sign-in (server + PostgreSQL + load generator): ${fmt(signInCpuMs, 2)} ms, so on an otherwise idle machine ` +
      `sign-ins/s ÷ argon2id verifications/s ≈ ${fmt(argon2CpuMs, 2)} ÷ ${fmt(signInCpuMs, 2)} = ${fmt(cpuModelRatio, 2)}`,
  );
  console.log('');
  console.log(table(waitRows(`Threads during the sign-in run (${SETTINGS.signInConnections} connections)`, signInCpu)));
  console.log('');
  console.log(table(waitRows(`Threads during the health probe (${SETTINGS.busyConnections} connections of sign-in)`, busyCpu)));
  console.log('');
  const warnings: string[] = [];
  if (signIn.non2xx || signIn.errors || busyResult.non2xx || busyResult.errors) {
    warnings.push(`some sign-ins failed: ${JSON.stringify({ run: signIn.statusCodeStats, underLoad: busyResult.statusCodeStats, errors: signIn.errors + busyResult.errors })}`);
  }
  if (ceilingSpread > 0.15) warnings.push(`the two ceiling runs differ by ${(ceilingSpread * 100).toFixed(0)}%: the machine was not steady, the ratio is unreliable`);
  const foreignShare = signInCpu.otherMs !== null && signInCpu.machineTotalMs ? signInCpu.otherMs / signInCpu.machineTotalMs : 0;
  if (foreignShare > 0.1) warnings.push(`${(foreignShare * 100).toFixed(0)}% of the machine went to other programs during the sign-in run: figures are low and noisy`);
  for (const w of warnings) console.log(`WARNING: ${w}`);

  const results = {
    benchmark: 'sign-in',
    finishedAt: new Date().toISOString(),
    git: gitState(),
    machine: {
      cpus: cores,
      cpuModel,
      memoryGiB: Number(memGiB.toFixed(1)),
      platform: `${os.platform()} ${os.release()}`,
      node: process.version,
      postgres: database.version,
      loadAverage: os.loadavg(),
    },
    settings: { ...SETTINGS, databaseBaseUrl: undefined },
    targets: [
      { figure: 'signInRatio', value: ratio, target: `>= ${TARGETS.signInRatio}`, pass: ratioPass },
      { figure: 'healthP99UnderLoadMs', value: healthBusy.p99, target: `< ${TARGETS.healthP99UnderLoadMs}`, pass: healthPass },
    ],
    argon2Ceiling: { perSecond: ceilingPerSecond, spread: ceilingSpread, cpuMsPerVerification: argon2CpuMs, runs: [ceilingBefore, ceilingAfter] },
    signIn: {
      perSecond: signInsPerSecond,
      ratioToCeiling: ratio,
      cpuMsPerSignIn: signInCpuMs,
      cpuModelRatio,
      connections: SETTINGS.signInConnections,
      seconds: signIn.duration,
      ok: signIn['2xx'],
      non2xx: signIn.non2xx,
      errors: signIn.errors,
      latencyMs: { p50: signIn.latency.p50, p90: signIn.latency.p90, p99: signIn.latency.p99, max: signIn.latency.max },
      cpu: signInCpu,
    },
    health: {
      idle: healthIdle,
      underSignInLoad: { ...healthBusy, connections: SETTINGS.busyConnections, signInsPerSecond: busySignInsPerSecond, signInNon2xx: busyResult.non2xx, cpu: busyCpu },
    },
    warnings,
    runtimeSeconds: (performance.now() - started) / 1000,
  };
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  console.log('');
  console.log(`Wrote ${path.relative(REPO_ROOT, RESULTS_FILE)} (${results.runtimeSeconds.toFixed(0)} s).`);
}

try {
  await main();
} catch (err) {
  if (!interrupted) console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
} finally {
  await cleanup();
}
