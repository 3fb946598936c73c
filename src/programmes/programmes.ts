import { randomInt } from 'node:crypto';
import type { Selectable } from 'kysely';
import { recordAudit } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import { queueEmail } from '../mail/outbox.ts';
import { actionMessage } from '../mail/template.ts';
import { holdActiveMemberships } from '../memberships/data.ts';
import { findVisiblePatient } from '../patients/service.ts';
import { newId } from '../platform/crypto.ts';
import { inTransaction, type Queryable, type Tx } from '../platform/db/database.ts';
import type { ProgrammesTable } from '../platform/db/schema.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import { auditActorOf, type SignedInContext } from '../platform/http/context.ts';
import { emitWebhookEvent } from '../webhooks/emit.ts';
import { checkExercises, describeItems, effectiveState, normaliseItems, programmeToday } from './items.ts';
import type { ProgrammeInput, ProgrammeView } from './schemas.ts';

export type Programme = Selectable<ProgrammesTable>;

const CODE_LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** R-PRG-2: 8 lowercase letters from a cryptographic source: 26^8 ≈ 2 × 10^11 codes. */
export function newProgrammeCode(): string {
  let code = '';
  for (let i = 0; i < 8; i += 1) code += CODE_LETTERS[randomInt(26)];
  return code;
}

/** A programme whose patient the caller may see, or 404 (R-PAT-2). */
export async function findVisibleProgramme(tx: Tx, accountId: string, programmeId: string, forUpdate = false): Promise<Programme> {
  let q = tx.selectFrom('programmes').selectAll().where('id', '=', programmeId);
  if (forUpdate) q = q.forUpdate();
  const p = await q.executeTakeFirst();
  if (!p) throw new NotFoundError('programme');
  try {
    await findVisiblePatient(tx, accountId, p.patient_id);
  } catch (err) {
    if (err instanceof NotFoundError) throw new NotFoundError('programme');
    throw err;
  }
  return p;
}

/** A patient's programmes (R-PRG-1..3): assigned with a code the patient opens them with. */
export function createAssignedProgrammes(deps: Deps) {
  const { db, clock, config, jobs } = deps;

  async function view(q: Queryable, p: Programme): Promise<ProgrammeView> {
    return {
      id: p.id,
      patientId: p.patient_id,
      title: p.title,
      state: effectiveState(p, programmeToday(deps)),
      disabledReason: p.disabled_reason,
      code: p.code,
      startDate: p.start_date,
      endDate: p.end_date,
      trackAdherence: p.track_adherence,
      trackPain: p.track_pain,
      painAlertAt: p.pain_alert_at,
      inactivityAlertDays: p.inactivity_alert_days,
      items: await describeItems(q, p.items),
      assignedAt: p.assigned_at.toISOString(),
      endedAt: p.ended_at?.toISOString() ?? null,
      updatedAt: p.updated_at.toISOString(),
    };
  }

  async function emailCode(tx: Tx, p: { code: string; title: string }, patient: { email: string | null; first_name: string }, practitionerName: string): Promise<boolean> {
    if (!patient.email) return false;
    await queueEmail(
      tx,
      clock,
      actionMessage(patient.email, `Your exercise programme from ${practitionerName}`, [
        `Hello ${patient.first_name},`,
        `${practitionerName} has prepared your exercise programme "${p.title}" on Motus.`,
        `Your programme code is ${p.code}. Open the page below and enter the code and your year of birth.`,
      ], { url: `${config.publicUrl}/programme?code=${p.code}`, label: 'Open your programme' }),
    );
    return true;
  }

  /** R-PRG-1, R-PRG-2: assigns a programme to a patient with a new code, emailed when an email is known. */
  async function assign(ctx: SignedInContext, patientId: string, input: ProgrammeInput) {
    const r = await inTransaction(db, (tx) => assignIn(tx, ctx, patientId, input));
    jobs.kick();
    return r;
  }

  /** `assign` in the caller's transaction (an idempotent request's); the caller kicks the job queue after commit. */
  async function assignIn(tx: Tx, ctx: SignedInContext, patientId: string, input: ProgrammeInput) {
    const { actor } = ctx;
    const items = normaliseItems(input.items);
    {
      // A removal of this practitioner's access that commits meanwhile either sees this programme
      // and disables it, or has already run and this practitioner no longer sees the patient (R-PRA-3).
      await holdActiveMemberships(tx, actor.accountId);
      const patient = await findVisiblePatient(tx, actor.accountId, patientId, { forUpdate: true });
      await checkExercises(tx, actor.accountId, items);
      const now = clock.now();
      const id = newId();
      let row: Programme | undefined;
      for (let attempt = 0; !row; attempt += 1) {
        const code = newProgrammeCode();
        const taken = await tx.selectFrom('programmes').select('id').where('code', '=', code).where('state', '<>', 'ended').executeTakeFirst();
        if (taken) {
          if (attempt > 5) throw new Error('could not find a free programme code');
          continue;
        }
        row = await tx
          .insertInto('programmes')
          .values({
            id,
            patient_id: patient.id,
            title: input.title,
            state: 'active',
            disabled_reason: null,
            disabled_by_membership_id: null,
            code,
            start_date: input.startDate,
            end_date: input.endDate,
            track_adherence: input.trackAdherence,
            track_pain: input.trackPain,
            pain_alert_at: input.painAlertAt,
            inactivity_alert_days: input.inactivityAlertDays,
            items: JSON.stringify(items),
            assigned_by: actor.accountId,
            assigned_at: now,
            ended_at: null,
            created_at: now,
            updated_at: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
      }
      const emailed = await emailCode(tx, row, patient, actor.name);
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'programme.assigned', targetType: 'programme', targetId: id, details: { patientId: patient.id, emailed } });
      // R-INT-4: sent after commit to the practice's endpoints and the patient's practitioner's own.
      await emitWebhookEvent(tx, clock, { type: 'programme.assigned', organisationId: patient.organisation_id, accountIds: [patient.owner_account_id], data: { programmeId: id, patientId: patient.id, assignedBy: actor.accountId } });
      return { programme: await view(tx, row), emailed };
    }
  }

  async function listForPatient(ctx: SignedInContext, patientId: string) {
    const { actor } = ctx;
    return inTransaction(db, async (tx) => {
      const patient = await findVisiblePatient(tx, actor.accountId, patientId);
      const rows = await tx.selectFrom('programmes').selectAll().where('patient_id', '=', patient.id).orderBy('created_at', 'desc').execute();
      for (const p of rows) await recordAudit(tx, clock, auditActorOf(ctx), { action: 'programme.read', targetType: 'programme', targetId: p.id, details: { patientId: patient.id } });
      return { programmes: await Promise.all(rows.map((p) => view(tx, p))) };
    });
  }

  async function get(ctx: SignedInContext, programmeId: string) {
    const { actor } = ctx;
    return inTransaction(db, async (tx) => {
      const p = await findVisibleProgramme(tx, actor.accountId, programmeId);
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'programme.read', targetType: 'programme', targetId: p.id, details: { patientId: p.patient_id } });
      return view(tx, p);
    });
  }

  async function update(ctx: SignedInContext, programmeId: string, input: ProgrammeInput) {
    const { actor } = ctx;
    const items = normaliseItems(input.items);
    return inTransaction(db, async (tx) => {
      const p = await findVisibleProgramme(tx, actor.accountId, programmeId, true);
      await checkExercises(tx, actor.accountId, items);
      const row = await tx
        .updateTable('programmes')
        .set({ title: input.title, start_date: input.startDate, end_date: input.endDate, track_adherence: input.trackAdherence, track_pain: input.trackPain, pain_alert_at: input.painAlertAt, inactivity_alert_days: input.inactivityAlertDays, items: JSON.stringify(items), updated_at: clock.now() })
        .where('id', '=', p.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'programme.updated', targetType: 'programme', targetId: p.id, details: { patientId: p.patient_id } });
      return view(tx, row);
    });
  }

  /** R-PRG-3: ended by the practitioner; the patient keeps a read-only view. */
  async function end(ctx: SignedInContext, programmeId: string) {
    const { actor } = ctx;
    return inTransaction(db, async (tx) => {
      const p = await findVisibleProgramme(tx, actor.accountId, programmeId, true);
      if (p.state === 'ended') {
        await recordAudit(tx, clock, auditActorOf(ctx), { action: 'programme.read', targetType: 'programme', targetId: p.id, details: { patientId: p.patient_id } });
        return view(tx, p);
      }
      const row = await tx.updateTable('programmes').set({ state: 'ended', disabled_reason: null, ended_at: clock.now(), updated_at: clock.now() }).where('id', '=', p.id).returningAll().executeTakeFirstOrThrow();
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'programme.ended', targetType: 'programme', targetId: p.id, details: { patientId: p.patient_id } });
      return view(tx, row);
    });
  }

  /** R-PRG-2: sends the code again (the practitioner can also read it out). */
  async function resend(ctx: SignedInContext, programmeId: string) {
    const { actor } = ctx;
    const emailed = await inTransaction(db, async (tx) => {
      const p = await findVisibleProgramme(tx, actor.accountId, programmeId);
      const patient = await findVisiblePatient(tx, actor.accountId, p.patient_id);
      if (!patient.email) throw new ValidationError([{ path: 'patient.email', code: 'required', message: 'This patient has no email address. Add one, or read the code out.' }]);
      const sent = await emailCode(tx, p, patient, actor.name);
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'programme.code_sent', targetType: 'programme', targetId: p.id, details: { patientId: p.patient_id, emailed: sent } });
      return sent;
    });
    jobs.kick();
    return { emailed };
  }

  return { assign, assignIn, listForPatient, get, update, end, resend };
}
