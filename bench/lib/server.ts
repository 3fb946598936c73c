import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** A TCP port on the loopback interface that nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface ServerProcess {
  pid: number;
  baseUrl: string;
  /** The last lines the server wrote, for error messages. */
  output(): string;
  stop(): Promise<void>;
  /** Synchronous last resort for process exit handlers. */
  kill(): void;
}

export interface ServerOptions {
  databaseUrl: string;
  threadPoolSize: number;
  /** Extra or overriding environment variables for the server. */
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

/**
 * Starts the real server (`node src/main.ts`) in its own process on a free loopback port, and waits
 * until GET /api/health answers.
 */
export async function startServer(options: ServerOptions): Promise<ServerProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Nothing from the caller's environment may point the server at other resources.
  for (const key of ['DATABASE_URL', 'SMTP_URL', 'DATA_DIR', 'PUBLIC_URL', 'TRUST_PROXY', 'COOKIE_SECURE', 'NODE_OPTIONS']) delete env[key];
  Object.assign(env, {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: baseUrl,
    DATABASE_URL: options.databaseUrl,
    LOG_LEVEL: 'warn',
    DEV_MAILBOX: 'false',
    UV_THREADPOOL_SIZE: String(options.threadPoolSize),
    ...options.env,
  });

  const child: ChildProcess = spawn(process.execPath, ['src/main.ts'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    }),
  );

  const server: ServerProcess = {
    pid: child.pid!,
    baseUrl,
    output: () => lines.join('\n'),
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const stopped = await Promise.race([exit.then(() => true), sleep(5000).then(() => false)]);
      if (!stopped) {
        child.kill('SIGKILL');
        await Promise.race([exit, sleep(2000)]);
      }
    },
    kill() {
      if (!exited) child.kill('SIGKILL');
    },
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (exited) break;
    try {
      const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return server;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await server.stop();
  const why = exited ? `exited (${JSON.stringify(exited)})` : 'did not answer /api/health in time';
  throw new Error(`The Motus server ${why}. Its last output:\n${server.output()}`);
}

export interface BareServerProcess {
  pid: number;
  baseUrl: string;
  stop(): void;
}

/**
 * Starts `bench/bare-server.ts` (the ceiling: bare Fastify + pg, the same SQL as Motus without
 * sessions, access checks, validation or audit) in its own process, and waits until it answers.
 */
export async function startBareServer(databaseUrl: string): Promise<BareServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bench/bare-server.ts', String(port), databaseUrl], { cwd: REPO_ROOT, stdio: 'ignore' });
  const baseUrl = `http://127.0.0.1:${port}`;
  const bare = { pid: child.pid!, baseUrl, stop: () => void child.kill('SIGKILL') };
  for (let i = 0; i < 100; i++) {
    if ((await fetch(`${baseUrl}/health`).catch(() => null))?.ok) return bare;
    await sleep(100);
  }
  bare.stop();
  throw new Error('The bare server did not answer /health in time');
}
