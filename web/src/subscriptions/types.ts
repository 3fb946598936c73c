/** Shapes of the subscription page's API, `/api/me/subscription…` (src/subscriptions). */
import type { Member, PoolSummary } from '../console/types.ts';
import type { LicenceStanding, SubscriptionEndReason, SubscriptionState } from '../organisations/types.ts';

/** The person's own individual subscription (SPEC section 7). */
export interface Subscription {
  id: string;
  name: string;
  state: SubscriptionState;
  endReason: SubscriptionEndReason | null;
  /** payment_required while an invoice stays unpaid after its retries (R-LIC-7). */
  status: 'active' | 'payment_required';
  trialEndsAt: string | null;
  /** Local date (YYYY-MM-DD) from which the current paid period runs; null during the trial. */
  paidFrom: string | null;
  /** The first local date no longer covered, once cancelled or ended. */
  endsOn: string | null;
  /** The last day covered, inclusive (YYYY-MM-DD). */
  lastDay: string | null;
  creditMinor: number;
  licences: PoolSummary;
  timeZone: string;
  startedAt: string;
}

/** GET /api/me/subscription */
export interface MySubscription {
  subscription: Subscription | null;
  standing: LicenceStanding;
  trialDays: number;
}

/** GET /api/me/subscription/quote?colleagues=N: what starting, restarting or adding colleagues costs this month (R-LIC-4); the server's own shape. */
export type { SubscriptionQuote } from '../../../src/subscriptions/service.ts';

/** POST /api/me/subscription/colleagues */
export interface ColleagueAdded {
  member: Member;
  licenceBought: boolean;
  chargeMinor: number;
  startChargeMinor: number;
}
