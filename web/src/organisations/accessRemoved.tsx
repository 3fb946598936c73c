/**
 * R-PRA-4, R-SES-6: when any request is refused because an organisation removed the person's access
 * (403 access_removed), the page they were on is replaced by a notice saying so and whom to contact.
 * The notice belongs to that page: moving elsewhere dismisses it.
 */
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { onAccessRemoved, type ApiError } from '../app/api.ts';
import { useSession } from '../sessions/session.tsx';
import type { AccessRemovedDetails } from './types.ts';
import { WORKSPACE_QUERY_KEY } from './workspace.ts';

export interface AccessRemovedState {
  organisation: string | null;
  contact: { name: string; email: string } | null;
  message: string;
  /** The path of the page whose request was refused. */
  path: string;
}

interface ContextValue {
  notice: AccessRemovedState | null;
  clear: () => void;
}

const AccessRemovedContext = createContext<ContextValue>({ notice: null, clear: () => undefined });

export function accessRemovedFrom(error: ApiError, path: string): AccessRemovedState {
  const details = (error.details && typeof error.details === 'object' ? error.details : {}) as AccessRemovedDetails;
  const contact =
    details.contact && typeof details.contact.name === 'string' && typeof details.contact.email === 'string'
      ? { name: details.contact.name, email: details.contact.email }
      : null;
  return {
    organisation: typeof details.organisation === 'string' ? details.organisation : null,
    contact,
    message: error.message,
    path,
  };
}

export function AccessRemovedProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const { account } = useSession();
  const [notice, setNotice] = useState<AccessRemovedState | null>(null);

  useEffect(() => {
    onAccessRemoved((error) => {
      setNotice(accessRemovedFrom(error, window.location.pathname));
      void queryClient.invalidateQueries({ queryKey: WORKSPACE_QUERY_KEY });
    });
    return () => onAccessRemoved(null);
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
  return <AccessRemovedContext.Provider value={value}>{children}</AccessRemovedContext.Provider>;
}

export function useAccessRemoved(): ContextValue {
  return useContext(AccessRemovedContext);
}
