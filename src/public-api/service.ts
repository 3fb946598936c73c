import type { FastifyRequest } from 'fastify';
import { recordAudit } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import { threadPage } from '../engagement/data.ts';
import { toMessageViews } from '../engagement/messages.ts';
import { programmeLink } from '../engagement/handout.ts';
import { findVisiblePatient, patientChangePage, toPatientView, type PatientService } from '../patients/service.ts';
import { idempotencyKeyOf, idempotent } from '../platform/idempotency.ts';
import { inTransaction, type Tx } from '../platform/db/database.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import { auditActorOf, type ApiKeyContext } from '../platform/http/context.ts';
import { programmeToday } from '../programmes/items.ts';
import { findVisibleProgramme } from '../programmes/programmes.ts';
import type { ProgrammeService } from '../programmes/service.ts';
import { usableTemplate } from '../programmes/templates.ts';
import type { z } from 'zod';
import type { assignBody, upsertPatientBody } from './schemas.ts';

/** An opaque page cursor: base64url JSON of the last row's place. A cursor that does not parse is a 400. */
export function encodeCursor(place: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(place), 'utf8').toString('base64url');
}

export function decodeCursor<K extends string>(cursor: string | undefined, keys: Record<K, 'string' | 'number'>): Record<K, string | number> | null {
  if (cursor === undefined) return null;
  const bad = () => ValidationError.field('query.cursor', 'invalid_cursor', 'This cursor is not one Motus gave out: start again without it.');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw bad();
  const out = {} as Record<K, string | number>;
  for (const [k, type] of Object.entries(keys) as Array<[K, 'string' | 'number']>) {
    const v = (value as Record<string, unknown>)[k];
    if (typeof v !== type) throw bad();
    out[k] = v as string | number;
  }
  return out;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The public API's rules (R-INT-1): everything a key does acts as its owner through the same
 * services as the web app, so the visibility rule, the practice's standing and the audit trail are
 * the ones a session gets. A key limited to a practice sees only that practice's patients: an id
 * of another practice is 404, like one that does not exist. A patient never changes practice
 * (shares and transfers stay within it), so the check holds for the whole request.
 */
export function createPublicApi(deps: Deps, patients: PatientService, programmes: ProgrammeService) {
  const { db, clock, config, jobs } = deps;

  async function scopedPatient(tx: Tx, ctx: ApiKeyContext, patientId: string) {
    const p = await findVisiblePatient(tx, ctx.actor.accountId, patientId);
    if (ctx.apiKey.organisationId && p.organisation_id !== ctx.apiKey.organisationId) throw new NotFoundError('patient');
    return p;
  }

  async function scopedProgramme(tx: Tx, ctx: ApiKeyContext, programmeId: string) {
    const p = await findVisibleProgramme(tx, ctx.actor.accountId, programmeId);
    try {
      await scopedPatient(tx, ctx, p.patient_id);
    } catch (err) {
      if (err instanceof NotFoundError) throw new NotFoundError('programme');
      throw err;
    }
    return p;
  }

  async function listPatients(ctx: ApiKeyContext, q: { cursor?: string | undefined; limit: number; updatedSince?: string | undefined }) {
    const place = decodeCursor(q.cursor, { u: 'string', i: 'string' });
    let after: { updatedAt: string; id: string } | null = null;
    if (place) {
      const at = String(place.u);
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(at) || Number.isNaN(Date.parse(at)) || !UUID.test(String(place.i))) {
        throw ValidationError.field('query.cursor', 'invalid_cursor', 'This cursor is not one Motus gave out: start again without it.');
      }
      after = { updatedAt: at, id: String(place.i) };
    }
    return inTransaction(db, async (tx) => {
      const rows = await patientChangePage(tx, ctx.actor.accountId, {
        organisationId: ctx.apiKey.organisationId,
        updatedSince: q.updatedSince ? new Date(q.updatedSince) : null,
        after,
        limit: q.limit + 1,
      }).execute();
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      const list = page.map((r) => toPatientView(r, ctx.actor.accountId));
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'patient.listed', details: { patientIds: list.map((p) => p.id), total: list.length, searched: Boolean(q.updatedSince) } });
      return { patients: list, nextCursor: rows.length > q.limit && last ? encodeCursor({ u: last.updated_at_text, i: last.id }) : null };
    });
  }

  async function getPatient(ctx: ApiKeyContext, patientId: string) {
    return inTransaction(db, async (tx) => {
      const p = await scopedPatient(tx, ctx, patientId);
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'patient.read', targetType: 'patient', targetId: p.id });
      return { patient: toPatientView(p, ctx.actor.accountId) };
    });
  }

  async function upsertPatient(ctx: ApiKeyContext, request: FastifyRequest, pmsId: string, body: z.output<typeof upsertPatientBody>) {
    const practice = ctx.apiKey.organisationId ?? undefined;
    return idempotent(db, clock, { accountId: ctx.actor.accountId, key: idempotencyKeyOf(request), scope: `v1.patients.upsert:${practice ?? ''}:${pmsId}`, request: body }, async (tx) => {
      const r = await patients.upsertByExternalIdIn(tx, ctx, practice, pmsId, body);
      return { status: r.created ? 201 : 200, body: r };
    });
  }

  async function templates(ctx: ApiKeyContext) {
    const { templates: list } = await programmes.templates(ctx);
    return {
      templates: list.map((t) => ({
        id: t.id,
        title: t.title,
        trackAdherence: t.trackAdherence,
        trackPain: t.trackPain,
        exercises: t.items.map((i) => i.exercise?.name ?? 'Exercise not available'),
        shared: !t.own,
        updatedAt: t.updatedAt,
      })),
    };
  }

  async function assign(ctx: ApiKeyContext, request: FastifyRequest, patientId: string, body: z.output<typeof assignBody>) {
    const r = await idempotent(db, clock, { accountId: ctx.actor.accountId, key: idempotencyKeyOf(request), scope: `v1.programmes.assign:${patientId}`, request: body }, async (tx) => {
      await scopedPatient(tx, ctx, patientId);
      const t = await usableTemplate(tx, ctx.actor.accountId, body.templateId);
      const startDate = body.startDate ?? programmeToday(deps);
      if (body.endDate !== null && body.endDate < startDate) throw ValidationError.field('body.endDate', 'before_start', 'The end date cannot be before the start date.');
      const { programme, emailed } = await programmes.assignIn(tx, ctx, patientId, {
        title: body.title ?? t.title,
        startDate,
        endDate: body.endDate,
        trackAdherence: t.track_adherence,
        trackPain: t.track_pain,
        painAlertAt: 7,
        inactivityAlertDays: 3,
        items: t.items,
      });
      return {
        status: 201,
        body: {
          programme: {
            id: programme.id,
            patientId: programme.patientId,
            title: programme.title,
            state: programme.state,
            code: programme.code,
            startDate: programme.startDate,
            endDate: programme.endDate,
            patientLink: programmeLink(config.publicUrl, programme.code),
            emailed,
            assignedAt: programme.assignedAt,
          },
        },
      };
    });
    jobs.kick();
    return r;
  }

  /** Checks that the programme is the key's to read, before a service reads it again with the key's owner. */
  async function checkProgramme(ctx: ApiKeyContext, programmeId: string): Promise<void> {
    await inTransaction(db, (tx) => scopedProgramme(tx, ctx, programmeId));
  }

  async function messages(ctx: ApiKeyContext, programmeId: string, q: { cursor?: string | undefined; limit: number }) {
    const place = decodeCursor(q.cursor, { s: 'number' });
    return inTransaction(db, async (tx) => {
      const p = await scopedProgramme(tx, ctx, programmeId);
      const rows = await threadPage(tx, p.id, place ? Number(place.s) : 0, q.limit + 1);
      const page = rows.slice(0, q.limit);
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'message.thread_read', targetType: 'programme', targetId: p.id, details: { patientId: p.patient_id, by: 'practice' } });
      const last = page.at(-1);
      return { messages: await toMessageViews(tx, page), nextCursor: rows.length > q.limit && last ? encodeCursor({ s: Number(last.seq) }) : null };
    });
  }

  return { listPatients, getPatient, upsertPatient, templates, assign, checkProgramme, messages };
}
export type PublicApi = ReturnType<typeof createPublicApi>;
