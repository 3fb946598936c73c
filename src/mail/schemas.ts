import { z } from 'zod';
import { defineContract } from '../platform/http/contract.ts';

/** A message kept in the outbox, with the links it holds, as the development mailbox shows it. */
export const mailboxMessageView = z.object({
  id: z.uuid(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string().nullable(),
  /** Extra headers the message carries (List-Unsubscribe on reminders); null when none. */
  headers: z.record(z.string(), z.string()).nullable(),
  createdAt: z.iso.datetime(),
  links: z.array(z.string()),
});
export type MailboxMessageView = z.infer<typeof mailboxMessageView>;

/** Registered only when the development mailbox is on (never in production). */
export const mailboxContracts = {
  list: defineContract({
    method: 'GET',
    path: '/api/dev/mailbox',
    access: 'public',
    tags: ['development'],
    summary: 'Mail kept in the outbox (development only)',
    query: z.strictObject({ to: z.email().max(254).optional() }),
    response: z.object({ messages: z.array(mailboxMessageView) }),
  }),
};
