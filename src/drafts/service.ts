import type { Deps } from '../deps.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { SignedInContext } from '../platform/http/context.ts';
import type { DraftView } from './schemas.ts';

/**
 * R-SES-2: drafts kept on the server per account, editor and object, so that work typed before a
 * session ended is offered back after the next sign-in. A draft belongs to the account, not the
 * session, and only its account can read it.
 */
export function createDraftService({ db, clock }: Deps) {
  async function get(ctx: SignedInContext, editor: string, key: string): Promise<DraftView> {
    const { actor } = ctx;
    const row = await db
      .selectFrom('drafts')
      .select(['editor', 'object_key', 'data', 'updated_at'])
      .where('account_id', '=', actor.accountId)
      .where('editor', '=', editor)
      .where('object_key', '=', key)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('draft');
    return { editor: row.editor, key: row.object_key, data: row.data as DraftView['data'], updatedAt: row.updated_at.toISOString() };
  }

  async function save(ctx: SignedInContext, editor: string, key: string, data: Record<string, unknown>): Promise<DraftView> {
    const { actor } = ctx;
    const now = clock.now();
    const json = JSON.stringify(data);
    await db
      .insertInto('drafts')
      .values({ account_id: actor.accountId, editor, object_key: key, data: json, created_at: now, updated_at: now })
      .onConflict((oc) => oc.columns(['account_id', 'editor', 'object_key']).doUpdateSet({ data: json, updated_at: now }))
      .execute();
    return { editor, key, data, updatedAt: now.toISOString() };
  }

  async function discard(ctx: SignedInContext, editor: string, key: string): Promise<void> {
    const { actor } = ctx;
    await db.deleteFrom('drafts').where('account_id', '=', actor.accountId).where('editor', '=', editor).where('object_key', '=', key).execute();
  }

  async function list(ctx: SignedInContext): Promise<DraftView[]> {
    const { actor } = ctx;
    const rows = await db
      .selectFrom('drafts')
      .select(['editor', 'object_key', 'data', 'updated_at'])
      .where('account_id', '=', actor.accountId)
      .orderBy('updated_at', 'desc')
      .limit(100)
      .execute();
    return rows.map((r) => ({ editor: r.editor, key: r.object_key, data: r.data as DraftView['data'], updatedAt: r.updated_at.toISOString() }));
  }

  return { get, save, discard, list };
}

export type DraftService = ReturnType<typeof createDraftService>;
