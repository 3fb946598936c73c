import { sql } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../platform/clock.ts';
import { newId } from '../platform/crypto.ts';
import type { Db, Tx } from '../platform/db/database.ts';

export interface JobRecord {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
}

export interface JobDefinition {
  /** Runs outside any transaction; opens its own. Must be safe to run again (at-least-once). */
  run(job: JobRecord): Promise<void>;
  /** Delay before the next attempt after `attempts` failures. */
  backoffMs?: (attempts: number) => number;
  maxAttempts?: number;
  /**
   * The payload holds personal data needed only to run the job (an address someone typed): it is
   * emptied once the job is done or has failed for good, so the queue keeps no copy of it.
   */
  transientPayload?: boolean;
}

export interface EnqueueOptions {
  kind: string;
  payload?: Record<string, unknown>;
  runAt?: Date;
  /** At most one job with this key ever exists: enqueueing it again does nothing. */
  dedupeKey?: string;
  maxAttempts?: number;
}


/** Adds a job inside the caller's transaction: it exists exactly when its cause committed. */
export async function enqueueJob(tx: Tx | Db, clock: Clock, options: EnqueueOptions): Promise<void> {
  await enqueueJobs(tx, clock, [options]);
}

/** Adds several jobs with one statement; a job whose dedupe key exists already is skipped. */
export async function enqueueJobs(tx: Tx | Db, clock: Clock, jobs: EnqueueOptions[]): Promise<void> {
  if (jobs.length === 0) return;
  const now = clock.now();
  await tx
    .insertInto('jobs')
    .values(
      jobs.map((options) => ({
        id: newId(),
        kind: options.kind,
        payload: JSON.stringify(options.payload ?? {}),
        dedupe_key: options.dedupeKey ?? null,
        run_at: options.runAt ?? now,
        max_attempts: options.maxAttempts ?? 10,
        created_at: now,
      })),
    )
    .onConflict((oc) => oc.column('dedupe_key').where('dedupe_key', 'is not', null).doNothing())
    .execute();
}
const defaultBackoff = (attempts: number) => Math.min(60 * 60 * 1000, 15_000 * 2 ** Math.max(0, attempts - 1));

/**
 * A durable job queue in the database. Jobs are written in the transaction that causes them (so
 * they exist exactly when their cause committed), claimed with `for update skip locked` (so two
 * processes never run the same job at once), retried with back-off, and leased: a job whose
 * process died is taken up again when its lease runs out. Time comes from the injected clock, so
 * tests move it and call `runDue()`.
 */
export class JobRunner {
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #log: FastifyBaseLogger;
  readonly #definitions = new Map<string, JobDefinition>();
  readonly #worker = `worker-${newId().slice(0, 8)}`;
  readonly #leaseMs: number;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<number> | null = null;
  #stopping = false;
  #again = false;

  /** `leaseMs`: how long a claimed job is reserved; a job whose process died runs again after it. */
  constructor(db: Db, clock: Clock, log: FastifyBaseLogger, leaseMs = 5 * 60 * 1000) {
    this.#db = db;
    this.#clock = clock;
    this.#log = log;
    this.#leaseMs = leaseMs;
  }

  define(kind: string, definition: JobDefinition): void {
    this.#definitions.set(kind, definition);
  }

  /** Adds a job inside the caller's transaction. */
  async enqueue(tx: Tx | Db, options: EnqueueOptions): Promise<void> {
    await enqueueJob(tx, this.#clock, { ...options, maxAttempts: options.maxAttempts ?? this.#definitions.get(options.kind)?.maxAttempts ?? 10 });
  }

  /** Claims and runs every job that is due, in batches; returns how many ran. */
  async runDue(batch = 5): Promise<number> {
    let total = 0;
    for (;;) {
      // On shutdown the job in hand is finished, and nothing more is claimed.
      if (this.#stopping) return total;
      const claimed = await this.#claim(batch);
      if (claimed.length === 0) return total;
      const done: string[] = [];
      for (const job of claimed) if (await this.#runOne(job)) done.push(job.id);
      // One statement marks a batch done. A crash before it only means those jobs run once more,
      // which every handler is written to allow.
      if (done.length > 0) {
        await this.#db
          .updateTable('jobs')
          .set({ state: 'done', finished_at: this.#clock.now(), locked_until: null, last_error: null })
          .where('id', 'in', done)
          .where('locked_by', '=', this.#worker)
          .execute();
        await this.#forgetPayloads(claimed.filter((job) => done.includes(job.id)));
      }
      total += claimed.length;
    }
  }

  async #claim(limit: number): Promise<JobRecord[]> {
    const now = this.#clock.now();
    const leaseUntil = new Date(now.getTime() + this.#leaseMs);
    const rows = await sql<{ id: string; kind: string; payload: Record<string, unknown>; attempts: number; max_attempts: number; run_at: Date }>`
      update jobs set locked_by = ${this.#worker}, locked_until = ${leaseUntil}, attempts = attempts + 1
      where id in (
        select id from jobs
        where state = 'pending' and run_at <= ${now} and (locked_until is null or locked_until <= ${now})
        order by run_at, created_at
        limit ${limit}
        for update skip locked
      )
      returning id, kind, payload, attempts, max_attempts, run_at`.execute(this.#db);
    return rows.rows.map((r) => ({ id: r.id, kind: r.kind, payload: r.payload, attempts: r.attempts, maxAttempts: r.max_attempts, runAt: r.run_at }));
  }

  /** Empties the payloads of finished jobs whose kind says they hold data needed only to run. */
  async #forgetPayloads(jobs: JobRecord[]): Promise<void> {
    const ids = jobs.filter((job) => this.#definitions.get(job.kind)?.transientPayload).map((job) => job.id);
    if (ids.length === 0) return;
    await this.#db.updateTable('jobs').set({ payload: '{}' }).where('id', 'in', ids).where('state', 'in', ['done', 'failed']).execute();
  }

  /** Runs one claimed job; true when it succeeded (the caller marks it done). */
  async #runOne(job: JobRecord): Promise<boolean> {
    const definition = this.#definitions.get(job.kind);
    try {
      if (!definition) throw new Error(`No handler for job kind ${job.kind}`);
      await definition.run(job);
      return true;
    } catch (err) {
      const message = String((err as Error)?.message ?? err).slice(0, 1000);
      const giveUp = job.attempts >= job.maxAttempts;
      const delay = (definition?.backoffMs ?? defaultBackoff)(job.attempts);
      await this.#db
        .updateTable('jobs')
        .set({
          state: giveUp ? 'failed' : 'pending',
          run_at: new Date(this.#clock.now().getTime() + delay),
          locked_until: null,
          last_error: message,
          finished_at: giveUp ? this.#clock.now() : null,
        })
        .where('id', '=', job.id)
        .where('locked_by', '=', this.#worker)
        .execute();
      if (giveUp) await this.#forgetPayloads([job]);
      this.#log.warn({ err, jobId: job.id, kind: job.kind, attempts: job.attempts }, giveUp ? 'job failed for good' : 'job failed; will retry');
      return false;
    }
  }

  /** Asks the background worker (when started) for a round now, after a commit that queued work. */
  kick(): void {
    if (!this.#timer) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.runDue()
      .catch((err: unknown) => {
        this.#log.error({ err }, 'job round failed');
        return 0;
      })
      .finally(() => {
        this.#running = null;
        if (this.#again) {
          this.#again = false;
          this.kick();
        }
      });
  }

  /** Polls for due jobs (delayed ones, retries, and jobs other processes enqueued). */
  start(intervalMs: number): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.kick(), intervalMs);
    this.#timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    while (this.#running) await this.#running;
  }

  /** Waits until the current round ends (tests). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }
}
