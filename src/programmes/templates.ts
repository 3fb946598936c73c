import { recordAudit } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import { usableExerciseIds } from '../exercises/data.ts';
import { initialsOf } from '../exercises/service.ts';
import { newId } from '../platform/crypto.ts';
import { inTransaction, type Queryable, type Tx } from '../platform/db/database.ts';
import type { ProgrammeItem } from '../platform/db/schema.ts';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import { auditActorOf, type SignedInContext } from '../platform/http/context.ts';
import { contentSourcesFor } from '../sharing/service.ts';
import { checkExercises, describeItems, normaliseItems } from './items.ts';
import { findVisibleProgramme } from './programmes.ts';
import type { LibraryTemplateView, TemplateInput, TemplateView } from './schemas.ts';

interface TemplateRow {
  id: string;
  title: string;
  track_adherence: boolean;
  track_pain: boolean;
  items: ProgrammeItem[];
  created_at: Date;
  updated_at: Date;
}

/**
 * A template as `viewerId` sees it: an exercise they may not use (a custom exercise another
 * practitioner received from the content account, say) shows as unavailable, so that what was
 * received through sharing is not passed on through a template (R-SHR-1).
 */
async function templateView(q: Queryable, t: TemplateRow, viewerId: string): Promise<TemplateView> {
  return { id: t.id, title: t.title, trackAdherence: t.track_adherence, trackPain: t.track_pain, items: await describeItems(q, t.items, false, viewerId), createdAt: t.created_at.toISOString(), updatedAt: t.updated_at.toISOString() };
}

/** A template in `accountId`'s library (their own, or one shared with them, R-SHR-2), or 404. */
export async function usableTemplate(q: Queryable, accountId: string, templateId: string): Promise<TemplateRow> {
  const t = await q
    .selectFrom('programme_templates as t')
    .select(['t.id', 't.title', 't.track_adherence', 't.track_pain', 't.items', 't.created_at', 't.updated_at'])
    .where('t.id', '=', templateId)
    .where((eb) => eb.or([eb('t.owner_account_id', '=', accountId), eb('t.owner_account_id', 'in', contentSourcesFor(accountId))]))
    .executeTakeFirst();
  if (!t) throw new NotFoundError('template');
  return t;
}

/** Templates (R-PRG-1): the practitioner's library. */
export function createTemplates({ db, clock }: Deps) {
  async function insertTemplate(tx: Tx, ctx: SignedInContext, input: Omit<TemplateInput, 'items'>, items: ProgrammeItem[], fromProgrammeId?: string) {
    const { actor } = ctx;
    const now = clock.now();
    const row = await tx
      .insertInto('programme_templates')
      .values({ id: newId(), owner_account_id: actor.accountId, title: input.title, track_adherence: input.trackAdherence, track_pain: input.trackPain, items: JSON.stringify(items), created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, clock, auditActorOf(ctx), { action: 'template.created', targetType: 'template', targetId: row.id, ...(fromProgrammeId ? { details: { fromProgrammeId } } : {}) });
    return templateView(tx, row, actor.accountId);
  }

  async function createTemplate(ctx: SignedInContext, input: TemplateInput) {
    const { actor } = ctx;
    const items = normaliseItems(input.items);
    return inTransaction(db, async (tx) => {
      await checkExercises(tx, actor.accountId, items);
      return insertTemplate(tx, ctx, input, items);
    });
  }

  /** R-PRG-1: a patient's programme copied to the library, without anything about the patient. */
  async function copyToLibrary(ctx: SignedInContext, programmeId: string) {
    const { actor } = ctx;
    return inTransaction(db, async (tx) => {
      const p = await findVisibleProgramme(tx, actor.accountId, programmeId);
      // A colleague the patient is shared with copies only exercises of their own library: the
      // owner's custom exercises stay the owner's (R-SHR-1).
      const usable = new Set((await usableExerciseIds(tx, actor.accountId, p.items.map((i) => i.exerciseId))).map((e) => e.id));
      const items = p.items.filter((i) => usable.has(i.exerciseId));
      if (items.length === 0) throw new ConflictError('nothing_to_copy', 'None of these exercises is in your library, so there is nothing to copy.', { rule: 'R-PRG-1' });
      return insertTemplate(tx, ctx, { title: p.title, trackAdherence: p.track_adherence, trackPain: p.track_pain }, items, p.id);
    });
  }

  /** The practitioner's templates, and those shared with them read-only (R-SHR-1, R-SHR-2) with the sharer's initials. */
  async function templates(ctx: SignedInContext): Promise<{ templates: LibraryTemplateView[] }> {
    const { actor } = ctx;
    const rows = await db
      .selectFrom('programme_templates as t')
      .innerJoin('accounts as a', 'a.id', 't.owner_account_id')
      .selectAll('t')
      .select('a.name as owner_name')
      .where((eb) => eb.or([eb('t.owner_account_id', '=', actor.accountId), eb('t.owner_account_id', 'in', contentSourcesFor(actor.accountId))]))
      .orderBy('t.title')
      .limit(500)
      .execute();
    return {
      templates: await Promise.all(
        rows.map(async (t) => ({ ...(await templateView(db, t, actor.accountId)), own: t.owner_account_id === actor.accountId, sharedBy: t.owner_account_id === actor.accountId ? null : initialsOf(t.owner_name) })),
      ),
    };
  }

  async function deleteTemplate(ctx: SignedInContext, templateId: string): Promise<void> {
    const { actor } = ctx;
    await inTransaction(db, async (tx) => {
      const gone = await tx.deleteFrom('programme_templates').where('id', '=', templateId).where('owner_account_id', '=', actor.accountId).executeTakeFirst();
      if (Number(gone.numDeletedRows) === 0) throw new NotFoundError('template');
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'template.deleted', targetType: 'template', targetId: templateId });
    });
  }

  return { createTemplate, copyToLibrary, templates, deleteTemplate };
}
