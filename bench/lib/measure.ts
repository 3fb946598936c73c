/**
 * What the load benchmarks share around a load run: where the CPU went per answered request, waiting
 * until the database is quiet again, and the plan PostgreSQL chose for a statement.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { machineCpu, NodeThreadMeter, ProcessSchedMeter } from './cpu.ts';
import type { LoadRun } from './load.ts';
import type { BenchDatabase } from './postgres.ts';

/** Longest wait for requests still queued in a server after its load stops (see `settle`). */
export const SETTLE_LIMIT_MS = 120_000;

const int = (n: number) => Math.round(n).toLocaleString('en-GB');

export interface MeasuredRun {
  load: LoadRun;
  cpuMsPerRequest: { server: number; postgres: number; loadGenerator: number };
  /** Whatever else ran on the machine meanwhile, as a share of all its CPU time. */
  otherShare: number;
}

/** CPU milliseconds the server under load, PostgreSQL and this process spend per answered request. */
export async function measured(db: BenchDatabase, pid: number, run: () => Promise<LoadRun>): Promise<MeasuredRun> {
  const pgMeter = new ProcessSchedMeter(await db.backendPids());
  const serverMeter = new NodeThreadMeter(pid);
  const selfMeter = new NodeThreadMeter(process.pid);
  const machine = machineCpu();
  const load = await run();
  const machineEnd = machineCpu();
  const sum = (t: ReturnType<NodeThreadMeter['read']>) => (t ? t.eventLoop.runMs + t.threadPool.runMs + t.v8.runMs + t.other.runMs : Number.NaN);
  const serverMs = sum(serverMeter.read());
  const postgresMs = pgMeter.read(await db.backendPids())?.runMs ?? Number.NaN;
  const loadGeneratorMs = sum(selfMeter.read());
  const n = load.result['2xx'] || 1;
  // Whatever else ran on the machine meanwhile, as a share of all its CPU time (other programs make the figures low and noisy).
  const otherShare = machine && machineEnd ? (machineEnd.busyMs - machine.busyMs - serverMs - postgresMs - loadGeneratorMs) / (machineEnd.totalMs - machine.totalMs) : Number.NaN;
  return { load, cpuMsPerRequest: { server: serverMs / n, postgres: postgresMs / n, loadGenerator: loadGeneratorMs / n }, otherShare: Math.max(0, otherShare) };
}

/**
 * Waits until no connection to the bench database is busy (other than this one), for a while on
 * end: a server keeps working through the requests that were in flight when the load generator
 * stopped, and that work must not fall into the next measurement. Returns the milliseconds waited.
 */
export async function settle(db: pg.Pool, name: string, limitMs = SETTLE_LIMIT_MS): Promise<number> {
  const started = performance.now();
  let quiet = 0;
  while (quiet < 3) {
    if (performance.now() - started > limitMs) throw new Error(`The database was still busy ${limitMs / 1000} s after the load stopped`);
    const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where datname = $1 and state <> 'idle' and pid <> pg_backend_pid()`, [name]);
    quiet = rows[0]!.n === 0 ? quiet + 1 : 0;
    await sleep(100);
  }
  return performance.now() - started;
}

/** The plan PostgreSQL chose for one statement: its top node, the scans of `relation`, and its time. */
export async function explain(db: pg.Pool, q: { sql: string; params: unknown[] }, relation: string) {
  const { rows } = await db.query(`explain (analyze, buffers, format json) ${q.sql}`, q.params);
  const root = rows[0]['QUERY PLAN'][0];
  const scans: string[] = [];
  const indexes: string[] = [];
  const children = (node: Record<string, unknown>) => (node.Plans as Array<Record<string, unknown>> | undefined) ?? [];
  // A bitmap heap scan names no index itself: the bitmap index scans below it do.
  const bitmapIndexes = (node: Record<string, unknown>): string[] => children(node).flatMap((c) => (c['Node Type'] === 'Bitmap Index Scan' ? [c['Index Name'] as string] : bitmapIndexes(c)));
  const walk = (node: Record<string, unknown>) => {
    if (node['Relation Name'] === relation) {
      const removed = Number(node['Rows Removed by Filter'] ?? 0);
      const used = [...new Set(node['Index Name'] ? [node['Index Name'] as string] : node['Node Type'] === 'Bitmap Heap Scan' ? bitmapIndexes(node) : [])];
      indexes.push(...used);
      scans.push(`${node['Node Type']}${used.length ? ` using ${used.join(' and ')}` : ''} on ${relation}: ${int(Number(node['Actual Rows']) + removed)} rows read, ${int(Number(node['Actual Rows']))} kept`);
    }
    for (const child of children(node)) walk(child);
  };
  walk(root.Plan);
  const text = (await db.query(`explain (analyze, buffers) ${q.sql}`, q.params)).rows.map((r) => r['QUERY PLAN'] as string);
  return { topNode: root.Plan['Node Type'] as string, scans, indexes, estimatedCost: root.Plan['Total Cost'] as number, executionMs: root['Execution Time'] as number, jitMs: (root.JIT?.Timing?.Total as number | undefined) ?? 0, planningMs: root['Planning Time'] as number, text };
}
