import { recordAudit } from '../audit/record.ts';
import type { AuditActor } from '../audit/events.ts';
import type { Deps } from '../deps.ts';
import { enqueueJob } from '../jobs/runner.ts';
import { billingPath, formatMoney } from '../licences/service.ts';
import { queueEmail } from '../mail/outbox.ts';
import { actionMessage } from '../mail/template.ts';
import { lockOrganisationStatus, setOrganisationStatus } from '../organisations/data.ts';
import { newId } from '../platform/crypto.ts';
import { inTransaction } from '../platform/db/database.ts';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import { auditActorOf, type OrgRequestContext } from '../platform/http/context.ts';
import type { PaymentGateway } from './gateway.ts';
import { COLLECT_JOB } from './invoices.ts';
import type { CollectOutcome } from './schemas.ts';

/** R-LIC-7: after the first attempt fails, retries come 1, 3 and 7 days after the invoice was issued. */
export const RETRY_DAYS = [1, 3, 7] as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Charges invoices through the payment gateway, after commit and outside any transaction. Each
 * attempt is recorded (as started) before the gateway is called, with a reference the gateway
 * answers idempotently, so a crash between the two never charges twice: the retry repeats the same
 * reference and receives the first answer.
 */
export function createCollectionService(deps: Deps, gateway: PaymentGateway) {
  const { db, clock, config, jobs } = deps;
  const billingActor = (organisationId: string): AuditActor => ({ accountId: null, sessionId: null, organisationId, ip: null, userAgent: 'motus-billing', requestId: null });

  /**
   * One payment attempt. `round` is the scheduled round (1 at issue, then 2-4 on days 1, 3 and 7);
   * a failed round schedules the next, and a failed last round makes the organisation "payment
   * required". A console "retry now" has no round and changes no schedule.
   */
  async function collect(invoiceId: string, round: number | null, actor?: AuditActor): Promise<CollectOutcome> {
    const inv = await db.selectFrom('invoices').selectAll().where('id', '=', invoiceId).executeTakeFirst();
    if (!inv || inv.status !== 'due' || inv.collection !== 'card') return 'skipped';
    const who = actor ?? billingActor(inv.organisation_id);
    const methods = await db.selectFrom('payment_methods').selectAll().where('organisation_id', '=', inv.organisation_id).where('removed_at', 'is', null).orderBy('role', 'desc').execute();

    // Record the attempt first, under the invoice's lock. An attempt still in flight (another
    // caller's, or one a crash interrupted) is taken up with its own reference, so the gateway answers
    // it again instead of charging twice; a new attempt is made only when none is in flight.
    const attempt = await inTransaction(db, async (tx) => {
      // Read again under the lock: another caller may have paid it since it was first read.
      const current = await tx.selectFrom('invoices').select('status').where('id', '=', inv.id).forUpdate().executeTakeFirstOrThrow();
      if (current.status !== 'due') return { done: 'skipped' as const, attempt: 0, round, reference: '', resumedOther: false };
      const mine = round === null ? undefined : await tx.selectFrom('payment_attempts').selectAll().where('invoice_id', '=', inv.id).where('round', '=', round).executeTakeFirst();
      if (mine && mine.status !== 'started') return { done: mine.status === 'succeeded' ? ('paid' as const) : ('failed' as const), attempt: 0, round, reference: '', resumedOther: false };
      const inFlight = mine ?? (await tx.selectFrom('payment_attempts').selectAll().where('invoice_id', '=', inv.id).where('status', '=', 'started').executeTakeFirst());
      if (inFlight) return { done: null, attempt: inFlight.attempt, round: inFlight.round, reference: inFlight.reference, resumedOther: inFlight.round !== round };
      const last = await tx.selectFrom('payment_attempts').select((eb) => eb.fn.max<number>('attempt').as('n')).where('invoice_id', '=', inv.id).executeTakeFirst();
      const n = Number(last?.n ?? 0) + 1;
      const reference = `${inv.id}:${n}`;
      await tx
        .insertInto('payment_attempts')
        .values({ id: newId(), invoice_id: inv.id, attempt: n, round, reference, payment_method_id: methods[0]?.id ?? null, amount_minor: inv.total_minor, status: 'started', failure_reason: null, created_at: clock.now(), finished_at: null })
        .execute();
      return { done: null, attempt: n, round, reference, resumedOther: false };
    });
    if (attempt.done) return attempt.done;
    const reference = attempt.reference;

    // The primary card first, then the backup (R-LIC-7).
    let paidWith: string | null = null;
    let reason = methods.length === 0 ? 'no_payment_method' : 'declined';
    for (const m of methods) {
      const r = await gateway.charge({ token: m.gateway_token, amountMinor: inv.total_minor, currency: inv.currency, reference: `${reference}:${m.id}` });
      if (r.ok) {
        paidWith = m.id;
        break;
      }
      reason = r.reason;
    }

    const outcome = await inTransaction(db, async (tx): Promise<CollectOutcome> => {
      const locked = await tx.selectFrom('invoices').select(['status']).where('id', '=', inv.id).forUpdate().executeTakeFirstOrThrow();
      const now = clock.now();
      const recorded = await tx
        .updateTable('payment_attempts')
        .set({ status: paidWith ? 'succeeded' : 'failed', failure_reason: paidWith ? null : reason, payment_method_id: paidWith ?? methods[0]?.id ?? null, finished_at: now })
        .where('invoice_id', '=', inv.id)
        .where('attempt', '=', attempt.attempt)
        .where('status', '=', 'started')
        .executeTakeFirst();
      // Someone else recorded this attempt's outcome first: nothing more to do here.
      if (Number(recorded.numUpdatedRows) === 0 || locked.status !== 'due') return 'skipped';
      if (paidWith) {
        await tx.updateTable('invoices').set({ status: 'paid', paid_at: now }).where('id', '=', inv.id).execute();
        await recordAudit(tx, clock, who, { action: 'invoice.paid', targetType: 'invoice', targetId: inv.id, details: { number: inv.number, attempt: attempt.attempt, amountMinor: inv.total_minor } });
        await liftPaymentRequired(tx, inv.organisation_id, inv.number, who);
        return 'paid';
      }
      await recordAudit(tx, clock, who, { action: 'payment.failed', targetType: 'invoice', targetId: inv.id, details: { number: inv.number, attempt: attempt.attempt, amountMinor: inv.total_minor, reason } }, 'failure');
      const org = await tx
        .selectFrom('organisations as o')
        .innerJoin('accounts as a', 'a.id', 'o.owner_account_id')
        .select(['o.id', 'o.name', 'o.status', 'o.kind', 'a.email'])
        .where('o.id', '=', inv.organisation_id)
        .executeTakeFirstOrThrow();
      // The schedule follows the attempt's own round; a console "retry now" has none.
      const attemptRound = attempt.round;
      if (attemptRound === null) return 'failed';
      const retryDay = RETRY_DAYS[attemptRound - 1];
      const billingUrl = `${config.publicUrl}${billingPath(org)}`;
      if (retryDay !== undefined) {
        const runAt = new Date(inv.issued_at.getTime() + retryDay * DAY_MS);
        await enqueueJob(tx, clock, { kind: COLLECT_JOB, payload: { invoiceId: inv.id, round: attemptRound + 1 }, runAt, dedupeKey: `collect:${inv.id}:${attemptRound + 1}` });
        await queueEmail(tx, clock, actionMessage(org.email, `Payment for Motus invoice ${inv.number} failed`, [
          `We could not charge ${formatMoney(inv.total_minor, inv.currency)} for invoice ${inv.number} of ${org.name} (${reason.replace(/_/g, ' ')}).`,
          `We will try again on ${runAt.toUTCString()}. You can add another card or retry now.`,
        ], { url: billingUrl, label: 'Update payment details' }));
      } else if (org.status !== 'payment_required') {
        // The last retry failed: the organisation needs payment before its practitioners can work.
        await setOrganisationStatus(tx, org.id, 'payment_required', now);
        await recordAudit(tx, clock, who, { action: 'organisation.payment_required', targetType: 'organisation', targetId: org.id, details: { invoiceNumber: inv.number } });
        await queueEmail(tx, clock, actionMessage(org.email, `Payment required for ${org.name} on Motus`, [
          `Invoice ${inv.number} (${formatMoney(inv.total_minor, inv.currency)}) could not be collected after several attempts.`,
          `${org.kind === 'subscription' ? 'You and your colleagues' : 'Your practitioners'} cannot use Motus until it is paid; patients can still read their programmes. Add a card or retry the payment to restore access at once.`,
        ], { url: billingUrl, label: 'Pay now' }));
      }
      return 'failed';
    });
    if (attempt.resumedOther && round !== null && outcome !== 'paid') {
      // This round finished someone else's attempt; its own attempt runs when the job is retried.
      throw new Error(`round ${round} met another payment attempt in flight`);
    }
    return outcome;
  }

  /** Lifts "payment required" once no invoice of the organisation is left unpaid. */
  async function liftPaymentRequired(tx: Parameters<Parameters<typeof inTransaction>[1]>[0], organisationId: string, invoiceNumber: number, who: AuditActor) {
    const org = await lockOrganisationStatus(tx, organisationId);
    if (org.status !== 'payment_required') return;
    const unpaid = await tx
      .selectFrom('invoices as i')
      .select('i.id')
      .where('i.organisation_id', '=', organisationId)
      .where('i.status', '=', 'due')
      .where('i.collection', '=', 'card')
      .where((eb) => eb.exists(eb.selectFrom('payment_attempts as p').select('p.id').whereRef('p.invoice_id', '=', 'i.id').where('p.round', '=', RETRY_DAYS.length + 1).where('p.status', '=', 'failed')))
      .executeTakeFirst();
    if (unpaid) return;
    await setOrganisationStatus(tx, organisationId, 'active', clock.now());
    await recordAudit(tx, clock, who, { action: 'organisation.payment_restored', targetType: 'organisation', targetId: organisationId, details: { invoiceNumber } });
  }

  /** "Retry now" from the console: one more attempt, at once (R-LIC-7). */
  async function payNow(ctx: OrgRequestContext, invoiceId: string): Promise<CollectOutcome> {
    const inv = await db.selectFrom('invoices').select(['id', 'status', 'collection']).where('organisation_id', '=', ctx.org.organisationId).where('id', '=', invoiceId).executeTakeFirst();
    if (!inv) throw new NotFoundError('invoice');
    if (inv.status !== 'due') throw new ConflictError('invoice_not_due', 'This invoice is not waiting for payment.', { rule: 'R-LIC-7', status: inv.status });
    if (inv.collection !== 'card') throw new ConflictError('manual_collection', 'This invoice is collected manually by your Motus provider.', { rule: 'R-LIC-7' });
    const outcome = await collect(inv.id, null, auditActorOf(ctx));
    if (outcome === 'skipped') {
      // Another request settled this attempt first (a second click): this one is recorded as changing nothing.
      await inTransaction(db, (tx) => recordAudit(tx, clock, auditActorOf(ctx), { action: 'request.unchanged', targetType: 'invoice', targetId: inv.id, details: { reason: 'payment_already_settled' } }));
    }
    jobs.kick();
    return outcome;
  }

  /** The operator marks a manually collected invoice paid (R-LIC-7). */
  async function markPaid(invoiceNumber: number, actor: AuditActor) {
    return inTransaction(db, async (tx) => {
      const inv = await tx.selectFrom('invoices').selectAll().where('number', '=', invoiceNumber).forUpdate().executeTakeFirst();
      if (!inv) throw new NotFoundError('invoice');
      if (inv.status === 'paid') return inv;
      if (inv.status !== 'due') throw new ConflictError('invoice_not_due', `Invoice ${invoiceNumber} is ${inv.status.replace('_', ' ')}.`);
      await tx.updateTable('invoices').set({ status: 'paid', paid_at: clock.now() }).where('id', '=', inv.id).execute();
      await recordAudit(tx, clock, { ...actor, organisationId: inv.organisation_id }, { action: 'invoice.marked_paid', targetType: 'invoice', targetId: inv.id, details: { number: inv.number, amountMinor: inv.total_minor } });
      return { ...inv, status: 'paid' as const };
    });
  }

  return { collect, payNow, markPaid };
}

export type CollectionService = ReturnType<typeof createCollectionService>;
