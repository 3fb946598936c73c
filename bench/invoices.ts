/**
 * Invoice-run benchmark (part of `npm run bench`).
 *
 * On a fresh PostgreSQL database, 10,000 organisations (billed manually, so that the run measures
 * issuing, not the payment gateway) each with two licences and one pending prorated charge from last
 * month. The real app (in this process, its job runner driven directly) issues the month's invoices:
 * wall time and invoices per second. The ceiling is bulk INSERT of the same invoice and line rows
 * into copies of the tables, in the same run (ENGINEERING.md §5).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { migrateToLatest, openDatabase } from '../src/platform/db/database.ts';
import { createBenchDatabase, type BenchDatabase } from './lib/postgres.ts';
import { REPO_ROOT } from './lib/server.ts';

const ORGS = Number(process.env.BENCH_INVOICE_ORGS ?? 10_000);
const BASE = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

let database: BenchDatabase | undefined;

async function main() {
  database = await createBenchDatabase(BASE);
  const handle = await openDatabase({ databaseUrl: database.url, dataDir: 'memory://', poolSize: 10 });
  await migrateToLatest(handle.db as unknown as Kysely<unknown>);
  const sqlPool = new pg.Pool({ connectionString: database.url, max: 2 });

  // Last month, 10 May; the run happens on 1 June (Berlin).
  const clock = new ManualClock('2026-05-10T10:00:00Z');
  await sqlPool.query(`insert into accounts (id, email, name, password_hash, email_verified_at, created_at, updated_at) values (gen_random_uuid(), 'owner@bench.test', 'Bench Owner', 'x', now(), now(), now())`);
  await sqlPool.query(
    `insert into organisations (id, name, owner_account_id, billing_mode, currency, licence_price_minor, billing_time_zone, practice, licences_purchased, created_at, updated_at)
     select gen_random_uuid(), 'Org ' || g, (select id from accounts limit 1), 'manual', 'EUR', 3000, 'Europe/Berlin', '{}', 2, $1, $1 from generate_series(1, $2) g`,
    [clock.now(), ORGS],
  );
  await sqlPool.query(
    `insert into licence_ledger (id, organisation_id, kind, quantity, unit_price_minor, amount_minor, currency, local_date, days_in_month, cause, description, created_at)
     select gen_random_uuid(), id, 'charge', 2, 3000, 4258, 'EUR', '2026-05-10', 31, 'bulk_purchase', '2 licences bought', $1 from organisations`,
    [clock.now()],
  );
  await sqlPool.query('analyze');

  const config = { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: database.url }), webDir: undefined };
  const motus = await buildApp(config, { clock, database: handle, logger: false, runJobs: false });
  clock.set('2026-05-31T22:30:00Z');
  const started = performance.now();
  await motus.services.invoices.scheduleDue();
  // Four workers, as four app processes would run them (each claims its own jobs, skip-locked).
  const WORKERS = Number(process.env.BENCH_INVOICE_WORKERS ?? 4);
  await Promise.all(Array.from({ length: WORKERS }, () => motus.deps.jobs.runDue(5)));
  const seconds = (performance.now() - started) / 1000;
  const issued = Number((await sqlPool.query(`select count(*)::int as n from invoices where period = '2026-06'`)).rows[0].n);
  const lines = Number((await sqlPool.query('select count(*)::int as n from invoice_lines')).rows[0].n);
  const numbers = (await sqlPool.query('select min(number)::int as lo, max(number)::int as hi from invoices')).rows[0];
  await motus.close();

  // Ceiling: the same rows, bulk-inserted into copies of the two tables, 1,000 per statement.
  await sqlPool.query('create table bench_invoices (like invoices including defaults)');
  await sqlPool.query('create table bench_invoice_lines (like invoice_lines including defaults)');
  const invoiceRows = (await sqlPool.query('select * from invoices')).rows;
  const lineRows = (await sqlPool.query('select * from invoice_lines')).rows;
  const bulkStarted = performance.now();
  for (const [table, rows] of [['bench_invoices', invoiceRows], ['bench_invoice_lines', lineRows]] as const) {
    const columns = Object.keys(rows[0]);
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000);
      const params: unknown[] = [];
      const values = chunk.map((r) => `(${columns.map((c) => `$${params.push(r[c])}`).join(',')})`);
      await sqlPool.query(`insert into ${table} (${columns.join(',')}) values ${values.join(',')}`, params);
    }
  }
  const bulkSeconds = (performance.now() - bulkStarted) / 1000;
  await sqlPool.end();
  await handle.close();

  const perSecond = issued / seconds;
  const bulkPerSecond = invoiceRows.length / bulkSeconds;
  console.log(`\nInvoice run benchmark (PostgreSQL, ${ORGS} organisations)`);
  console.log(`  invoices issued        ${issued} (${lines} lines), numbers ${numbers.lo}–${numbers.hi}`);
  console.log(`  wall time              ${seconds.toFixed(1)} s (scheduling, and issuing with ${WORKERS} workers)`);
  console.log(`  invoices/s             ${perSecond.toFixed(0)}`);
  console.log(`  bulk INSERT invoices/s ${bulkPerSecond.toFixed(0)} (same invoice and line rows, 1,000 per statement)`);
  console.log(`  ratio                  ${(perSecond / bulkPerSecond).toFixed(3)}`);
  const file = path.join(REPO_ROOT, 'bench', 'results', 'invoices.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ benchmark: 'invoices', finishedAt: new Date().toISOString(), organisations: ORGS, workers: WORKERS, issued, lines, seconds, perSecond, bulkPerSecond, ratio: perSecond / bulkPerSecond }, null, 2));
  if (issued !== ORGS || numbers.hi - numbers.lo + 1 !== ORGS) throw new Error('the run did not issue exactly one invoice per organisation with consecutive numbers');
}

try {
  await main();
} finally {
  await database?.drop().catch(() => {});
}
