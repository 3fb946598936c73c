/** A confirmed charge refused because its price moved on since it was shown (R-LIC-2). */
import type { QueryClient, QueryKey } from '@tanstack/react-query';
import { isApiError } from '../app/api.ts';

/**
 * When `error` says the confirmed charge no longer matches the price (`charge_not_confirmed`),
 * shows the server's fresh quote under `quoteKey` (or asks for one) and returns true, so the
 * dialog can ask the person to confirm the new amount; false for any other error.
 */
export async function showChangedPrice(error: unknown, queryClient: QueryClient, quoteKey: QueryKey, refetch: () => Promise<unknown>): Promise<boolean> {
  if (!isApiError(error, 'charge_not_confirmed')) return false;
  const fresh = (error.details as { quote?: unknown } | undefined)?.quote;
  if (fresh) queryClient.setQueryData(quoteKey, fresh);
  else await refetch();
  return true;
}
