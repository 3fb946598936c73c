/**
 * The sign-in ceiling: how many argon2id verifications per second this machine does with the
 * server's own hasher and settings, keeping libuv's thread pool full as a busy server would.
 *
 * Run by bench/run.ts in a process of its own, with the server's UV_THREADPOOL_SIZE (libuv reads
 * it once, when the pool starts). Prints one JSON line.
 *
 *   node bench/argon2-ceiling.ts [seconds]
 */
import { PasswordHasher } from '../src/accounts/passwords.ts';
import { loadConfig } from '../src/config.ts';
import { machineCpu } from './lib/cpu.ts';

const seconds = Math.min(Math.max(Number(process.argv[2] ?? 5), 1), 60);
const threadPoolSize = Number(process.env.UV_THREADPOOL_SIZE ?? 4) || 4;
// Enough verifications in flight that a pool thread never waits for work.
const inFlight = threadPoolSize * 4;

// The settings the server derives from the same environment (ARGON2_MEMORY_KIB, ARGON2_TIME_COST).
const settings = loadConfig(process.env).argon2;
const hasher = new PasswordHasher(settings);
const password = 'correct horse battery staple 42';
const stored = await hasher.hash(password);
if (!(await hasher.verify(stored, password))) throw new Error('argon2 verification failed');

// Short warm-up, then a fixed window, counted like the HTTP load: verifications that finish inside
// the window, divided by its length. CPU time is shared over every verification that ran.
async function run(windowMs: number): Promise<{ count: number; completed: number; cpuMs: number; machineBusyMs: number | null; machineTotalMs: number | null }> {
  const machineStart = machineCpu();
  const cpuStart = process.cpuUsage();
  const end = performance.now() + windowMs;
  let count = 0;
  let completed = 0;
  async function worker() {
    while (performance.now() < end) {
      const ok = await hasher.verify(stored, password);
      if (!ok) throw new Error('argon2 verification failed');
      completed++;
      if (performance.now() <= end) count++;
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker));
  const cpu = process.cpuUsage(cpuStart);
  const machineEnd = machineCpu();
  return {
    count,
    completed,
    cpuMs: (cpu.user + cpu.system) / 1000,
    machineBusyMs: machineStart && machineEnd ? machineEnd.busyMs - machineStart.busyMs : null,
    machineTotalMs: machineStart && machineEnd ? machineEnd.totalMs - machineStart.totalMs : null,
  };
}

await run(1000);
const measured = await run(seconds * 1000);
console.log(
  JSON.stringify({
    verifications: measured.count,
    seconds,
    perSecond: measured.count / seconds,
    cpuMsPerVerification: measured.cpuMs / measured.completed,
    cpu: { ownMs: measured.cpuMs, machineBusyMs: measured.machineBusyMs, machineTotalMs: measured.machineTotalMs },
    threadPoolSize,
    inFlight,
    params: { algorithm: 'argon2id', memoryKiB: settings.memoryKiB, timeCost: settings.timeCost, parallelism: 1 },
  }),
);
