/**
 * R-LIC-7: when any request is refused because the organisation has an unpaid invoice (402
 * payment_required), the page it came from is replaced by a notice naming the organisation and the
 * owner to contact, like the access-removed notice. Moving to another page dismisses it.
 */
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { onPaymentRequired } from '../app/api.ts';
import { useSession } from '../sessions/session.tsx';
import { paymentRequiredFrom, type PaymentRequiredState } from './paymentRequired.ts';
import type { Workspace } from './types.ts';
import { WORKSPACE_QUERY_KEY } from './workspace.ts';

interface ContextValue {
  notice: PaymentRequiredState | null;
  clear: () => void;
}

const PaymentRequiredContext = createContext<ContextValue>({ notice: null, clear: () => undefined });

export function PaymentRequiredProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const { account } = useSession();
  const accountId = account?.id ?? null;
  const accountRef = useRef(accountId);
  accountRef.current = accountId;
  const [notice, setNotice] = useState<PaymentRequiredState | null>(null);

  useEffect(() => {
    onPaymentRequired((error, requestPath) => {
      const workspace = queryClient.getQueryData<Workspace>([...WORKSPACE_QUERY_KEY, accountRef.current]);
      setNotice(paymentRequiredFrom(error, requestPath, window.location.pathname, workspace?.organisations));
      void queryClient.invalidateQueries({ queryKey: WORKSPACE_QUERY_KEY });
    });
    return () => onPaymentRequired(null);
  }, [queryClient]);

  // A different person (or nobody) signed in: the notice was not theirs.
  const [noticeAccount, setNoticeAccount] = useState(accountId);
  if (noticeAccount !== accountId) {
    setNoticeAccount(accountId);
    setNotice(null);
  }

  const clear = useCallback(() => setNotice(null), []);
  const value = useMemo(() => ({ notice, clear }), [notice, clear]);
  return <PaymentRequiredContext.Provider value={value}>{children}</PaymentRequiredContext.Provider>;
}

export function usePaymentRequired(): ContextValue {
  return useContext(PaymentRequiredContext);
}
