/**
 * R-PRA-4, R-SUB-1: when any request is refused because the person holds no licence that lets them
 * work (402 subscription_required: never had one, their trial or subscription ended, or a colleague's
 * subscription they were on ended), the page it came from is replaced by home's subscription-required
 * notice, with the way to a subscription. Moving to another page dismisses it.
 */
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { onSubscriptionRequired, type ApiError } from '../app/api.ts';
import { useSession } from '../sessions/session.tsx';
import type { OwnerContact } from './types.ts';
import { WORKSPACE_QUERY_KEY } from './workspace.ts';

export interface SubscriptionRequiredState {
  /** The server's own sentence: why there is no licence, and what to do. */
  message: string;
  /** Whom to ask, when the licence came from a colleague's subscription. */
  contact: OwnerContact | null;
  /** The path of the page whose request was refused. */
  path: string;
}

interface ContextValue {
  notice: SubscriptionRequiredState | null;
  clear: () => void;
}

const SubscriptionRequiredContext = createContext<ContextValue>({ notice: null, clear: () => undefined });

export function subscriptionRequiredFrom(error: Pick<ApiError, 'message' | 'details'>, path: string): SubscriptionRequiredState {
  const details = (error.details && typeof error.details === 'object' ? error.details : {}) as { contact?: unknown };
  const contact = details.contact as Partial<OwnerContact> | null | undefined;
  return {
    message: error.message,
    contact: contact && typeof contact.name === 'string' && typeof contact.email === 'string' ? { name: contact.name, email: contact.email } : null,
    path,
  };
}

export function SubscriptionRequiredProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const { account } = useSession();
  const [notice, setNotice] = useState<SubscriptionRequiredState | null>(null);

  useEffect(() => {
    onSubscriptionRequired((error) => {
      setNotice(subscriptionRequiredFrom(error, window.location.pathname));
      // The licence standing changed since the workspace was read: home and the navigation follow.
      void queryClient.invalidateQueries({ queryKey: WORKSPACE_QUERY_KEY });
    });
    return () => onSubscriptionRequired(null);
  }, [queryClient]);

  // A different person (or nobody) signed in: the notice was not theirs.
  const accountId = account?.id ?? null;
  const [noticeAccount, setNoticeAccount] = useState(accountId);
  if (noticeAccount !== accountId) {
    setNoticeAccount(accountId);
    setNotice(null);
  }

  const clear = useCallback(() => setNotice(null), []);
  const value = useMemo(() => ({ notice, clear }), [notice, clear]);
  return <SubscriptionRequiredContext.Provider value={value}>{children}</SubscriptionRequiredContext.Provider>;
}

export function useSubscriptionRequired(): ContextValue {
  return useContext(SubscriptionRequiredContext);
}
