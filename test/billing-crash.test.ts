import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDateIn } from '../src/licences/proration.ts';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../src/platform/db/database.ts';
import { newId } from '../src/platform/crypto.ts';
import { dropDatabase, freshDatabaseUrl, usingPostgres } from './support/app.ts';
import { runningServers, startServerProcess } from './support/server-process.ts';

// R-LIC-5 and SPEC §12: `kill -9` of the app in the middle of an invoice run leaves no half invoice
// and no double charge after restart. The server runs in its own process on the system clock; the
// organisations are dated last month, so this month's invoices fall due as soon as it starts.

const ORGS = 120;
/** Jobs claimed by a killed process are taken up again after 2 s instead of the default 5 minutes. */
const LEASE = { JOB_LEASE_SECONDS: '2' };

let dataDir: string | undefined;
let databaseUrl: string | undefined;

beforeAll(async () => {
  if (usingPostgres) databaseUrl = await freshDatabaseUrl();
  else dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'motus-billing-crash-'));
});

afterAll(async () => {
  for (const child of runningServers) child.kill('SIGKILL');
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  await dropDatabase(databaseUrl);
});

async function open(): Promise<DatabaseHandle> {
  return openDatabase({ databaseUrl, dataDir: dataDir ?? 'memory://', poolSize: 2 });
}

/** Organisations created last month with a working card, licences and a pending prorated charge. */
async function seed(db: DatabaseHandle['db']) {
  const now = new Date();
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 10, 12));
  const local = localDateIn(lastMonth, 'Europe/Berlin');
  const localDate = `${local.year}-${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;
  const ownerId = newId();
  await db
    .insertInto('accounts')
    .values({ id: ownerId, email: 'crash.owner@example.org', name: 'Crash Owner', profession: null, phone: null, practice: '{}', password_hash: 'x', email_verified_at: lastMonth, created_at: lastMonth, updated_at: lastMonth })
    .execute();
  for (let i = 0; i < ORGS; i++) {
    const orgId = newId();
    await db
      .insertInto('organisations')
      .values({ id: orgId, name: `Crash Org ${i}`, owner_account_id: ownerId, billing_mode: 'card', currency: 'EUR', licence_price_minor: 3000, billing_time_zone: 'Europe/Berlin', billing_contact_email: null, practice: '{}', licences_purchased: 2, created_at: lastMonth, updated_at: lastMonth })
      .execute();
    await db
      .insertInto('payment_methods')
      .values({ id: newId(), organisation_id: orgId, gateway: 'test', gateway_token: `test_success_${i}`, brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2099, role: 'primary', created_at: lastMonth, removed_at: null })
      .execute();
    await db
      .insertInto('licence_ledger')
      .values({ id: newId(), organisation_id: orgId, kind: 'charge', quantity: 2, unit_price_minor: 3000, amount_minor: 1000 + i, currency: 'EUR', local_date: localDate, days_in_month: 30, cause: 'bulk_purchase', membership_id: null, description: 'Licences bought', actor_account_id: ownerId, invoice_id: null, created_at: lastMonth })
      .execute();
  }
}

describe('kill -9 during an invoice run (R-LIC-5, R-LIC-7, SPEC §12)', () => {
  it('leaves every invoice whole, numbered once, and charged at most once', async () => {
    const setup = await open();
    await migrateToLatest(setup.db as unknown as Kysely<unknown>);
    await seed(setup.db);
    await setup.close();

    // Run, kill mid-run (after some invoices exist), and again, until every organisation is invoiced.
    let killedMidRun = 0;
    let before = 0;
    for (let round = 0; round < 6; round++) {
      const server = await startServerProcess({ dataDir, databaseUrl }, LEASE);
      // PGlite has one owner: a probe cannot open the folder the server holds, so there the kill comes by time.
      const probe = usingPostgres ? await open() : null;
      const started = Date.now();
      for (;;) {
        const count = probe ? Number((await probe.db.selectFrom('invoices').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n) : 0;
        const due = probe ? count > before && count < ORGS : Date.now() - started > 1500 + round * 500;
        if (due || Date.now() - started > 20_000) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await probe?.close();
      server.child.kill('SIGKILL');
      await server.exited;
      killedMidRun += 1;
      const check = await open();
      const n = Number((await check.db.selectFrom('invoices').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      await check.close();
      before = n;
      if (n >= ORGS) break;
      // Let the leases of the jobs the dead process had claimed run out.
      await new Promise((r) => setTimeout(r, 2100));
    }
    expect(killedMidRun).toBeGreaterThan(0);

    // Uninterrupted runs finish the work: each is stopped cleanly and the queue inspected, until no
    // invoice job is left (the embedded database can only be read while no server holds it).
    for (let run = 0; run < 12; run++) {
      const server = await startServerProcess({ dataDir, databaseUrl }, LEASE);
      await new Promise((res) => setTimeout(res, 4000));
      server.child.kill('SIGTERM');
      await server.exited;
      const probe = await open();
      const left = await probe.db.selectFrom('jobs').select('id').where('state', '=', 'pending').where('kind', 'in', ['invoice.issue', 'invoice.collect']).execute();
      await probe.close();
      if (left.length === 0) break;
    }

    const db = await open();
    try {
      const invoices = await db.db.selectFrom('invoices').selectAll().orderBy('number').execute();
      expect(invoices).toHaveLength(ORGS);
      expect(new Set(invoices.map((i) => i.organisation_id)).size).toBe(ORGS);
      const numbers = invoices.map((i) => Number(i.number));
      expect(numbers).toEqual(Array.from({ length: ORGS }, (_, k) => numbers[0]! + k));
      for (const inv of invoices) {
        const lines = await db.db.selectFrom('invoice_lines').selectAll().where('invoice_id', '=', inv.id).execute();
        // 2 licences for this month + last month's charge: nothing half-written.
        expect(lines.map((l) => l.kind).sort()).toEqual(['charge', 'licences']);
        expect(lines.reduce((n, l) => n + l.amount_minor, 0)).toBe(inv.subtotal_minor);
        const charges = await db.db.selectFrom('test_gateway_charges').select('outcome').where('reference', 'like', `${inv.id}:%`).execute();
        const succeeded = charges.filter((c) => (JSON.parse(c.outcome) as { ok: boolean }).ok).length;
        expect(succeeded).toBeLessThanOrEqual(1);
        if (inv.status === 'paid') expect(succeeded).toBe(1);
      }
      const unlinked = await db.db.selectFrom('licence_ledger').select('id').where('invoice_id', 'is', null).execute();
      expect(unlinked).toHaveLength(0);
      expect(invoices.filter((i) => i.status === 'paid').length).toBe(ORGS);
    } finally {
      await db.close();
    }
  }, 240_000);
});
