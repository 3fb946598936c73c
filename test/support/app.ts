import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { buildApp, type BuildOptions, type Motus } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { ManualClock, type Clock } from '../../src/platform/clock.ts';
import { migrateToLatest, openDatabase } from '../../src/platform/db/database.ts';

export const usingPostgres = Boolean(process.env.TEST_DATABASE_URL);

/**
 * A fresh, empty database for one test file: an in-memory PGlite, or a new PostgreSQL database
 * created next to TEST_DATABASE_URL (dropped by `dropDatabase`).
 */
export async function freshDatabaseUrl(): Promise<string | undefined> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return undefined;
  const name = `motus_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(url: string | undefined): Promise<void> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base || !url) return;
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    // pg's Pool.end() resolves before its connections have finished closing; forcing the drop while
    // they close makes them emit "terminating connection" errors in the test process. Wait for them.
    for (let i = 0; i < 50; i++) {
      const { rows } = await admin.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
      if (rows[0]!.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await admin.query(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}

export function testConfig(overrides: Partial<Config> = {}, env: Record<string, string> = {}): Config {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: 'memory://',
    PUBLIC_URL: 'http://localhost:3000',
    // Tests sign in many times from one address; throttling has its own tests with low limits.
    SIGN_INS_PER_ADDRESS_PER_MINUTE: '100000',
    SIGN_IN_FAILURES_PER_ADDRESS: '100000',
    SIGN_UPS_PER_ADDRESS_PER_HOUR: '100000',
    PASSWORD_RESETS_PER_ADDRESS_PER_HOUR: '100000',
    ...env,
  });
  return { ...config, webDir: undefined, ...overrides };
}

export interface TestApp extends Motus {
  clock: ManualClock;
  config: Config;
  databaseUrl: string | undefined;
}

/**
 * The real app, in-process, on its own empty database, with a clock the test can move. `dataDir`
 * keeps the embedded database in a real folder (for tests that hand it to another process after
 * `close()`); it is ignored on PostgreSQL. The caller removes the folder.
 */
export async function createTestApp(
  options: { env?: Record<string, string>; config?: Partial<Config>; clock?: ManualClock; dataDir?: string; runJobs?: boolean; extraRoutes?: BuildOptions['extraRoutes'] } = {},
): Promise<TestApp> {
  const databaseUrl = await freshDatabaseUrl();
  const clock = options.clock ?? new ManualClock(new Date());
  const dataDir = !databaseUrl && options.dataDir ? options.dataDir : 'memory://';
  const config = testConfig({ databaseUrl, ...(dataDir === 'memory://' ? {} : { dataDir }), ...options.config }, options.env);
  const database = await openDatabase({ databaseUrl, dataDir, poolSize: 20 });
  await migrateToLatest(database.db as unknown as Kysely<unknown>);
  const motus = await buildApp(config, { clock: clock as Clock, database, logger: false, runJobs: options.runJobs ?? true, extraRoutes: options.extraRoutes });
  return {
    ...motus,
    clock,
    config,
    databaseUrl,
    async close() {
      await motus.close();
      await database.close();
      await dropDatabase(databaseUrl);
    },
  };
}
