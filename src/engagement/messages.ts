import { accountName } from '../accounts/data.ts';
import type { Queryable } from '../platform/db/database.ts';
import type { MessageRow } from './data.ts';
import type { MessageView } from './schemas.ts';

/** Messages as either side reads them, each practice message with its writer's name (R-ENG-5). */
export async function toMessageViews(q: Queryable, rows: MessageRow[]): Promise<MessageView[]> {
  const writers = [...new Set(rows.map((r) => r.author_account_id).filter((id): id is string => id !== null))];
  const names = new Map(await Promise.all(writers.map(async (id) => [id, await accountName(q, id)] as const)));
  return rows.map((r) => ({
    id: r.id,
    clientId: r.client_id,
    author: r.author,
    authorName: r.author_account_id ? (names.get(r.author_account_id) ?? null) : null,
    text: r.body,
    sentAt: r.created_at.toISOString(),
    read: r.read_at !== null,
  }));
}
