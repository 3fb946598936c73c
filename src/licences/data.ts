import { sql } from 'kysely';
import type { Queryable, Tx } from '../platform/db/database.ts';
import type { LedgerCause } from '../platform/db/schema.ts';

/**
 * One organisation's ledger lines: every query of the ledger from outside goes through here, so it
 * cannot forget the tenant filter (ENGINEERING §3).
 */
function ledgerOf(q: Queryable, organisationId: string) {
  return q.selectFrom('licence_ledger').where('licence_ledger.organisation_id', '=', organisationId);
}

/** Charges and credits not yet invoiced ("pending"), newest first; `pendingOnly: false` adds invoiced ones. */
export function ledgerEntries(q: Queryable, organisationId: string, opts: { pendingOnly: boolean; limit: number }) {
  let query = ledgerOf(q, organisationId).selectAll().orderBy('created_at', 'desc').limit(opts.limit);
  if (opts.pendingOnly) query = query.where('invoice_id', 'is', null);
  return query.execute();
}

/** Lines not yet on an invoice, dated before `beforeDate` when given, oldest first (R-LIC-5). */
export function uninvoicedLedgerLines(tx: Tx, organisationId: string, beforeDate: string | null) {
  let query = ledgerOf(tx, organisationId).selectAll().where('invoice_id', 'is', null);
  if (beforeDate) query = query.where('local_date', '<', beforeDate);
  return query.orderBy('local_date').orderBy('created_at').orderBy('id').execute();
}

/** Licences charged less those credited from `fromDate` on, leaving out lines of the given causes. */
export async function netLicencesChangedSince(tx: Tx, organisationId: string, fromDate: string, exceptCauses: LedgerCause[]): Promise<number> {
  const r = await ledgerOf(tx, organisationId)
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>(sql<number>`case when kind = 'charge' then quantity else -quantity end`), sql<number>`0`).as('net'))
    .where('local_date', '>=', fromDate)
    .where('cause', 'not in', exceptCauses)
    .executeTakeFirstOrThrow();
  return Number(r.net);
}

/** Marks ledger lines as billed by `invoiceId` (R-LIC-5: each line is invoiced once). */
export async function markLedgerInvoiced(tx: Tx, organisationId: string, ledgerIds: string[], invoiceId: string): Promise<void> {
  await tx.updateTable('licence_ledger').set({ invoice_id: invoiceId }).where('organisation_id', '=', organisationId).where('id', 'in', ledgerIds).execute();
}
