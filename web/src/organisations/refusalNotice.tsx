/**
 * A refusal that replaces the page it came from with a notice (access removed, payment required,
 * subscription required; R-PRA-4, R-LIC-7, R-SUB-1): heard from any request, dismissed by moving to
 * another page or when another person signs in. The workspace is read again at once, since the
 * refusal means the person's standing changed.
 */
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ApiError, RefusalListener } from '../app/api.ts';
import { useSession } from '../sessions/session.tsx';
import type { WorkspaceView } from '../../../src/organisations/schemas.ts';
import { WORKSPACE_QUERY_KEY } from './workspace.ts';

export interface RefusalNoticeValue<T> {
  notice: T | null;
  clear: () => void;
}

/**
 * A provider and its hook for one kind of refusal. `listen` registers with the API client; `read`
 * turns the refused request's error (and the workspace as last read, if any) into the notice.
 */
export function refusalNotice<T>(listen: (listener: RefusalListener | null) => void, read: (error: ApiError, requestPath: string, workspace: WorkspaceView | undefined) => T) {
  const Context = createContext<RefusalNoticeValue<T>>({ notice: null, clear: () => undefined });

  function Provider({ children }: { children: ReactNode }) {
    const queryClient = useQueryClient();
    const { account } = useSession();
    const accountId = account?.id ?? null;
    const accountRef = useRef(accountId);
    accountRef.current = accountId;
    const [notice, setNotice] = useState<T | null>(null);

    useEffect(() => {
      listen((error, requestPath) => {
        const workspace = queryClient.getQueryData<WorkspaceView>([...WORKSPACE_QUERY_KEY, accountRef.current]);
        setNotice(read(error, requestPath, workspace));
        void queryClient.invalidateQueries({ queryKey: WORKSPACE_QUERY_KEY });
      });
      return () => listen(null);
    }, [queryClient]);

    // A different person (or nobody) signed in: the notice was not theirs.
    const [noticeAccount, setNoticeAccount] = useState(accountId);
    if (noticeAccount !== accountId) {
      setNoticeAccount(accountId);
      setNotice(null);
    }

    const clear = useCallback(() => setNotice(null), []);
    const value = useMemo(() => ({ notice, clear }), [notice, clear]);
    return <Context.Provider value={value}>{children}</Context.Provider>;
  }

  return { Provider, useNotice: (): RefusalNoticeValue<T> => useContext(Context) };
}
