import type { Config } from './config.ts';
import type { Clock } from './platform/clock.ts';
import type { Db } from './platform/db/database.ts';
import type { Throttle } from './platform/throttle.ts';
import type { JobRunner } from './jobs/runner.ts';
import type { PasswordHasher } from './accounts/passwords.ts';

/** What services are built from: one instance per running app, created in buildApp. */
export interface Deps {
  config: Config;
  db: Db;
  clock: Clock;
  throttle: Throttle;
  /** The durable job queue; `jobs.kick()` after a commit that queued mail or other work. */
  jobs: JobRunner;
  hasher: PasswordHasher;
}
