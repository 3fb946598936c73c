import { sql, type ExpressionBuilder } from 'kysely';
import { accountNameOf } from '../accounts/data.ts';
import { recordAudit } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import { newId } from '../platform/crypto.ts';
import { inTransaction, type Db, type Queryable } from '../platform/db/database.ts';
import type { Database, ExerciseDefaults } from '../platform/db/schema.ts';
import { contentSourcesFor } from '../sharing/service.ts';
import type { Clock } from '../platform/clock.ts';
import { ForbiddenError, NotFoundError } from '../platform/errors.ts';
import { auditActorOf, type SignedInContext } from '../platform/http/context.ts';
import { renderIllustration } from './illustration.ts';
import type { CustomExerciseInput, ExercisesFilter, ExerciseView } from './schemas.ts';
import { STOCK_EXERCISES } from './stock.ts';
import { exerciseSearch } from './search.ts';

const STOCK_BY_SLUG = new Map(STOCK_EXERCISES.map((e) => [e.slug, e]));

/**
 * R-EXE-1: the stock library is written into the database at start-up (by slug, so ids never
 * change and edits to the texts reach every installation); safe in several processes at once.
 */
export async function syncStockExercises(db: Db, clock: Clock): Promise<void> {
  const now = clock.now();
  for (let i = 0; i < STOCK_EXERCISES.length; i += 100) {
    const batch = STOCK_EXERCISES.slice(i, i + 100);
    await db
      .insertInto('exercises')
      .values(
        batch.map((e) => ({
          id: newId(),
          slug: e.slug,
          owner_account_id: null,
          name: e.name,
          body_region: e.bodyRegion,
          equipment: [...e.equipment],
          kind: e.kind,
          description: e.description,
          steps: [...e.steps],
          defaults: JSON.stringify(e.defaults),
          image_mime: null,
          image: null,
          archived_at: null,
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.column('slug').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          body_region: eb.ref('excluded.body_region'),
          equipment: eb.ref('excluded.equipment'),
          kind: eb.ref('excluded.kind'),
          description: eb.ref('excluded.description'),
          steps: eb.ref('excluded.steps'),
          defaults: eb.ref('excluded.defaults'),
        }))
          // Only rows whose text changed are written: a start-up leaves an unchanged library alone.
          .where(sql<boolean>`(exercises.name, exercises.body_region, exercises.equipment, exercises.kind, exercises.description, exercises.steps, exercises.defaults)
            is distinct from (excluded.name, excluded.body_region, excluded.equipment, excluded.kind, excluded.description, excluded.steps, excluded.defaults)`),
      )
      .execute();
  }
}

/**
 * The exercises a practitioner may use (R-EXE-1, R-SHR-1, R-SHR-2): the stock library, their own,
 * and those shared with them read-only by a content account or their share group.
 */
export function usableExercise(accountId: string) {
  return (eb: ExpressionBuilder<Database, 'exercises'>) =>
    eb.or([eb('exercises.slug', 'is not', null), eb('exercises.owner_account_id', '=', accountId), eb('exercises.owner_account_id', 'in', contentSourcesFor(accountId))]);
}

interface ExerciseRow {
  id: string;
  slug: string | null;
  owner_account_id: string | null;
  name: string;
  body_region: string;
  equipment: string[];
  kind: string;
  description: string;
  steps: string[];
  defaults: ExerciseDefaults;
  image_mime: string | null;
  archived_at: Date | null;
}

/** "Anna Berg" → "AB": how a shared exercise names the account it comes from (R-SHR-2). */
export function initialsOf(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase())
    .slice(0, 3)
    .join('');
}

function toView(e: ExerciseRow & { owner_name?: string | null }, viewerAccountId: string): ExerciseView {
  const shared = e.owner_account_id !== null && e.owner_account_id !== viewerAccountId;
  return {
    sharedBy: shared && e.owner_name ? initialsOf(e.owner_name) : null,
    id: e.id,
    source: e.slug ? 'stock' : 'custom',
    own: e.owner_account_id === viewerAccountId,
    name: e.name,
    bodyRegion: e.body_region,
    equipment: e.equipment,
    kind: e.kind,
    description: e.description,
    steps: e.steps,
    defaults: e.defaults,
    illustrationUrl: e.slug || e.image_mime ? `/api/exercises/${e.id}/illustration` : null,
    archived: e.archived_at !== null,
  };
}

const ownerName = (eb: ExpressionBuilder<Database, 'exercises'>) => accountNameOf(eb.ref('exercises.owner_account_id')).as('owner_name');

const COLUMNS = ['id', 'slug', 'owner_account_id', 'name', 'body_region', 'equipment', 'kind', 'description', 'steps', 'defaults', 'image_mime', 'archived_at', 'created_at', 'updated_at'] as const;

/** The exercise library a practitioner sees: the stock library and their own exercises (R-EXE-1). */
export function createExerciseService({ db, clock }: Deps) {
  const visible = (accountId: string) => db.selectFrom('exercises').where(usableExercise(accountId));

  async function list(ctx: SignedInContext, q: ExercisesFilter) {
    const { actor } = ctx;
    let query = visible(actor.accountId).where('archived_at', 'is', null);
    if (q.source === 'stock') query = query.where('slug', 'is not', null);
    if (q.source === 'custom') query = query.where('slug', 'is', null);
    if (q.region) query = query.where('body_region', '=', q.region);
    if (q.kind) query = query.where('kind', '=', q.kind);
    if (q.equipment) query = query.where(sql<boolean>`${q.equipment} = any(equipment)`);
    // R-EXE-1: a search finds by name, region, equipment or text, and ranks name matches first.
    const search = q.search ? exerciseSearch(q.search) : null;
    if (search) query = query.where(search.matches);
    const [rows, total] = await Promise.all([
      query
        .select(COLUMNS)
        .select(ownerName)
        .$if(search !== null, (qb) => qb.orderBy(search!.rank))
        .orderBy(sql`lower(name)`)
        .orderBy('id')
        .limit(q.limit)
        .offset(q.offset)
        .execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { exercises: rows.map((r) => toView(r, actor.accountId)), total: Number(total.n) };
  }

  async function get(ctx: SignedInContext, exerciseId: string) {
    const { actor } = ctx;
    const e = await visible(actor.accountId).select(COLUMNS).select(ownerName).where('id', '=', exerciseId).executeTakeFirst();
    if (!e) throw new NotFoundError('exercise');
    return toView(e, actor.accountId);
  }

  async function createCustom(ctx: SignedInContext, input: CustomExerciseInput) {
    const { actor } = ctx;
    return inTransaction(db, async (tx) => {
      const now = clock.now();
      const row = await tx
        .insertInto('exercises')
        .values({
          id: newId(),
          slug: null,
          owner_account_id: actor.accountId,
          name: input.name,
          body_region: input.bodyRegion,
          equipment: input.equipment,
          kind: input.kind,
          description: input.description,
          steps: input.steps,
          defaults: JSON.stringify({ sets: 3, reps: 10, restSeconds: 30 }),
          image_mime: null,
          image: null,
          archived_at: null,
          created_at: now,
          updated_at: now,
        })
        .returning(COLUMNS)
        .executeTakeFirstOrThrow();
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'exercise.created', targetType: 'exercise', targetId: row.id });
      return toView(row, actor.accountId);
    });
  }

  /** An exercise the caller may change: 404 when they may not use it, 403 when it is not theirs (R-EXE-1). */
  async function findEditable(q: Queryable, accountId: string, exerciseId: string, forUpdate: boolean) {
    let query = q.selectFrom('exercises').select(['id', 'slug', 'owner_account_id']).where('id', '=', exerciseId).where(usableExercise(accountId));
    if (forUpdate) query = query.forUpdate();
    const e = await query.executeTakeFirst();
    if (!e) throw new NotFoundError('exercise');
    if (e.owner_account_id !== accountId) {
      throw new ForbiddenError('read_only_exercise', e.slug ? 'Stock exercises cannot be changed; create a custom exercise instead.' : 'This exercise is shared with you read-only.', { rule: 'R-EXE-1' });
    }
    return e;
  }

  /**
   * Refuses a change to an exercise before its upload is read, so that whoever may not see the
   * exercise gets "not found" whatever they send (R-PAT-2, SPEC section 12).
   */
  async function checkEditable(ctx: SignedInContext, exerciseId: string): Promise<void> {
    await findEditable(db, ctx.actor.accountId, exerciseId, false);
  }

  /** R-EXE-1: a custom exercise's image (checked and resized by the route). Only its owner changes it. */
  async function setImage(ctx: SignedInContext, exerciseId: string, image: { mimeType: 'image/png' | 'image/jpeg' | 'image/webp'; data: Buffer } | null) {
    const { actor } = ctx;
    return inTransaction(db, async (tx) => {
      const e = await findEditable(tx, actor.accountId, exerciseId, true);
      const row = await tx
        .updateTable('exercises')
        .set({ image_mime: image?.mimeType ?? null, image: image?.data ?? null, updated_at: clock.now() })
        .where('id', '=', e.id)
        .returning(COLUMNS)
        .executeTakeFirstOrThrow();
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'exercise.updated', targetType: 'exercise', targetId: e.id });
      return toView(row, actor.accountId);
    });
  }

  /**
   * The picture of an exercise: the generated drawing of a stock exercise (the same for everyone,
   * no personal data, cacheable), or a custom exercise's image for a practitioner who may use the
   * exercise. Patients receive custom images inside their programme instead.
   */
  async function illustration(exerciseId: string, viewerAccountId: string | null): Promise<{ type: string; body: string | Buffer; cacheable: boolean } | null> {
    const e = await db.selectFrom('exercises').select(['slug', 'name']).where('id', '=', exerciseId).executeTakeFirst();
    if (!e) return null;
    const stock = e.slug ? STOCK_BY_SLUG.get(e.slug) : undefined;
    if (stock) return { type: 'image/svg+xml', body: renderIllustration(stock.pose, { title: stock.name }), cacheable: true };
    if (!viewerAccountId) return null;
    const custom = await db.selectFrom('exercises').select(['image_mime', 'image']).where('id', '=', exerciseId).where(usableExercise(viewerAccountId)).executeTakeFirst();
    if (custom?.image && custom.image_mime) return { type: custom.image_mime, body: custom.image, cacheable: false };
    return null;
  }

  return { list, get, createCustom, checkEditable, setImage, illustration };
}

export type ExerciseService = ReturnType<typeof createExerciseService>;
