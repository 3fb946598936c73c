import { useQuery } from '@tanstack/react-query';
import { mailboxContracts, type MailboxMessageView } from '../../../src/mail/schemas.ts';
import { call, isApiError } from '../app/api.ts';

export const MAILBOX_QUERY_KEY = ['dev', 'mailbox'] as const;

/** The messages of the development mailbox, or null when the server has it turned off (404). */
export async function fetchMailbox(): Promise<MailboxMessageView[] | null> {
  try {
    const answer = await call(mailboxContracts.list, {}, { reportSessionEnd: false });
    return answer.messages;
  } catch (error) {
    if (isApiError(error) && error.status === 404) return null;
    throw error;
  }
}

/** Whether this installation has a development mailbox (asked once per page load). */
export function useMailboxAvailable(): boolean {
  const query = useQuery({
    queryKey: [...MAILBOX_QUERY_KEY, 'available'],
    queryFn: async () => (await fetchMailbox()) !== null,
    staleTime: Infinity,
    retry: false,
  });
  return query.data === true;
}
