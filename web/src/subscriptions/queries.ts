/** Query keys and fetchers of the subscription page. Every key starts with SUBSCRIPTION_BILLING.key. */
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { subscriptionContracts } from '../../../src/subscriptions/schemas.ts';
import { call } from '../app/api.ts';
import { SUBSCRIPTION_BILLING } from '../billing/billing.ts';
import { refreshBilling } from '../billing/queries.ts';

const key = SUBSCRIPTION_BILLING.key;

/** The person's own subscription (if any), where their licences come from, and the trial's length. */
export function useMySubscription() {
  return useQuery({
    queryKey: [...key, 'mine'],
    queryFn: () => call(subscriptionContracts.mine),
    staleTime: 0,
  });
}

export function subscriptionQuoteKey(colleagues: number) {
  return [...key, 'quote', colleagues] as const;
}

/** What continuing, restarting or adding `colleagues` colleagues costs now (R-LIC-4). Only with a subscription of one's own. */
export function useSubscriptionQuote(colleagues: number, enabled = true) {
  return useQuery({
    queryKey: subscriptionQuoteKey(colleagues),
    queryFn: () => call(subscriptionContracts.quote, { query: { colleagues } }),
    enabled,
    staleTime: 0,
    placeholderData: keepPreviousData,
  });
}

export function useColleagues(enabled = true) {
  return useQuery({
    queryKey: [...key, 'colleagues'],
    queryFn: () => call(subscriptionContracts.colleagues).then((a) => a.colleagues),
    enabled,
    staleTime: 0,
  });
}

/** After any change: everything the page shows, and the workspace (home's notices), is asked for again. */
export function useRefreshSubscription() {
  const queryClient = useQueryClient();
  return () => refreshBilling(queryClient, SUBSCRIPTION_BILLING);
}
