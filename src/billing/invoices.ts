import { sql } from 'kysely';
import { accountEmail } from '../accounts/data.ts';
import { recordAudit } from '../audit/record.ts';
import type { AuditActor } from '../audit/events.ts';
import type { Deps } from '../deps.ts';
import { enqueueJob, enqueueJobs } from '../jobs/runner.ts';
import { billingPath, formatMoney, type LicenceService, type LockedOrganisation } from '../licences/service.ts';
import { billedAtStart } from '../subscriptions/state.ts';
import { localDateIn, type LocalDate } from '../licences/proration.ts';
import { markLedgerInvoiced, netLicencesChangedSince, uninvoicedLedgerLines } from '../licences/data.ts';
import { queueEmail } from '../mail/outbox.ts';
import { actionMessage } from '../mail/template.ts';
import { billingCalendars } from '../organisations/data.ts';
import { orgScope } from '../organisations/scope.ts';
import { newId } from '../platform/crypto.ts';
import { inTransaction, type Tx } from '../platform/db/database.ts';
import type { InvoicesTable, InvoiceStatus } from '../platform/db/schema.ts';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import { findMonthlyInvoice } from './data.ts';
import { renderInvoiceHtml } from './document.ts';
import { auditActorOf, type OrgRequestContext } from '../platform/http/context.ts';
import type { InvoiceDetailView, InvoiceView } from './schemas.ts';

export const ISSUE_JOB = 'invoice.issue';
export const COLLECT_JOB = 'invoice.collect';

export interface InvoiceLineDraft {
  kind: 'licences' | 'charge' | 'credit' | 'credit_applied';
  description: string;
  quantity: number | null;
  unitPriceMinor: number | null;
  amountMinor: number;
  localDate: string | null;
  ledgerId: string | null;
}

export interface InvoiceTotals {
  subtotalMinor: number;
  creditAppliedMinor: number;
  totalMinor: number;
  creditCarriedMinor: number;
}

/**
 * R-LIC-5: what an invoice comes to. Charges and credits add up with the licences line; credit from
 * earlier invoices is used up first; a negative balance is carried forward, never paid out.
 */
export function invoiceTotals(lines: Array<{ amountMinor: number }>, creditBeforeMinor: number): InvoiceTotals {
  const subtotalMinor = lines.reduce((n, l) => n + l.amountMinor, 0);
  const creditAppliedMinor = Math.min(creditBeforeMinor, Math.max(0, subtotalMinor));
  return {
    subtotalMinor,
    creditAppliedMinor,
    totalMinor: Math.max(0, subtotalMinor) - creditAppliedMinor,
    creditCarriedMinor: creditBeforeMinor - creditAppliedMinor + Math.max(0, -subtotalMinor),
  };
}

const monthName = (period: string) => new Date(`${period}-01T12:00:00Z`).toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const dayName = (date: string) => new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

function periodOf(d: LocalDate): string {
  return `${d.year}-${String(d.month).padStart(2, '0')}`;
}

export function createInvoiceService(deps: Deps, licences: LicenceService) {
  const { db, clock, config, jobs } = deps;
  const systemActor = (organisationId: string): AuditActor => ({ accountId: null, sessionId: null, organisationId, ip: null, userAgent: 'motus-billing', requestId: null });

  async function nextNumber(tx: Tx): Promise<number> {
    const r = await sql<{ n: number }>`update invoice_counter set next_number = next_number + 1 where id returning next_number - 1 as n`.execute(tx);
    return Number(r.rows[0]!.n);
  }

  /** Pending ledger lines dated before `beforeDate`, oldest first, as invoice lines. */
  async function pendingLines(tx: Tx, org: LockedOrganisation, beforeDate: string | null): Promise<InvoiceLineDraft[]> {
    const rows = await uninvoicedLedgerLines(tx, org.id, beforeDate);
    return rows.map((r) => ({
      kind: r.kind,
      description: `${dayName(r.local_date)}: ${r.description}`,
      quantity: r.quantity,
      unitPriceMinor: r.unit_price_minor,
      amountMinor: r.kind === 'charge' ? r.amount_minor : -r.amount_minor,
      localDate: r.local_date,
      ledgerId: r.id,
    }));
  }

  /**
   * Licences billed for the month starting `periodStart`: today's count less the month's own changes
   * so far. A subscription's licences are billed only when a paid period covered that day (R-SUB-1,
   * R-SUB-3). A paid period starting and a credit from a subscription move money, not the count.
   */
  async function licencesAtStart(tx: Tx, org: LockedOrganisation, periodStart: string): Promise<number> {
    if (org.subscription && !billedAtStart(org.subscription, periodStart)) return 0;
    return org.purchased - (await netLicencesChangedSince(tx, org.id, periodStart, ['subscription_started', 'subscription_credit']));
  }

  async function write(tx: Tx, org: LockedOrganisation, kind: 'monthly' | 'interim', period: string | null, lines: InvoiceLineDraft[]) {
    const o = await orgScope(tx, org.id).organisation().select(['credit_minor', 'billing_mode', 'billing_contact_email']).executeTakeFirstOrThrow();
    const totals = invoiceTotals(lines, o.credit_minor);
    const all: InvoiceLineDraft[] =
      totals.creditAppliedMinor > 0
        ? [...lines, { kind: 'credit_applied', description: 'Credit carried forward from earlier invoices', quantity: null, unitPriceMinor: null, amountMinor: -totals.creditAppliedMinor, localDate: null, ledgerId: null }]
        : lines;
    const id = newId();
    const now = clock.now();
    const number = await nextNumber(tx);
    const status: InvoiceStatus = totals.totalMinor === 0 ? 'nothing_due' : 'due';
    await tx
      .insertInto('invoices')
      .values({
        id,
        organisation_id: org.id,
        number,
        kind,
        period,
        issued_at: now,
        local_date: localDateString(localDateIn(now, org.timeZone)),
        currency: org.currency,
        subtotal_minor: totals.subtotalMinor,
        credit_applied_minor: totals.creditAppliedMinor,
        total_minor: totals.totalMinor,
        credit_carried_minor: totals.creditCarriedMinor,
        collection: o.billing_mode,
        status,
        paid_at: null,
      })
      .execute();
    if (all.length > 0) {
      await tx
        .insertInto('invoice_lines')
        .values(all.map((l, i) => ({ id: newId(), invoice_id: id, position: i + 1, kind: l.kind, description: l.description, quantity: l.quantity, unit_price_minor: l.unitPriceMinor, amount_minor: l.amountMinor, local_date: l.localDate, ledger_id: l.ledgerId })))
        .execute();
    }
    const ledgerIds = lines.map((l) => l.ledgerId).filter((x): x is string => x !== null);
    if (ledgerIds.length > 0) {
      await markLedgerInvoiced(tx, org.id, ledgerIds, id);
    }
    await orgScope(tx, org.id).updateOrganisation().set({ credit_minor: totals.creditCarriedMinor, updated_at: now }).execute();
    await recordAudit(tx, clock, systemActor(org.id), {
      action: 'invoice.issued',
      targetType: 'invoice',
      targetId: id,
      details: { number, kind, period, totalMinor: totals.totalMinor, currency: org.currency },
    });
    await queueInvoiceEmails(tx, org, { id, number, period, totalMinor: totals.totalMinor, collection: o.billing_mode, billingContactEmail: o.billing_contact_email });
    if (o.billing_mode === 'card' && status === 'due') {
      await enqueueJob(tx, clock, { kind: COLLECT_JOB, payload: { invoiceId: id, round: 1 }, dedupeKey: `collect:${id}:1` });
    }
    return { id, number, status, ...totals };
  }

  /**
   * R-LIC-5: the invoice of `period` (the month starting on its 1st in the billing time zone): the
   * licences held at its start, plus every pending charge and credit dated before it. Issued once
   * per organisation and period, whichever process gets there first.
   */
  async function issueMonthly(organisationId: string, period: string) {
    return inTransaction(db, async (tx) => {
      const org = await licences.lockFresh(tx, organisationId);
      const existing = await findMonthlyInvoice(tx, org.id, period);
      if (existing) return null;
      const periodStart = `${period}-01`;
      const lines = await pendingLines(tx, org, periodStart);
      const held = await licencesAtStart(tx, org, periodStart);
      // A subscription in trial or ended owes nothing: no empty invoice is issued for it.
      if (org.kind === 'subscription' && held === 0 && lines.length === 0) return null;
      const base: InvoiceLineDraft[] =
        held > 0
          ? [{ kind: 'licences', description: `${held} licence${held === 1 ? '' : 's'} for ${monthName(period)} (${held} × ${formatMoney(org.unitPriceMinor, org.currency)})`, quantity: held, unitPriceMinor: org.unitPriceMinor, amountMinor: held * org.unitPriceMinor, localDate: periodStart, ledgerId: null }]
          : [];
      return write(tx, org, 'monthly', period, [...base, ...lines]);
    });
  }

  /** Enqueues this month's invoice for every organisation whose month has begun since it was created. */
  async function scheduleDue(): Promise<number> {
    const orgs = await billingCalendars(db);
    const now = clock.now();
    const due = orgs
      .map((o) => ({ id: o.id, period: periodOf(localDateIn(now, o.billing_time_zone)), created: periodOf(localDateIn(o.created_at, o.billing_time_zone)) }))
      .filter((o) => o.created < o.period);
    if (due.length === 0) return 0;
    const periods = [...new Set(due.map((o) => o.period))];
    const issued = await db.selectFrom('invoices').select(['organisation_id', 'period']).where('kind', '=', 'monthly').where('period', 'in', periods).execute();
    const done = new Set(issued.map((i) => `${i.organisation_id}:${i.period}`));
    const todo = due.filter((o) => !done.has(`${o.id}:${o.period}`));
    for (let i = 0; i < todo.length; i += 1000) {
      await enqueueJobs(
        db,
        clock,
        todo.slice(i, i + 1000).map((o) => ({ kind: ISSUE_JOB, payload: { organisationId: o.id, period: o.period }, dedupeKey: `invoice:${o.id}:${o.period}` })),
      );
    }
    return todo.length;
  }

  /** R-LIC-5: "invoice pending charges now", on an admin's request. */
  async function issuePendingNow(ctx: OrgRequestContext): Promise<InvoiceDetailView> {
    const r = await inTransaction(db, async (tx) => {
      const org = await licences.lockFresh(tx, ctx.org.organisationId);
      const lines = await pendingLines(tx, org, null);
      if (lines.length === 0) throw new ConflictError('nothing_pending', 'There are no pending charges or credits to invoice.', { rule: 'R-LIC-5' });
      const written = await write(tx, org, 'interim', null, lines);
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'invoice.requested', targetType: 'invoice', targetId: written.id, details: { number: written.number, kind: 'interim', period: null, totalMinor: written.totalMinor, currency: org.currency } });
      return written;
    });
    jobs.kick();
    return get(ctx, r.id);
  }

  async function list(ctx: OrgRequestContext): Promise<InvoiceView[]> {
    const rows = await db.selectFrom('invoices').selectAll().where('organisation_id', '=', ctx.org.organisationId).orderBy('number', 'desc').limit(120).execute();
    return rows.map(view);
  }

  async function get(ctx: OrgRequestContext, invoiceId: string): Promise<InvoiceDetailView> {
    const inv = await db.selectFrom('invoices').selectAll().where('organisation_id', '=', ctx.org.organisationId).where('id', '=', invoiceId).executeTakeFirst();
    if (!inv) throw new NotFoundError('invoice');
    const lines = await db.selectFrom('invoice_lines').selectAll().where('invoice_id', '=', inv.id).orderBy('position').execute();
    const attempts = await db.selectFrom('payment_attempts').select(['attempt', 'status', 'failure_reason', 'created_at', 'finished_at']).where('invoice_id', '=', inv.id).orderBy('attempt').execute();
    return {
      ...view(inv),
      lines: lines.map((l) => ({ kind: l.kind, description: l.description, quantity: l.quantity, unitPriceMinor: l.unit_price_minor, amountMinor: l.amount_minor, localDate: l.local_date })),
      payments: attempts.map((a) => ({ attempt: a.attempt, status: a.status, failureReason: a.failure_reason, at: (a.finished_at ?? a.created_at).toISOString() })),
    };
  }

  function view(i: InvoicesTable): InvoiceView {
    return {
      id: i.id,
      number: i.number,
      kind: i.kind,
      period: i.period,
      issuedAt: i.issued_at.toISOString(),
      localDate: i.local_date,
      currency: i.currency,
      subtotalMinor: i.subtotal_minor,
      creditAppliedMinor: i.credit_applied_minor,
      totalMinor: i.total_minor,
      creditCarriedMinor: i.credit_carried_minor,
      collection: i.collection,
      status: i.status,
      paidAt: i.paid_at?.toISOString() ?? null,
    };
  }

  /** R-LIC-6: the invoice is emailed to the owner and the billing contact, with its issue. */
  async function queueInvoiceEmails(
    tx: Tx,
    org: LockedOrganisation,
    inv: { id: string; number: number; period: string | null; totalMinor: number; collection: 'card' | 'manual'; billingContactEmail: string | null },
  ) {
    const ownerEmail = await accountEmail(tx, org.ownerAccountId);
    const recipients = [...new Set([ownerEmail, inv.billingContactEmail].filter((e): e is string => Boolean(e)))];
    for (const to of recipients) {
      await queueEmail(
        tx,
        clock,
        actionMessage(
          to,
          `Motus invoice ${inv.number} for ${org.name}`,
          [
            `Invoice ${inv.number}${inv.period ? ` for ${monthName(inv.period)}` : ''} for ${org.name} comes to ${formatMoney(inv.totalMinor, org.currency)}.`,
            inv.totalMinor === 0 ? 'Nothing is due.' : inv.collection === 'manual' ? 'It will be collected as agreed with your Motus provider.' : 'It will be charged to the card on file.',
          ],
          { url: `${config.publicUrl}${billingPath(org)}/invoices/${inv.id}`, label: 'View the invoice' },
        ),
      );
    }
  }

  async function document(ctx: OrgRequestContext, invoiceId: string): Promise<string> {
    const inv = await get(ctx, invoiceId);
    const org = await orgScope(db, ctx.org.organisationId).organisation().select(['name', 'practice', 'billing_contact_email']).executeTakeFirstOrThrow();
    return renderInvoiceHtml(inv, { name: org.name, practice: org.practice as Record<string, string>, billingContactEmail: org.billing_contact_email });
  }

  return { issueMonthly, scheduleDue, issuePendingNow, list, get, document };
}

function localDateString(d: LocalDate): string {
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

export type InvoiceService = ReturnType<typeof createInvoiceService>;
