import type { Db } from '../platform/db/database.ts';
import { linksIn } from './outbox.ts';
import type { MailboxMessageView } from './schemas.ts';

/** The development mailbox: mail kept in the outbox, newest first, with the links it holds. */
export function createMailboxService(db: Db) {
  async function list(to?: string): Promise<MailboxMessageView[]> {
    let q = db.selectFrom('outbox_emails').selectAll().orderBy('created_at', 'desc').limit(200);
    if (to) q = q.where('to_address', '=', to.toLowerCase());
    const rows = await q.execute();
    return rows.map((m) => ({
      id: m.id,
      to: m.to_address,
      subject: m.subject,
      text: m.text_body,
      html: m.html_body,
      headers: m.headers,
      createdAt: m.created_at.toISOString(),
      links: linksIn(m.text_body),
    }));
  }
  return { list };
}

export type MailboxService = ReturnType<typeof createMailboxService>;
