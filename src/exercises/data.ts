import type { Queryable, Tx } from '../platform/db/database.ts';
import { usableExercise } from './service.ts';

/** Of `ids`, those the account may use: stock, their own, or shared with them (R-EXE-1, R-SHR-1). */
export function usableExerciseIds(q: Queryable, accountId: string, ids: string[]): Promise<Array<{ id: string }>> {
  return q.selectFrom('exercises').select('id').where('id', 'in', ids).where(usableExercise(accountId)).execute();
}

/**
 * The exercises of programme items, as the items show them. `withImage` adds a custom exercise's
 * image itself; with `onlyUsableBy`, exercises that account may not use are left out.
 */
export function exercisesForItems(q: Queryable, ids: string[], withImage: boolean, onlyUsableBy: string | undefined) {
  return q
    .selectFrom('exercises')
    .select(['id', 'slug', 'name', 'body_region', 'equipment', 'description', 'steps', 'image_mime'])
    .$if(withImage, (qb) => qb.select('image'))
    .where('id', 'in', ids)
    .$if(onlyUsableBy !== undefined, (qb) => qb.where(usableExercise(onlyUsableBy!)))
    .execute();
}

/** Stock exercises by slug (the demo's programme). */
export function stockExercisesBySlug(q: Queryable, slugs: string[]): Promise<Array<{ id: string; slug: string | null }>> {
  return q.selectFrom('exercises').select(['id', 'slug']).where('slug', 'in', slugs).execute();
}

/** An account's custom exercises by name, for a transfer (R-TRF-1). */
export function exercisesOwnedBy(tx: Tx, accountId: string): Promise<Array<{ id: string; name: string }>> {
  return tx.selectFrom('exercises').select(['id', 'name']).where('owner_account_id', '=', accountId).orderBy('name').execute();
}

/** R-TRF-1: gives `ids` of one account's custom exercises to another; answers how many moved. */
export async function moveExercises(tx: Tx, ids: string[], fromAccountId: string, toAccountId: string, now: Date): Promise<number> {
  const r = await tx.updateTable('exercises').set({ owner_account_id: toAccountId, updated_at: now }).where('id', 'in', ids).where('owner_account_id', '=', fromAccountId).executeTakeFirst();
  return Number(r.numUpdatedRows);
}
