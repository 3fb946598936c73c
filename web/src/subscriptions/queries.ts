/** Query keys and fetchers of the subscription page. Every key starts with SUBSCRIPTION_BILLING.key. */
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../app/api.ts';
import { SUBSCRIPTION_BILLING } from '../console/billing.ts';
import { refreshBilling } from '../console/queries.ts';
import type { Member } from '../console/types.ts';
import type { MySubscription, SubscriptionQuote } from './types.ts';

const key = SUBSCRIPTION_BILLING.key;
const path = SUBSCRIPTION_BILLING.api;

/** The person's own subscription (if any), where their licences come from, and the trial's length. */
export function useMySubscription() {
  return useQuery({
    queryKey: [...key, 'mine'],
    queryFn: () => api<MySubscription>(path()),
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
    queryFn: () => api<SubscriptionQuote>(path(`/quote?colleagues=${colleagues}`)),
    enabled,
    staleTime: 0,
    placeholderData: keepPreviousData,
  });
}

export function useColleagues(enabled = true) {
  return useQuery({
    queryKey: [...key, 'colleagues'],
    queryFn: () => api<{ colleagues: Member[] }>(path('/colleagues')).then((a) => a.colleagues),
    enabled,
    staleTime: 0,
  });
}

/** After any change: everything the page shows, and the workspace (home's notices), is asked for again. */
export function useRefreshSubscription() {
  const queryClient = useQueryClient();
  return () => refreshBilling(queryClient, SUBSCRIPTION_BILLING);
}
