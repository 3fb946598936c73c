import { accountEmail, accountName, lockAccount } from '../accounts/data.ts';
import { recordAudit } from '../audit/record.ts';
import { findMonthlyInvoice } from '../billing/data.ts';
import type { Deps } from '../deps.ts';
import { freeLicences, licencesToBuy, monthlyTotalMinor } from '../licences/pool.ts';
import { formatLocalDate, localDateIn, prorate, type LocalDate } from '../licences/proration.ts';
import { formatMoney, type LicenceService, type LockedOrganisation } from '../licences/service.ts';
import { queueEmail } from '../mail/outbox.ts';
import { actionMessage } from '../mail/template.ts';
import type { MembershipChanged, MembershipEvents } from '../memberships/events.ts';
import type { MembershipService } from '../memberships/service.ts';
import { membershipPractitioner, memberState } from '../memberships/data.ts';
import { insertMembership } from '../memberships/store.ts';
import { insertOrganisationRow, organisationKind, organisationStatus, ownSubscription, setSubscriptionDates, subscriptionRow } from '../organisations/data.ts';
import { newId } from '../platform/crypto.ts';
import { inTransaction, type Queryable, type Tx } from '../platform/db/database.ts';
import { ConflictError, ForbiddenError, NotFoundError, PaymentRequiredError } from '../platform/errors.ts';
import { idempotent } from '../platform/idempotency.ts';
import { auditActorOf, type OrgRequestContext, type SignedInContext } from '../platform/http/context.ts';
import type { ColleagueAddedView, MySubscriptionView, SubscriptionQuoteView, SubscriptionView } from './schemas.ts';
import { licenceStanding } from './standing.ts';
import { datesOf, dayBefore, firstOfNextMonth, subscriptionStateAt, type SubscriptionState } from './state.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Individual subscriptions (SPEC section 7). A subscription is a billing account of kind
 * "subscription": the subscriber owns it, colleagues are its members, and it is billed, invoiced and
 * collected exactly as an organisation is. Only the subscriber changes it (R-SUB-4).
 */
export function createSubscriptionService(deps: Deps, licences: LicenceService, memberships: MembershipService, events: MembershipEvents) {
  const { db, clock, config, jobs } = deps;

  const today = (timeZone: string) => formatLocalDate(localDateIn(clock.now(), timeZone));
  const stateOf = (org: LockedOrganisation): SubscriptionState => subscriptionStateAt(org.subscription!, clock.now(), org.timeZone);
  const url = (path = '') => `${config.publicUrl}/subscription${path}`;

  async function ownerEmail(tx: Tx, org: LockedOrganisation): Promise<string> {
    return accountEmail(tx, org.ownerAccountId);
  }

  /** R-SUB-1: a free trial for someone without a licence; one per account, ever. */
  async function startTrial(ctx: SignedInContext): Promise<SubscriptionView> {
    const { actor } = ctx;
    if (!actor.emailVerified) {
      throw new ForbiddenError('email_unverified', 'Confirm your email address before starting a subscription.', { rule: 'R-ACC-3' });
    }
    const id = await inTransaction(db, async (tx) => {
      // Serialises this account's own requests, so that two clicks start one trial.
      await lockAccount(tx, actor.accountId);
      const existing = await ownSubscription(tx, actor.accountId);
      if (existing) {
        throw new ConflictError('subscription_exists', 'You have had a subscription already: restart it instead of starting a new trial.', { rule: 'R-SUB-3' });
      }
      const standing = await licenceStanding(tx, actor.accountId, clock.now());
      if (standing.canWork) {
        throw new ConflictError('licence_held', 'You already have a licence, so you do not need a subscription.', { rule: 'R-SUB-1', from: standing.sources.filter((s) => !s.blocked).map((s) => s.name) });
      }
      const now = clock.now();
      const trialEndsAt = new Date(now.getTime() + config.trialDays * DAY_MS);
      const orgId = newId();
      await insertOrganisationRow(tx, {
        id: orgId,
        kind: 'subscription',
        // Names run to 200 characters, like the organisation's own name: keep the suffix inside it.
        name: `${actor.name.slice(0, 180)}'s subscription`,
        owner_account_id: actor.accountId,
        billing_mode: 'card',
        currency: config.billing.currency,
        licence_price_minor: config.billing.licencePriceMinor,
        billing_time_zone: config.billing.timeZone,
        billing_contact_email: null,
        practice: JSON.stringify({}),
        // The subscriber's own licence: counted from the start, charged once the trial turns paid.
        licences_purchased: 1,
        trial_ends_at: trialEndsAt,
        created_at: now,
        updated_at: now,
      });
      const membershipId = await insertMembership(tx, now, { organisationId: orgId, email: actor.email, name: actor.name, practitioner: true, adminSections: null, joins: { accountId: actor.accountId } });
      const audit = auditActorOf(ctx, { organisationId: orgId });
      await recordAudit(tx, clock, audit, { action: 'subscription.trial_started', targetType: 'organisation', targetId: orgId, details: { trialEndsAt: trialEndsAt.toISOString() } });
      await events.publish(tx, { type: 'membership.changed', organisationId: orgId, membershipId, accountId: actor.accountId, from: null, to: 'active', audit });
      await queueEmail(
        tx,
        clock,
        actionMessage(actor.email, 'Your Motus trial has started', [
          `Your free trial runs for ${config.trialDays} days, until ${trialEndsAt.toUTCString()}.`,
          'Add a card and continue on a paid subscription at any time; nothing is charged during the trial.',
        ], { url: url(), label: 'Your subscription' }),
      );
      return orgId;
    });
    jobs.kick();
    return view(db, id);
  }

  /** What the subscription page shows; read in `q`, so that a change can answer with its own result. */
  async function view(q: Queryable, organisationId: string): Promise<SubscriptionView> {
    const o = await subscriptionRow(q, organisationId);
    const st = subscriptionStateAt(datesOf(o), clock.now(), o.billing_time_zone);
    const pool = { purchased: o.licences_purchased, assigned: o.licences_assigned, reserved: o.licences_reserved };
    return {
      id: o.id,
      name: o.name,
      state: st.state,
      endReason: st.state === 'ended' ? st.reason : null,
      status: o.status,
      trialEndsAt: o.trial_ends_at?.toISOString() ?? null,
      paidFrom: o.paid_from,
      endsOn: o.ends_on,
      /** The last day covered, inclusive ("until 31 March"). */
      lastDay: o.ends_on ? dayBefore(o.ends_on) : null,
      creditMinor: o.credit_minor,
      licences: { ...pool, free: freeLicences(pool), currency: o.currency, unitPriceMinor: o.licence_price_minor, monthlyTotalMinor: monthlyTotalMinor(pool, o.licence_price_minor) },
      timeZone: o.billing_time_zone,
      startedAt: o.created_at.toISOString(),
    };
  }

  /** The subscription page: the person's own subscription (if any) and where their licences come from. */
  async function mine(ctx: SignedInContext): Promise<MySubscriptionView> {
    const { actor } = ctx;
    const own = await ownSubscription(db, actor.accountId);
    const standing = await licenceStanding(db, actor.accountId, clock.now());
    return { subscription: own ? await view(db, own.id) : null, standing, trialDays: config.trialDays };
  }

  function quoteLocked(org: LockedOrganisation, colleagues: number, onFile: boolean): SubscriptionQuoteView {
    const st = stateOf(org);
    const startLicences = st.state === 'trial' || st.state === 'ended' ? org.purchased : 0;
    const start = licences.line(org, 'charge', startLicences);
    const colleagueLicences = licencesToBuy(org, colleagues);
    const buy = licences.line(org, 'charge', colleagueLicences);
    return {
      currency: org.currency,
      unitPriceMinor: org.unitPriceMinor,
      localDate: start.localDate,
      daysInMonth: start.daysInMonth,
      daysCharged: start.daysCharged,
      startLicences,
      startChargeMinor: start.amountMinor,
      colleagueLicences,
      colleagueChargeMinor: buy.amountMinor,
      totalMinor: start.amountMinor + buy.amountMinor,
      paymentMethodOnFile: onFile,
    };
  }

  async function quote(ctx: OrgRequestContext, colleagues: number): Promise<SubscriptionQuoteView> {
    const sub = ctx.org;
    return inTransaction(db, async (tx) => {
      const org = await licences.lockFresh(tx, sub.organisationId);
      return quoteLocked(org, colleagues, await licences.hasPaymentMethod(tx, org.id));
    });
  }

  function refuseUnconfirmed(q: SubscriptionQuoteView, confirmed: number | undefined, what: string) {
    if (q.totalMinor > 0 && confirmed !== q.totalMinor) {
      throw new ConflictError('charge_not_confirmed', `${what} costs ${formatMoney(q.totalMinor, q.currency)} for the rest of this month. Confirm that amount to go ahead.`, { rule: 'R-LIC-2', quote: q });
    }
  }

  async function requireCard(tx: Tx, org: LockedOrganisation) {
    if (!(await licences.hasPaymentMethod(tx, org.id))) {
      throw new PaymentRequiredError('payment_method_required', 'A paid subscription needs a card on file. Add a card first.', { rule: 'R-SUB-1', link: '/subscription' });
    }
  }

  /**
   * A paid period starts today (a trial turning paid, or a restart, R-SUB-1/3): every licence the
   * subscription counts is charged for the rest of the month (R-LIC-4).
   */
  async function beginPaidPeriod(tx: Tx, ctx: OrgRequestContext, org: LockedOrganisation, from: 'trial' | 'ended') {
    const paidFrom = today(org.timeZone);
    const audit = auditActorOf(ctx, { organisationId: org.id });
    const { line } = await licences.writeLedger(tx, org, audit, {
      kind: 'charge',
      quantity: org.purchased,
      cause: 'subscription_started',
      membershipId: null,
      description: from === 'trial' ? 'Subscription started after the trial' : 'Subscription restarted',
    });
    await setSubscriptionDates(tx, org.id, { paid_from: paidFrom, ends_on: null, end_reason: null, updated_at: clock.now() });
    org.subscription = { ...org.subscription!, paidFrom, endsOn: null, endReason: null };
    await recordAudit(tx, clock, audit, { action: 'subscription.started', targetType: 'organisation', targetId: org.id, details: { from, licences: org.purchased, amountMinor: line.amountMinor, paidFrom } });
    return line.amountMinor;
  }

  /** R-SUB-1, R-SUB-3: continue after the trial, or restart an ended subscription, with a card. */
  async function start(ctx: OrgRequestContext, confirmedChargeMinor: number | undefined, idempotencyKey: string | undefined) {
    const { actor, org: sub } = ctx;
    return idempotent(db, clock, { accountId: actor.accountId, key: idempotencyKey, scope: `subscription.start:${sub.organisationId}`, request: { confirmedChargeMinor } }, async (tx) => {
      const org = await licences.lockFresh(tx, sub.organisationId);
      const st = stateOf(org);
      if (st.state === 'paid') throw new ConflictError('already_paid', 'Your subscription is already running.', { rule: 'R-SUB-1' });
      if (st.state === 'cancelling') throw new ConflictError('cancellation_pending', 'Your subscription is running until the end of the month: undo the cancellation instead.', { rule: 'R-SUB-3' });
      await requireCard(tx, org);
      refuseUnconfirmed(quoteLocked(org, 0, true), confirmedChargeMinor, st.state === 'trial' ? 'Continuing after the trial' : 'Restarting your subscription');
      const chargeMinor = await beginPaidPeriod(tx, ctx, org, st.state === 'trial' ? 'trial' : 'ended');
      return { status: 200, body: { chargeMinor, subscription: await view(tx, org.id) } };
    });
  }

  /**
   * R-SUB-2: a colleague is added by email once the subscriber acknowledged the extra cost; a trial
   * turns paid in the same step. The colleague keeps their own account and accepts like any invitation.
   */
  async function addColleague(ctx: OrgRequestContext, input: { name: string; email: string; confirmedChargeMinor?: number | undefined }, idempotencyKey: string | undefined) {
    const { actor, org: sub } = ctx;
    const result = await idempotent<ColleagueAddedView>(db, clock, { accountId: actor.accountId, key: idempotencyKey, scope: `subscription.colleague:${sub.organisationId}`, request: input }, async (tx) => {
      const org = await licences.lockFresh(tx, sub.organisationId);
      const st = stateOf(org);
      if (st.state === 'ended') throw new ConflictError('subscription_ended', 'Your subscription has ended. Restart it before adding colleagues.', { rule: 'R-SUB-3' });
      if (input.email === actor.email) throw new ConflictError('already_member', 'You hold this subscription yourself.', { rule: 'R-SUB-2' });
      const q = quoteLocked(org, 1, await licences.hasPaymentMethod(tx, org.id));
      if (q.totalMinor > 0 || st.state === 'trial') await requireCard(tx, org);
      refuseUnconfirmed(q, input.confirmedChargeMinor, `Adding ${input.name}${st.state === 'trial' ? ' turns your trial into a paid subscription and' : ''}`);
      let startChargeMinor = 0;
      if (st.state === 'trial') startChargeMinor = await beginPaidPeriod(tx, ctx, org, 'trial');
      const invited = await memberships.inviteLocked(tx, ctx, org, { name: input.name, email: input.email, practitioner: true, confirmedChargeMinor: q.colleagueChargeMinor });
      return { status: 201, body: { ...invited, startChargeMinor, chargeMinor: invited.chargeMinor + startChargeMinor } };
    });
    jobs.kick();
    return result;
  }

  /**
   * R-SUB-2: removing a colleague frees their licence but keeps the count (and its charge); an open
   * invitation is revoked. Lowering the count is `removeLicences`.
   */
  async function removeColleague(ctx: OrgRequestContext, membershipId: string) {
    const sub = ctx.org;
    if (membershipId === sub.membershipId) throw new ConflictError('own_membership', 'You cannot remove yourself: cancel the subscription instead.', { rule: 'R-SUB-3' });
    const m = await memberState(db, sub.organisationId, membershipId);
    if (!m) throw new NotFoundError('colleague');
    if (m.state === 'invited') return { member: await memberships.revoke(ctx, membershipId) };
    return (await memberships.removeFromOrganisation(ctx, membershipId, false, undefined)).body;
  }

  /** R-LIC-3 with R-SUB-2: free licences are removed on their own step; credited only when paid for. */
  async function removeLicences(ctx: OrgRequestContext, quantity: number, idempotencyKey: string | undefined) {
    const { actor, org: sub } = ctx;
    return idempotent(db, clock, { accountId: actor.accountId, key: idempotencyKey, scope: `subscription.licences.remove:${sub.organisationId}`, request: { quantity } }, async (tx) => {
      const org = await licences.lockFresh(tx, sub.organisationId);
      const st = stateOf(org);
      const audit = auditActorOf(ctx, { organisationId: org.id });
      if (st.state === 'paid' || st.state === 'cancelling') {
        const credit = await licences.remove(tx, org, audit, quantity, `${quantity} free licence${quantity === 1 ? '' : 's'} removed by ${actor.name}`);
        return { status: 200, body: { creditMinor: credit.amountMinor, subscription: await view(tx, org.id) } };
      }
      await licences.removeUnbilled(tx, org, audit, quantity, st.state === 'trial' ? 'trial' : 'ended');
      return { status: 200, body: { creditMinor: 0, subscription: await view(tx, org.id) } };
    });
  }

  /**
   * R-SUB-3: cancelling takes effect at the end of the calendar month and can be undone until then.
   * Cancelling again changes nothing; the repeat is recorded as such.
   */
  async function cancel(ctx: OrgRequestContext): Promise<SubscriptionView> {
    const sub = ctx.org;
    await inTransaction(db, async (tx) => {
      const org = await licences.lockFresh(tx, sub.organisationId);
      const st = stateOf(org);
      if (st.state === 'cancelling') {
        await recordAudit(tx, clock, auditActorOf(ctx), { action: 'request.unchanged', targetType: 'organisation', targetId: org.id, details: { reason: 'already_cancelling' } });
        return;
      }
      if (st.state === 'trial') throw new ConflictError('trial_not_cancellable', 'A trial ends by itself and nothing is charged: there is nothing to cancel.', { rule: 'R-SUB-1' });
      if (st.state === 'ended') throw new ConflictError('subscription_ended', 'This subscription has ended already.', { rule: 'R-SUB-3' });
      const endsOn = firstOfNextMonth(localDateIn(clock.now(), org.timeZone));
      await setSubscriptionDates(tx, org.id, { ends_on: endsOn, end_reason: 'cancelled', updated_at: clock.now() });
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'subscription.cancelled', targetType: 'organisation', targetId: org.id, details: { endsOn } });
      await queueEmail(
        tx,
        clock,
        actionMessage(await ownerEmail(tx, org), 'Your Motus subscription is cancelled', [
          `Your subscription and your colleagues' licences run until the end of ${dayName(dayBefore(endsOn))}, and end on ${dayName(endsOn)}.`,
          'You can undo the cancellation until then, and restart the subscription later.',
        ], { url: url(), label: 'Your subscription' }),
      );
    });
    jobs.kick();
    return view(db, sub.organisationId);
  }

  /** Undoing a cancellation already undone changes nothing, and is recorded like a repeated `cancel`. */
  async function undoCancel(ctx: OrgRequestContext): Promise<SubscriptionView> {
    const sub = ctx.org;
    await inTransaction(db, async (tx) => {
      const org = await licences.lockFresh(tx, sub.organisationId);
      const st = stateOf(org);
      if (st.state === 'paid') {
        await recordAudit(tx, clock, auditActorOf(ctx), { action: 'request.unchanged', targetType: 'organisation', targetId: org.id, details: { reason: 'not_cancelling' } });
        return;
      }
      if (st.state !== 'cancelling') throw new ConflictError('not_cancelling', 'Only a cancellation that has not taken effect yet can be undone. Restart the subscription instead.', { rule: 'R-SUB-3' });
      await setSubscriptionDates(tx, org.id, { ends_on: null, end_reason: null, updated_at: clock.now() });
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'subscription.cancellation_undone', targetType: 'organisation', targetId: org.id, details: { endsOn: null } });
    });
    return view(db, sub.organisationId);
  }

  async function colleagues(ctx: OrgRequestContext) {
    const sub = ctx.org;
    const r = await memberships.list(ctx, { limit: 500, offset: 0 });
    return { colleagues: r.members.filter((m) => m.id !== sub.membershipId) };
  }

  /**
   * R-PRA-7: a practitioner who joins an organisation with a live individual subscription has it
   * ended on acceptance; the unused days of the paid period (every licence it counts, from today to
   * the end of the month) are credited to the organisation's next invoice. A trial ends with nothing
   * to credit; an unpaid subscription (payment required) credits nothing either.
   */
  async function endOnJoining(tx: Tx, event: MembershipChanged): Promise<void> {
    if (event.to !== 'active' || event.from !== 'invited' || !event.accountId) return;
    const joined = await organisationKind(tx, event.organisationId);
    const membership = await membershipPractitioner(tx, event.membershipId);
    if (joined.kind !== 'organisation' || !membership.practitioner) return;
    // The account's lock, as starting a trial takes it: a trial started meanwhile is either seen
    // here and ended, or sees this licence and is refused.
    await lockAccount(tx, event.accountId);
    const own = await ownSubscription(tx, event.accountId);
    if (!own) return;
    // The organisation is locked by the acceptance already; the subscription is locked after it.
    const sub = await licences.lock(tx, own.id);
    const st = stateOf(sub);
    if (st.state === 'ended') return;
    const org = await licences.lock(tx, event.organisationId);
    const status = await organisationStatus(tx, sub.id);
    const audit = event.audit;
    const todayLocal = localDateIn(clock.now(), sub.timeZone);
    let creditMinor = 0;
    if (st.state !== 'trial' && status.status === 'active' && sub.currency === org.currency && sub.purchased > 0 && (await monthIsBilled(tx, sub, todayLocal))) {
      // The subscription's own price and days; dated in the organisation's calendar for its invoice.
      const unused = prorate('credit', sub.unitPriceMinor, sub.purchased, todayLocal);
      const orgDate = formatLocalDate(localDateIn(clock.now(), org.timeZone));
      const ownerName = await accountName(tx, event.accountId);
      const { ledgerId } = await licences.writeLedger(tx, org, { ...audit, organisationId: org.id }, {
        kind: 'credit',
        quantity: sub.purchased,
        cause: 'subscription_credit',
        membershipId: event.membershipId,
        description: `Unused days of ${ownerName}'s individual subscription`,
        prorated: { ...unused, localDate: orgDate },
      });
      creditMinor = unused.amountMinor;
      await recordAudit(tx, clock, { ...audit, organisationId: org.id }, {
        action: 'licences.subscription_credited',
        targetType: 'organisation',
        targetId: org.id,
        details: { quantity: sub.purchased, amountMinor: creditMinor, currency: org.currency, ledgerId, localDate: orgDate, subscriptionId: sub.id },
      });
    }
    const endsOn = formatLocalDate(todayLocal);
    await setSubscriptionDates(tx, sub.id, { ends_on: endsOn, end_reason: 'joined_organisation', updated_at: clock.now() });
    await recordAudit(tx, clock, { ...audit, organisationId: sub.id }, { action: 'subscription.ended_on_joining', targetType: 'organisation', targetId: sub.id, details: { joinedOrganisationId: org.id, creditMinor, state: st.state } });
  }

  /**
   * Whether the current month of a paid subscription is (or will be) billed, so that its unused days
   * can be credited. Ending the subscription on the 1st means the month's licences line is never
   * billed (`billedAtStart`) unless the month's invoice was issued before: only then was it paid for.
   * A paid period started this month is charged by its own line, which stays billed.
   */
  async function monthIsBilled(tx: Tx, sub: LockedOrganisation, todayLocal: LocalDate): Promise<boolean> {
    const today = formatLocalDate(todayLocal);
    if (todayLocal.day !== 1 || sub.subscription!.paidFrom === null || sub.subscription!.paidFrom >= today) return true;
    const issued = await findMonthlyInvoice(tx, sub.id, today.slice(0, 7));
    return issued !== undefined;
  }

  events.subscribe(endOnJoining);

  return { startTrial, mine, view, quote, start, addColleague, removeColleague, removeLicences, cancel, undoCancel, colleagues };
}

const dayName = (date: string) => new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

export type SubscriptionService = ReturnType<typeof createSubscriptionService>;
