/**
 * Who is signed in, for the whole app. The session comes from GET /api/session and is replaced by
 * the answers of sign-in, sign-up and password change. When any request is refused because the
 * session is over (replaced, expired or ended), the reason is remembered here so the next screen
 * can explain it.
 */
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AccountView, SessionView, SignedInView } from '../../../src/accounts/schemas.ts';
import { sessionContracts } from '../../../src/sessions/schemas.ts';
import { call, currentCsrfToken, isApiError, onSessionEnd, setCsrfToken, type ApiError } from '../app/api.ts';
import { clearLocalDrafts, pushPendingDrafts } from '../drafts/draftStore.ts';
import type { SessionEnd } from './notices.ts';

export const SESSION_QUERY_KEY = ['session'] as const;
const SESSION_END_STORAGE_KEY = 'motus.sessionEnd';

export type SessionStatus = 'loading' | 'error' | 'signed-in' | 'signed-out';

interface SessionContextValue {
  status: SessionStatus;
  account: AccountView | null;
  session: SessionView | null;
  /** Why the last session ended, until the person signs in again. */
  sessionEnd: SessionEnd | null;
  /** Store the answer of sign-in, sign-up or a password change. */
  signedIn: (answer: SignedInView) => void;
  updateAccount: (account: AccountView) => void;
  signOut: () => Promise<void>;
  clearSessionEnd: () => void;
  retry: () => void;
  /**
   * Where a deliberate exit from the signed-in pages is heading (signing out, "Go to sign in"). The
   * guard of the signed-in pages sends a signed-out person there rather than to a plain sign-in.
   */
  exitTo: string | null;
  /** Announce such an exit before ending the session or clearing its notice. */
  leaveTo: (path: string) => void;
  clearExit: () => void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

async function fetchSession(): Promise<SignedInView | null> {
  try {
    const answer = await call(sessionContracts.current);
    setCsrfToken(answer.session.csrfToken);
    return answer;
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

function readStoredEnd(): SessionEnd | null {
  try {
    const raw = window.sessionStorage.getItem(SESSION_END_STORAGE_KEY);
    return raw ? (JSON.parse(raw) as SessionEnd) : null;
  } catch {
    return null;
  }
}

function storeEnd(end: SessionEnd | null): void {
  try {
    if (end) window.sessionStorage.setItem(SESSION_END_STORAGE_KEY, JSON.stringify(end));
    else window.sessionStorage.removeItem(SESSION_END_STORAGE_KEY);
  } catch {
    // Storage unavailable: the in-memory copy still drives this page.
  }
}

/** Drops cached data that belongs to the account that was signed in. */
function forgetAccountData(queryClient: QueryClient): void {
  queryClient.removeQueries({
    predicate: (query) => query.queryKey[0] !== SESSION_QUERY_KEY[0] && query.queryKey[0] !== 'dev',
  });
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [sessionEnd, setSessionEnd] = useState<SessionEnd | null>(readStoredEnd);
  const [exitTo, setExitTo] = useState<string | null>(null);

  const query = useQuery({
    queryKey: SESSION_QUERY_KEY,
    queryFn: fetchSession,
    staleTime: 60_000,
    // Coming back to the tab asks the server again, so a replaced session is explained at once.
    refetchOnWindowFocus: true,
  });

  useEffect(() => {
    onSessionEnd((error: ApiError) => {
      const code = error.code as SessionEnd['code'];
      // Taken now: the token is forgotten below, before the state update runs.
      const csrfToken = currentCsrfToken();
      setSessionEnd((previous) => {
        if (previous && previous.code === code && (previous.csrfToken || !csrfToken)) return previous;
        const end: SessionEnd = {
          code,
          details: error.details ?? null,
          path: window.location.pathname + window.location.search,
          at: new Date().toISOString(),
          csrfToken,
        };
        storeEnd(end);
        return end;
      });
      setCsrfToken(null);
      queryClient.setQueryData(SESSION_QUERY_KEY, null);
      forgetAccountData(queryClient);
    });
    return () => onSessionEnd(null);
  }, [queryClient]);

  const data = query.data ?? null;

  const clearSessionEnd = useCallback(() => {
    storeEnd(null);
    setSessionEnd(null);
  }, []);

  const signedIn = useCallback(
    (answer: SignedInView) => {
      const previous = queryClient.getQueryData<SignedInView | null>(SESSION_QUERY_KEY);
      if (previous?.account.id !== answer.account.id) forgetAccountData(queryClient);
      setCsrfToken(answer.session.csrfToken);
      queryClient.setQueryData(SESSION_QUERY_KEY, answer);
      storeEnd(null);
      setSessionEnd(null);
      setExitTo(null);
      // Work typed just before a refused request is sent to the server now, then offered back.
      void pushPendingDrafts(answer.account.id);
    },
    [queryClient],
  );

  const updateAccount = useCallback(
    (account: AccountView) => {
      queryClient.setQueryData<SignedInView | null>(SESSION_QUERY_KEY, (old) => (old ? { ...old, account } : old));
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    const accountId = queryClient.getQueryData<SignedInView | null>(SESSION_QUERY_KEY)?.account.id;
    if (accountId) await pushPendingDrafts(accountId);
    try {
      await call(sessionContracts.signOut, {}, { reportSessionEnd: false });
    } catch {
      // Signed out locally either way; the server session ends when it expires.
    }
    if (accountId) clearLocalDrafts(accountId);
    setCsrfToken(null);
    queryClient.setQueryData(SESSION_QUERY_KEY, null);
    forgetAccountData(queryClient);
    storeEnd(null);
    setSessionEnd(null);
  }, [queryClient]);

  const retry = useCallback(() => {
    void query.refetch();
  }, [query]);

  const leaveTo = useCallback((path: string) => setExitTo(path), []);
  const clearExit = useCallback(() => setExitTo(null), []);

  const status: SessionStatus = query.isPending
    ? 'loading'
    : data
      ? 'signed-in'
      : query.isError && query.data === undefined
        ? 'error'
        : 'signed-out';

  const value = useMemo<SessionContextValue>(
    () => ({
      status,
      account: data?.account ?? null,
      session: data?.session ?? null,
      sessionEnd,
      signedIn,
      updateAccount,
      signOut,
      clearSessionEnd,
      retry,
      exitTo,
      leaveTo,
      clearExit,
    }),
    [status, data, sessionEnd, signedIn, updateAccount, signOut, clearSessionEnd, retry, exitTo, leaveTo, clearExit],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}

/** The signed-in account; only for pages behind <RequireAuth>. */
export function useAccount(): AccountView {
  const { account } = useSession();
  if (!account) throw new Error('useAccount used on a page that does not require sign-in');
  return account;
}
