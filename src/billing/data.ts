import type { Queryable, Tx } from '../platform/db/database.ts';

/** One organisation's cards: queries built here already filter on the tenant (ENGINEERING §3). */
export function paymentMethodsOf(q: Queryable, organisationId: string) {
  return q.selectFrom('payment_methods').where('payment_methods.organisation_id', '=', organisationId);
}

export function updatePaymentMethodsOf(q: Queryable, organisationId: string) {
  return q.updateTable('payment_methods').where('payment_methods.organisation_id', '=', organisationId);
}

/** Whether the organisation has a card on file (R-LIC-7). */
export async function hasPaymentMethod(q: Queryable, organisationId: string): Promise<boolean> {
  const pm = await q.selectFrom('payment_methods').select('id').where('organisation_id', '=', organisationId).where('removed_at', 'is', null).executeTakeFirst();
  return pm !== undefined;
}

/** The organisation's monthly invoice of `period` ('YYYY-MM'), if it was issued (R-LIC-5). */
export function findMonthlyInvoice(tx: Tx, organisationId: string, period: string): Promise<{ id: string } | undefined> {
  return tx.selectFrom('invoices').select('id').where('organisation_id', '=', organisationId).where('kind', '=', 'monthly').where('period', '=', period).executeTakeFirst();
}
