import { useQuery } from '@tanstack/react-query';
import { organisationContracts } from '../../../src/organisations/schemas.ts';
import { call } from '../app/api.ts';
import { useSession } from '../sessions/session.tsx';

export const WORKSPACE_QUERY_KEY = ['workspace'] as const;

/** The signed-in person's organisations, open invitations and ownership offers. */
export function useWorkspace() {
  const { status, account } = useSession();
  return useQuery({
    queryKey: [...WORKSPACE_QUERY_KEY, account?.id ?? null],
    queryFn: () => call(organisationContracts.workspace),
    enabled: status === 'signed-in',
    // Read again whenever a page that shows it opens (R-SES-6: a removed access or an unpaid invoice
    // shows on the person's very next step), and when they come back to the tab.
    staleTime: 0,
    refetchOnMount: 'always',
    refetchOnWindowFocus: true,
  });
}
