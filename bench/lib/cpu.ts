import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * CPU time accounting from /proc (Linux). Used to explain a figure, never to compute one: on a
 * machine without /proc every reading is null and the benchmark still runs.
 */

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

export interface MachineCpu {
  /** Time the cores were not idle, including time the hypervisor gave to other machines (steal). */
  busyMs: number;
  stealMs: number;
  totalMs: number;
}

/** Busy and total CPU milliseconds of the whole machine, summed over all cores, or null. */
export function machineCpu(): MachineCpu | null {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already inside user).
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = values;
    const busy = user + nice + system + irq + softirq + steal;
    const total = busy + idle + iowait;
    const ms = 1000 / clockTicks();
    return { busyMs: busy * ms, stealMs: steal * ms, totalMs: total * ms };
  } catch {
    return null;
  }
}

/** Time a thread spent running and waiting for a CPU (runnable but not running), in milliseconds. */
export interface SchedTime {
  runMs: number;
  waitMs: number;
}

export type ThreadGroup = 'eventLoop' | 'threadPool' | 'v8' | 'other';

function readSched(file: string): SchedTime | null {
  try {
    const [run, wait] = fs.readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
    if (!Number.isFinite(run) || !Number.isFinite(wait)) return null;
    return { runMs: run! / 1e6, waitMs: wait! / 1e6 };
  } catch {
    return null;
  }
}

function readComm(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

function groupOf(pid: number, tid: number, comm: string): ThreadGroup {
  if (tid === pid) return 'eventLoop';
  if (comm.startsWith('libuv-worker')) return 'threadPool';
  if (comm.startsWith('V8') || comm.startsWith('DelayedTask')) return 'v8';
  return 'other';
}

/** Per-thread scheduler times of a Node process, keyed by thread id. */
function nodeThreads(pid: number): Map<number, { group: ThreadGroup; sched: SchedTime }> {
  const threads = new Map<number, { group: ThreadGroup; sched: SchedTime }>();
  let tids: string[];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const t of tids) {
    const tid = Number(t);
    const sched = readSched(`/proc/${pid}/task/${t}/schedstat`);
    if (!sched) continue;
    const comm = readComm(`/proc/${pid}/task/${t}/comm`);
    if (comm === null) continue;
    threads.set(tid, { group: groupOf(pid, tid, comm), sched });
  }
  return threads;
}

export type ThreadGroupTimes = Record<ThreadGroup, SchedTime>;

/** Running and waiting time of a Node process's threads between two readings, by kind of thread. */
export class NodeThreadMeter {
  readonly pid: number;
  #start: Map<number, { group: ThreadGroup; sched: SchedTime }>;
  constructor(pid: number) {
    this.pid = pid;
    this.#start = nodeThreads(pid);
  }
  read(): ThreadGroupTimes | null {
    const end = nodeThreads(this.pid);
    if (end.size === 0) return null;
    const out: ThreadGroupTimes = {
      eventLoop: { runMs: 0, waitMs: 0 },
      threadPool: { runMs: 0, waitMs: 0 },
      v8: { runMs: 0, waitMs: 0 },
      other: { runMs: 0, waitMs: 0 },
    };
    for (const [tid, t] of end) {
      const before = this.#start.get(tid)?.sched ?? { runMs: 0, waitMs: 0 };
      out[t.group].runMs += t.sched.runMs - before.runMs;
      out[t.group].waitMs += t.sched.waitMs - before.waitMs;
    }
    return out;
  }
}

/** Running and waiting time of single-threaded processes (PostgreSQL backends) between two readings. */
export class ProcessSchedMeter {
  #start = new Map<number, SchedTime>();
  constructor(pids: number[]) {
    for (const pid of pids) {
      const s = readSched(`/proc/${pid}/schedstat`);
      if (s) this.#start.set(pid, s);
    }
  }
  read(pids: number[]): SchedTime | null {
    const sum = { runMs: 0, waitMs: 0 };
    let seen = false;
    for (const pid of pids) {
      const s = readSched(`/proc/${pid}/schedstat`);
      if (!s) continue;
      seen = true;
      const before = this.#start.get(pid) ?? { runMs: 0, waitMs: 0 };
      sum.runMs += s.runMs - before.runMs;
      sum.waitMs += s.waitMs - before.waitMs;
    }
    return seen ? sum : null;
  }
}
