import type { Queryable } from '../platform/db/database.ts';
import { ForbiddenError, PaymentRequiredError } from '../platform/errors.ts';
import type { LicenceSourceView, LicenceStandingView } from '../organisations/schemas.ts';
import { datesOf, dayBefore, isLive, subscriptionStateAt } from './state.ts';

/**
 * Where a person's practitioner licences come from and whether they can work: an organisation
 * (unless their access was removed or payment is required there), their own individual subscription
 * or a colleague's (while it is live and paid up).
 */
export async function licenceStanding(db: Queryable, accountId: string, now: Date): Promise<LicenceStandingView> {
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .innerJoin('accounts as owner', 'owner.id', 'o.owner_account_id')
    .select(['m.state', 'o.id', 'o.name', 'o.kind', 'o.status', 'o.owner_account_id', 'o.billing_time_zone', 'o.trial_ends_at', 'o.paid_from', 'o.ends_on', 'o.end_reason', 'owner.name as owner_name', 'owner.email as owner_email'])
    .where('m.account_id', '=', accountId)
    .where('m.state', 'in', ['active', 'access_removed'])
    .where('m.practitioner', '=', true)
    .orderBy('o.kind')
    .orderBy('o.name')
    .execute();
  const sources: LicenceSourceView[] = rows.map((r) => {
    const managedBy = { name: r.owner_name, email: r.owner_email };
    if (r.kind === 'organisation') {
      const blocked = r.state === 'access_removed' ? 'access_removed' : r.status === 'payment_required' ? 'payment_required' : null;
      return { kind: 'organisation', organisationId: r.id, name: r.name, own: false, managedBy, blocked, subscription: null };
    }
    const st = subscriptionStateAt(datesOf(r), now, r.billing_time_zone);
    const blocked = r.state === 'access_removed' ? 'access_removed' : !isLive(st) ? 'subscription_ended' : r.status === 'payment_required' ? 'payment_required' : null;
    return {
      kind: 'subscription',
      organisationId: r.id,
      name: r.name,
      own: r.owner_account_id === accountId,
      managedBy,
      blocked,
      subscription: {
        state: st.state,
        trialEndsAt: r.trial_ends_at?.toISOString() ?? null,
        endsOn: r.ends_on,
        lastDay: r.ends_on ? dayBefore(r.ends_on) : null,
        endReason: st.state === 'ended' ? st.reason : null,
      },
    };
  });
  const canWork = sources.some((s) => s.blocked === null);
  return { canWork, sources, notice: canWork ? null : noticeFor(sources) };
}

function noticeFor(sources: LicenceSourceView[]): NonNullable<LicenceStandingView['notice']> {
  const unpaid = sources.find((s) => s.blocked === 'payment_required');
  if (unpaid) {
    return {
      code: 'payment_required',
      message: unpaid.own
        ? 'Your subscription has an unpaid invoice. Pay it to go on working; your patients can still read their programmes.'
        : `${unpaid.name} has an unpaid invoice. Motus is paused until ${unpaid.managedBy.name} pays it; your patients can still read their programmes.`,
      contact: unpaid.own ? null : unpaid.managedBy,
      ownSubscription: unpaid.own,
    };
  }
  const removed = sources.find((s) => s.blocked === 'access_removed');
  if (removed) {
    return {
      code: 'access_removed',
      message: `${removed.name} removed your access to Motus. Contact ${removed.managedBy.name} (${removed.managedBy.email}) if you think this is a mistake, or start your own subscription.`,
      contact: removed.managedBy,
      ownSubscription: false,
    };
  }
  const own = sources.find((s) => s.own);
  if (own) {
    const reason = own.subscription?.endReason;
    return {
      code: 'subscription_required',
      message:
        reason === 'trial_ended'
          ? 'Your free trial has ended. Continue with a paid subscription to go on working; your patients can still read their programmes.'
          : 'Your subscription has ended. Restart it to go on working; your patients can still read their programmes.',
      contact: null,
      ownSubscription: true,
    };
  }
  const colleague = sources.find((s) => s.blocked === 'subscription_ended');
  if (colleague) {
    return {
      code: 'subscription_required',
      message: `${colleague.managedBy.name}'s subscription, which gave you your licence, has ended. Ask ${colleague.managedBy.name} (${colleague.managedBy.email}) to restart it, or start your own subscription.`,
      contact: colleague.managedBy,
      ownSubscription: false,
    };
  }
  return {
    code: 'subscription_required',
    message: 'You have no licence to use Motus yet. Start a free trial, or ask your practice to add you to its organisation.',
    contact: null,
    ownSubscription: false,
  };
}

/**
 * For practitioner routes: a person whose licence does not let them work now is refused with the
 * notice they see at sign-in: 403 when an organisation removed their access, 402 otherwise.
 */
export async function requireWorkingLicence(db: Queryable, accountId: string, now: Date): Promise<void> {
  const standing = await licenceStanding(db, accountId, now);
  if (standing.canWork || !standing.notice) return;
  refuse(standing.notice);
}

/**
 * For an API key limited to one practice (R-INT-3): its owner must be able to work there now; the
 * refusal is the one a session would get there. Someone who left the practice gets 403.
 */
export async function requireWorkingIn(db: Queryable, accountId: string, organisationId: string, now: Date): Promise<void> {
  const standing = await licenceStanding(db, accountId, now);
  const source = standing.sources.find((s) => s.organisationId === organisationId);
  if (!source) throw new ForbiddenError('api_key_practice_left', 'The owner of this API key no longer works in its practice.', { rule: 'R-INT-3' });
  if (source.blocked === null) return;
  refuse(noticeFor([source]));
}

function refuse(notice: NonNullable<LicenceStandingView['notice']>): never {
  const { code, message, contact, ownSubscription } = notice;
  const rule = code === 'payment_required' ? 'R-LIC-7' : code === 'access_removed' ? 'R-PRA-4' : 'R-SUB-1';
  if (code === 'access_removed') throw new ForbiddenError(code, message, { rule, contact });
  throw new PaymentRequiredError(code, message, { rule, contact, ownSubscription });
}
