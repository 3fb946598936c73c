import { recordAudit } from '../audit/record.ts';
import type { AuditActor } from '../audit/events.ts';
import type { Deps } from '../deps.ts';
import type { Tx } from '../platform/db/database.ts';
import type { LedgerCause } from '../platform/db/schema.ts';
import { newId } from '../platform/crypto.ts';
import { ConflictError, PaymentRequiredError } from '../platform/errors.ts';
import { inTransaction } from '../platform/db/database.ts';
import { addPurchasedLicences, lockOrganisationRow, removePurchasedLicences } from '../organisations/data.ts';
import { hasPaymentMethod as hasCardOnFile } from '../billing/data.ts';
import { idempotent } from '../platform/idempotency.ts';
import { auditActorOf, type OrgRequestContext } from '../platform/http/context.ts';
import { canRemoveLicences, freeLicences, licencesToBuy, monthlyTotalMinor, type Pool } from './pool.ts';
import { localDateIn, prorate, type ProratedLine } from './proration.ts';
import { ledgerEntries } from './data.ts';
import type { LedgerEntryView, PoolView, PurchaseInput, QuoteView } from './schemas.ts';
import { datesOf, type SubscriptionDates } from '../subscriptions/state.ts';

/**
 * The organisation row as the licence rules need it, read under its row lock. Its pool counts are
 * those at the moment of locking: the trigger on `memberships` keeps the row's counts, not this
 * copy, so code that changes memberships reads the pool again (`lockFresh`) before relying on them.
 */
export interface LockedOrganisation extends Pool {
  id: string;
  name: string;
  ownerAccountId: string;
  billingMode: 'card' | 'manual';
  currency: string;
  unitPriceMinor: number;
  timeZone: string;
  kind: 'organisation' | 'subscription';
  /** The subscription's dates (R-SUB-1, R-SUB-3); null for an organisation. */
  subscription: SubscriptionDates | null;
}

/** `expireOverdue` brings the pool up to date (R-PRA-2) before it is read under the lock. */
export function createLicenceService({ db, clock }: Deps, expireOverdue: (tx: Tx, organisationId: string) => Promise<number>) {
  /** Locks the organisation row: every change of its pool and memberships queues behind it. */
  async function lock(tx: Tx, organisationId: string): Promise<LockedOrganisation> {
    const o = await lockOrganisationRow(tx, organisationId);
    return {
      id: o.id,
      name: o.name,
      ownerAccountId: o.owner_account_id,
      billingMode: o.billing_mode,
      currency: o.currency,
      unitPriceMinor: o.licence_price_minor,
      timeZone: o.billing_time_zone,
      purchased: o.licences_purchased,
      assigned: o.licences_assigned,
      reserved: o.licences_reserved,
      kind: o.kind,
      subscription: o.kind === 'subscription' ? datesOf(o) : null,
    };
  }

  /** Locks the organisation and first expires its overdue invitations, so the counts are current. */
  async function lockFresh(tx: Tx, organisationId: string): Promise<LockedOrganisation> {
    const o = await lock(tx, organisationId);
    return (await expireOverdue(tx, organisationId)) > 0 ? lock(tx, organisationId) : o;
  }

  async function hasPaymentMethod(tx: Tx, organisationId: string): Promise<boolean> {
    return hasCardOnFile(tx, organisationId);
  }

  function line(org: LockedOrganisation, kind: 'charge' | 'credit', quantity: number): ProratedLine {
    return prorate(kind, org.unitPriceMinor, quantity, localDateIn(clock.now(), org.timeZone));
  }

  async function quote(tx: Tx, org: LockedOrganisation, wanted: number, opts: { bulk?: boolean } = {}): Promise<QuoteView> {
    const quantity = opts.bulk ? wanted : licencesToBuy(org, wanted);
    const onFile = await hasPaymentMethod(tx, org.id);
    const l = line(org, 'charge', quantity);
    return {
      quantity,
      currency: org.currency,
      unitPriceMinor: org.unitPriceMinor,
      amountMinor: quantity > 0 ? l.amountMinor : 0,
      localDate: l.localDate,
      daysInMonth: l.daysInMonth,
      daysCharged: l.daysCharged,
      freeLicences: freeLicences(org),
      paymentMethodRequired: quantity > 0 && org.billingMode === 'card' && !onFile,
      paymentMethodOnFile: onFile,
    };
  }

  /**
   * Moves the purchased count by `quantity` with its prorated ledger line (R-LIC-4) and audit record,
   * in the caller's transaction and under its organisation lock.
   */
  async function changePool(
    tx: Tx,
    org: LockedOrganisation,
    actor: AuditActor,
    change: { kind: 'charge' | 'credit'; quantity: number; cause: LedgerCause; membershipId: string | null; description: string },
  ): Promise<{ ledgerId: string; amountMinor: number }> {
    const { ledgerId, line: l } = await writeLedger(tx, org, actor, change);
    const delta = change.kind === 'charge' ? change.quantity : -change.quantity;
    await addPurchasedLicences(tx, org.id, delta, clock.now());
    org.purchased += delta;
    const details = { quantity: change.quantity, amountMinor: l.amountMinor, currency: org.currency, ledgerId, localDate: l.localDate };
    await recordAudit(
      tx,
      clock,
      actor,
      change.kind === 'charge'
        ? { action: 'licences.purchased', targetType: 'organisation', targetId: org.id, details: { ...details, cause: change.cause } }
        : { action: 'licences.removed', targetType: 'organisation', targetId: org.id, details },
    );
    return { ledgerId, amountMinor: l.amountMinor };
  }

  /**
   * One prorated ledger line (R-LIC-4) naming its cause, without moving the count: `changePool` moves
   * it; a subscription's paid period starting charges licences it already counts. `prorated` gives a
   * line worked out elsewhere (another account's price and days, R-PRA-7).
   */
  async function writeLedger(
    tx: Tx,
    org: LockedOrganisation,
    actor: AuditActor,
    change: { kind: 'charge' | 'credit'; quantity: number; cause: LedgerCause; membershipId: string | null; description: string; prorated?: ProratedLine },
  ): Promise<{ ledgerId: string; line: ProratedLine }> {
    const l = change.prorated ?? line(org, change.kind, change.quantity);
    const ledgerId = newId();
    await tx
      .insertInto('licence_ledger')
      .values({
        id: ledgerId,
        organisation_id: org.id,
        kind: change.kind,
        quantity: change.quantity,
        unit_price_minor: l.unitPriceMinor,
        amount_minor: l.amountMinor,
        currency: org.currency,
        local_date: l.localDate,
        days_in_month: l.daysInMonth,
        cause: change.cause,
        membership_id: change.membershipId,
        description: `${change.description}: ${change.quantity} × ${formatMoney(l.unitPriceMinor, org.currency)} × ${l.daysCharged}/${l.daysInMonth} days from ${l.localDate}`,
        actor_account_id: actor.accountId,
        invoice_id: null,
        created_at: clock.now(),
      })
      .execute();
    return { ledgerId, line: l };
  }

  /**
   * R-LIC-2: buys `quantity` licences, refusing without a payment method (unless billed manually)
   * and unless the caller confirmed the exact amount it was shown. Writes the ledger charge and its
   * audit record in the caller's transaction.
   */
  async function buy(
    tx: Tx,
    org: LockedOrganisation,
    actor: AuditActor,
    input: { quantity: number; confirmedChargeMinor: number | undefined; cause: LedgerCause; membershipId?: string; description: string },
  ): Promise<{ ledgerId: string; amountMinor: number }> {
    const q = await quote(tx, org, input.quantity, { bulk: true });
    if (q.paymentMethodRequired) {
      throw new PaymentRequiredError('payment_method_required', 'No licence is free and buying one needs a payment method. Add a card under Licences & billing first.', {
        rule: 'R-LIC-2',
        link: billingPath(org),
      });
    }
    if (input.confirmedChargeMinor !== q.amountMinor) {
      throw new ConflictError('charge_not_confirmed', `This buys ${q.quantity} licence${q.quantity === 1 ? '' : 's'} for ${formatMoney(q.amountMinor, q.currency)} this month. Confirm that amount to go ahead.`, {
        rule: 'R-LIC-2',
        quote: q,
      });
    }
    return changePool(tx, org, actor, { kind: 'charge', quantity: input.quantity, cause: input.cause, membershipId: input.membershipId ?? null, description: input.description });
  }

  /** R-LIC-3: the count never drops below assigned + reserved. */
  function assertRemovable(org: LockedOrganisation, quantity: number): void {
    if (canRemoveLicences(org, quantity)) return;
    throw new ConflictError('licences_in_use', `Only ${freeLicences(org)} licence${freeLicences(org) === 1 ? ' is' : 's are'} free; the others are assigned or reserved.`, {
      rule: 'R-LIC-3',
      pool: { purchased: org.purchased, assigned: org.assigned, reserved: org.reserved, free: freeLicences(org) },
    });
  }

  /** R-LIC-3/4: removes free licences with a prorated credit; never below assigned + reserved. */
  async function remove(tx: Tx, org: LockedOrganisation, actor: AuditActor, quantity: number, description: string): Promise<{ ledgerId: string; amountMinor: number }> {
    assertRemovable(org, quantity);
    return changePool(tx, org, actor, { kind: 'credit', quantity, cause: 'licences_removed', membershipId: null, description });
  }

  /**
   * R-LIC-3 where nothing was charged (a subscription in trial or ended): the count drops with no
   * credit, since no money was taken for the licences removed.
   */
  async function removeUnbilled(tx: Tx, org: LockedOrganisation, actor: AuditActor, quantity: number, reason: 'trial' | 'ended'): Promise<void> {
    assertRemovable(org, quantity);
    await removePurchasedLicences(tx, org.id, quantity, clock.now());
    org.purchased -= quantity;
    await recordAudit(tx, clock, actor, { action: 'licences.lowered_unbilled', targetType: 'organisation', targetId: org.id, details: { quantity, reason } });
  }

  /**
   * Makes room for one more practitioner: uses a free licence, or buys one (R-LIC-2).
   */
  async function secureOne(
    tx: Tx,
    org: LockedOrganisation,
    actor: AuditActor,
    input: { confirmedChargeMinor: number | undefined; cause: LedgerCause; membershipId: string; description: string },
  ): Promise<{ bought: boolean; amountMinor: number }> {
    if (freeLicences(org) > 0) return { bought: false, amountMinor: 0 };
    const r = await buy(tx, org, actor, { quantity: 1, ...input });
    return { bought: true, amountMinor: r.amountMinor };
  }

  // The console's licence actions (R-LIC-1..3), each in its own transaction under the org lock.

  async function pool(ctx: OrgRequestContext): Promise<PoolView> {
    return inTransaction(db, async (tx) => poolView(await lockFresh(tx, ctx.org.organisationId)));
  }

  async function quoteFor(ctx: OrgRequestContext, quantity: number, bulk: boolean): Promise<QuoteView> {
    return inTransaction(db, async (tx) => quote(tx, await lockFresh(tx, ctx.org.organisationId), quantity, { bulk }));
  }

  async function purchase(ctx: OrgRequestContext, input: PurchaseInput, idempotencyKey: string | undefined) {
    const { actor, org } = ctx;
    return idempotent(db, clock, { accountId: actor.accountId, key: idempotencyKey, scope: `licences.purchase:${org.organisationId}`, request: input }, async (tx) => {
      const o = await lockFresh(tx, org.organisationId);
      const r = await buy(tx, o, auditActorOf(ctx), { ...input, cause: 'bulk_purchase', description: `${input.quantity} licence${input.quantity === 1 ? '' : 's'} bought by ${actor.name}` });
      return { status: 200, body: { pool: poolView(o), chargeMinor: r.amountMinor } };
    });
  }

  async function removeFree(ctx: OrgRequestContext, quantity: number, idempotencyKey: string | undefined) {
    const { actor, org } = ctx;
    return idempotent(db, clock, { accountId: actor.accountId, key: idempotencyKey, scope: `licences.remove:${org.organisationId}`, request: { quantity } }, async (tx) => {
      const o = await lockFresh(tx, org.organisationId);
      const r = await remove(tx, o, auditActorOf(ctx), quantity, `${quantity} free licence${quantity === 1 ? '' : 's'} removed by ${actor.name}`);
      return { status: 200, body: { pool: poolView(o), creditMinor: r.amountMinor } };
    });
  }

  /** Charges and credits not yet invoiced ("pending"), newest first. */
  async function ledger(ctx: OrgRequestContext, opts: { pendingOnly: boolean; limit: number }): Promise<{ entries: LedgerEntryView[]; netMinor: number }> {
    const rows = await ledgerEntries(db, ctx.org.organisationId, opts);
    const entries = rows.map((r): LedgerEntryView => ({
      id: r.id,
      kind: r.kind,
      quantity: r.quantity,
      unitPriceMinor: r.unit_price_minor,
      amountMinor: r.amount_minor,
      currency: r.currency,
      localDate: r.local_date,
      daysInMonth: r.days_in_month,
      cause: r.cause,
      membershipId: r.membership_id,
      description: r.description,
      createdAt: r.created_at.toISOString(),
    }));
    const netMinor = entries.reduce((n, e) => n + (e.kind === 'charge' ? e.amountMinor : -e.amountMinor), 0);
    return { entries, netMinor };
  }

  return { lock, lockFresh, quote, buy, remove, removeUnbilled, changePool, writeLedger, line, secureOne, hasPaymentMethod, pool, quoteFor, purchase, removeFree, ledger };
}

export function poolView(o: LockedOrganisation): PoolView {
  return {
    purchased: o.purchased,
    assigned: o.assigned,
    reserved: o.reserved,
    free: freeLicences(o),
    currency: o.currency,
    unitPriceMinor: o.unitPriceMinor,
    monthlyTotalMinor: monthlyTotalMinor(o, o.unitPriceMinor),
    billingMode: o.billingMode,
  };
}

export type LicenceService = ReturnType<typeof createLicenceService>;

/** Where the owner of a billing account pays: the console's billing page, or the subscription page. */
export function billingPath(o: { id: string; kind: 'organisation' | 'subscription' }): string {
  return o.kind === 'subscription' ? '/subscription' : `/console/${o.id}/billing`;
}

export function formatMoney(minor: number, currency: string): string {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(minor / 100);
}
