import { randomInt } from 'node:crypto';
import { recordAudit, recordAudits } from '../audit/record.ts';
import type { AuditActor } from '../audit/events.ts';
import type { Deps } from '../deps.ts';
import { formatLocalDate, localDateIn } from '../licences/proration.ts';
import { queueEmail } from '../mail/outbox.ts';
import { actionMessage } from '../mail/template.ts';
import type { MembershipChanged, MembershipEvents } from '../memberships/events.ts';
import { initialsOf, usableExercise } from '../exercises/service.ts';
import { contentSourcesFor } from '../sharing/service.ts';
import { findVisiblePatient } from '../patients/service.ts';
import { newId } from '../platform/crypto.ts';
import { inTransaction, type Queryable, type Tx } from '../platform/db/database.ts';
import type { Selectable } from 'kysely';
import { addressKey } from '../platform/throttle.ts';
import type { ProgrammeItem, ProgrammesTable } from '../platform/db/schema.ts';

type Programme = Selectable<ProgrammesTable>;
import { ConflictError, NotFoundError, RateLimitedError, ValidationError } from '../platform/errors.ts';
import { auditActorOf, requireActor, requireOrg, type RequestContext } from '../platform/http/context.ts';
import { licenceStanding } from '../subscriptions/standing.ts';
import type { ProgrammeInput, ProgrammeItemInput, TemplateInput } from './schemas.ts';

const CODE_LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** R-PRG-2: wrong code / year-of-birth attempts allowed per address and window. */
export const CODE_GUESS_LIMIT = 20;
export const CODE_GUESS_WINDOW_SECONDS = 15 * 60;
/** Wrong years of birth for one existing code, from all addresses together, per window. */
export const CODE_YEAR_GUESS_LIMIT = 10;

/** R-PRG-2: 8 lowercase letters from a cryptographic source: 26^8 ≈ 2 × 10^11 codes. */
export function newProgrammeCode(): string {
  let code = '';
  for (let i = 0; i < 8; i += 1) code += CODE_LETTERS[randomInt(26)];
  return code;
}

export type EffectiveState = 'active' | 'disabled' | 'ended';

/** R-PRG-3: a programme past its end date reads as ended from the day after. */
export function effectiveState(p: Pick<ProgrammesTable, 'state' | 'end_date'>, today: string): EffectiveState {
  if (p.state === 'active' && p.end_date !== null && p.end_date < today) return 'ended';
  return p.state;
}

function normaliseItems(items: ProgrammeItemInput[]): ProgrammeItem[] {
  return items.map((i) => ({
    exerciseId: i.exerciseId,
    sets: i.sets,
    reps: i.reps,
    durationSeconds: i.durationSeconds,
    holdSeconds: i.holdSeconds,
    restSeconds: i.restSeconds,
    timesPerDay: i.timesPerDay,
    daysPerWeek: i.daysPerWeek,
    weekdays: i.weekdays ? [...i.weekdays].sort((a, b) => a - b) : null,
    instructions: i.instructions,
  }));
}

/**
 * Programmes (R-PRG-1..3): assigned to a patient with a code the patient opens them with, templates
 * in the practitioner's library, and the states the console's rules set (R-PRA-3, R-PRA-5).
 */
export function createProgrammeService(deps: Deps, events: MembershipEvents) {
  const { db, clock, config, throttle, jobs } = deps;
  const today = () => formatLocalDate(localDateIn(clock.now(), config.billing.timeZone));

  /** Every exercise must be one the practitioner may use: stock, or their own custom ones. */
  async function checkExercises(q: Queryable, accountId: string, items: ProgrammeItem[]) {
    const ids = [...new Set(items.map((i) => i.exerciseId))];
    const found = await q
      .selectFrom('exercises')
      .select('id')
      .where('id', 'in', ids)
      .where(usableExercise(accountId))
      .execute();
    const known = new Set(found.map((f) => f.id));
    const missing = items.findIndex((i) => !known.has(i.exerciseId));
    if (missing >= 0) throw ValidationError.field(`body.items.${missing}.exerciseId`, 'unknown_exercise', 'This exercise is not in your library.');
  }

  /**
   * The items with their exercises. For the patient's page (`forPatient`) a custom exercise's image
   * travels inside the answer, as the patient has no session to fetch it with.
   */
  async function describeItems(q: Queryable, items: ProgrammeItem[], forPatient = false, onlyUsableBy?: string) {
    if (items.length === 0) return [];
    const rows = await q
      .selectFrom('exercises')
      .select(['id', 'slug', 'name', 'body_region', 'equipment', 'description', 'steps', 'image_mime'])
      .$if(forPatient, (qb) => qb.select('image'))
      .where('id', 'in', [...new Set(items.map((i) => i.exerciseId))])
      .$if(onlyUsableBy !== undefined, (qb) => qb.where(usableExercise(onlyUsableBy!)))
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const pictureOf = (e: (typeof rows)[number]) => {
      if (e.slug) return `/api/exercises/${e.id}/illustration`;
      if (!e.image_mime) return null;
      if (!forPatient) return `/api/exercises/${e.id}/illustration`;
      const image = (e as { image?: Buffer | null }).image;
      return image ? `data:${e.image_mime};base64,${image.toString('base64')}` : null;
    };
    return items.map((i) => {
      const e = byId.get(i.exerciseId);
      return {
        ...i,
        exercise: e ? { id: e.id, name: e.name, bodyRegion: e.body_region, equipment: e.equipment, description: e.description, steps: e.steps, illustrationUrl: pictureOf(e) } : null,
      };
    });
  }

  async function view(q: Queryable, p: Programme) {
    return {
      id: p.id,
      patientId: p.patient_id,
      title: p.title,
      state: effectiveState(p, today()),
      disabledReason: p.disabled_reason,
      code: p.code,
      startDate: p.start_date,
      endDate: p.end_date,
      trackAdherence: p.track_adherence,
      trackPain: p.track_pain,
      items: await describeItems(q, p.items),
      assignedAt: p.assigned_at.toISOString(),
      endedAt: p.ended_at?.toISOString() ?? null,
      updatedAt: p.updated_at.toISOString(),
    };
  }

  /** A programme whose patient the caller may see, or 404. */
  async function findVisible(tx: Tx, accountId: string, programmeId: string, forUpdate = false) {
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
  async function assign(ctx: RequestContext, patientId: string, input: ProgrammeInput) {
    const actor = requireActor(ctx);
    const items = normaliseItems(input.items);
    const r = await inTransaction(db, async (tx) => {
      // A removal of this practitioner's access that commits meanwhile either sees this programme
      // and disables it, or has already run and this practitioner no longer sees the patient (R-PRA-3).
      await tx.selectFrom('memberships').select('id').where('account_id', '=', actor.accountId).where('state', '=', 'active').forShare().execute();
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
      return { programme: await view(tx, row), emailed };
    });
    jobs.kick();
    return r;
  }

  async function listForPatient(ctx: RequestContext, patientId: string) {
    const actor = requireActor(ctx);
    return inTransaction(db, async (tx) => {
      const patient = await findVisiblePatient(tx, actor.accountId, patientId);
      const rows = await tx.selectFrom('programmes').selectAll().where('patient_id', '=', patient.id).orderBy('created_at', 'desc').execute();
      for (const p of rows) await recordAudit(tx, clock, auditActorOf(ctx), { action: 'programme.read', targetType: 'programme', targetId: p.id, details: { patientId: patient.id } });
      return { programmes: await Promise.all(rows.map((p) => view(tx, p))) };
    });
  }

  async function get(ctx: RequestContext, programmeId: string) {
    const actor = requireActor(ctx);
    return inTransaction(db, async (tx) => {
      const p = await findVisible(tx, actor.accountId, programmeId);
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'programme.read', targetType: 'programme', targetId: p.id, details: { patientId: p.patient_id } });
      return view(tx, p);
    });
  }

  async function update(ctx: RequestContext, programmeId: string, input: ProgrammeInput) {
    const actor = requireActor(ctx);
    const items = normaliseItems(input.items);
    return inTransaction(db, async (tx) => {
      const p = await findVisible(tx, actor.accountId, programmeId, true);
      await checkExercises(tx, actor.accountId, items);
      const row = await tx
        .updateTable('programmes')
        .set({ title: input.title, start_date: input.startDate, end_date: input.endDate, track_adherence: input.trackAdherence, track_pain: input.trackPain, items: JSON.stringify(items), updated_at: clock.now() })
        .where('id', '=', p.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'programme.updated', targetType: 'programme', targetId: p.id, details: { patientId: p.patient_id } });
      return view(tx, row);
    });
  }

  /** R-PRG-3: ended by the practitioner; the patient keeps a read-only view. */
  async function end(ctx: RequestContext, programmeId: string) {
    const actor = requireActor(ctx);
    return inTransaction(db, async (tx) => {
      const p = await findVisible(tx, actor.accountId, programmeId, true);
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
  async function resend(ctx: RequestContext, programmeId: string) {
    const actor = requireActor(ctx);
    const emailed = await inTransaction(db, async (tx) => {
      const p = await findVisible(tx, actor.accountId, programmeId);
      const patient = await findVisiblePatient(tx, actor.accountId, p.patient_id);
      if (!patient.email) throw new ValidationError([{ path: 'patient.email', code: 'required', message: 'This patient has no email address. Add one, or read the code out.' }]);
      const sent = await emailCode(tx, p, patient, actor.name);
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'programme.code_sent', targetType: 'programme', targetId: p.id, details: { patientId: p.patient_id, emailed: sent } });
      return sent;
    });
    jobs.kick();
    return { emailed };
  }

  // Templates (R-PRG-1): the practitioner's library.

  /**
   * A template as `viewerId` sees it: an exercise they may not use (a custom exercise another
   * practitioner received from the content account, say) shows as unavailable, so that what was
   * received through sharing is not passed on through a template (R-SHR-1).
   */
  async function templateView(q: Queryable, t: { id: string; title: string; track_adherence: boolean; track_pain: boolean; items: ProgrammeItem[]; created_at: Date; updated_at: Date }, viewerId: string) {
    return { id: t.id, title: t.title, trackAdherence: t.track_adherence, trackPain: t.track_pain, items: await describeItems(q, t.items, false, viewerId), createdAt: t.created_at.toISOString(), updatedAt: t.updated_at.toISOString() };
  }

  async function insertTemplate(tx: Tx, ctx: RequestContext, input: TemplateInput, items: ProgrammeItem[], fromProgrammeId?: string) {
    const actor = requireActor(ctx);
    const now = clock.now();
    const row = await tx
      .insertInto('programme_templates')
      .values({ id: newId(), owner_account_id: actor.accountId, title: input.title, track_adherence: input.trackAdherence, track_pain: input.trackPain, items: JSON.stringify(items), created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(tx, clock, auditActorOf(ctx), { action: 'template.created', targetType: 'template', targetId: row.id, ...(fromProgrammeId ? { details: { fromProgrammeId } } : {}) });
    return templateView(tx, row, actor.accountId);
  }

  async function createTemplate(ctx: RequestContext, input: TemplateInput) {
    const actor = requireActor(ctx);
    const items = normaliseItems(input.items);
    return inTransaction(db, async (tx) => {
      await checkExercises(tx, actor.accountId, items);
      return insertTemplate(tx, ctx, input, items);
    });
  }

  /** R-PRG-1: a patient's programme copied to the library, without anything about the patient. */
  async function copyToLibrary(ctx: RequestContext, programmeId: string) {
    const actor = requireActor(ctx);
    return inTransaction(db, async (tx) => {
      const p = await findVisible(tx, actor.accountId, programmeId);
      // A colleague the patient is shared with copies only exercises of their own library: the
      // owner's custom exercises stay the owner's (R-SHR-1).
      const usable = new Set((await tx.selectFrom('exercises').select('id').where('id', 'in', p.items.map((i) => i.exerciseId)).where(usableExercise(actor.accountId)).execute()).map((e) => e.id));
      const items = p.items.filter((i) => usable.has(i.exerciseId));
      if (items.length === 0) throw new ConflictError('nothing_to_copy', 'None of these exercises is in your library, so there is nothing to copy.', { rule: 'R-PRG-1' });
      return insertTemplate(tx, ctx, { title: p.title, trackAdherence: p.track_adherence, trackPain: p.track_pain, items: [] }, items, p.id);
    });
  }

  /** The practitioner's templates, and those shared with them read-only (R-SHR-1, R-SHR-2) with the sharer's initials. */
  async function templates(ctx: RequestContext) {
    const actor = requireActor(ctx);
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

  async function deleteTemplate(ctx: RequestContext, templateId: string) {
    const actor = requireActor(ctx);
    await inTransaction(db, async (tx) => {
      const gone = await tx.deleteFrom('programme_templates').where('id', '=', templateId).where('owner_account_id', '=', actor.accountId).executeTakeFirst();
      if (Number(gone.numDeletedRows) === 0) throw new NotFoundError('template');
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'template.deleted', targetType: 'template', targetId: templateId });
    });
  }

  /**
   * The patient's programme page (R-PRG-2, R-PRG-3): the code and the year of birth open it. Wrong
   * attempts are counted per address; once CODE_GUESS_LIMIT are used, even a right answer waits
   * for the window to pass. A disabled or ended programme, or one whose practitioner cannot work now
   * (access removed, subscription lapsed, payment required), opens read-only with a notice.
   */
  async function openAsPatient(ctx: RequestContext, input: { code: string; yearOfBirth: number }) {
    const key = `programme-code:${addressKey(ctx.ip)}`;
    const patientActor: AuditActor = { accountId: null, sessionId: null, organisationId: null, ip: ctx.ip, userAgent: ctx.userAgent, requestId: ctx.requestId };
    // Every attempt takes a slot first, in one statement, so that parallel guesses cannot all slip
    // under the limit; a right answer gives its slot back, so only wrong ones count.
    const used = await throttle.hit(key, CODE_GUESS_WINDOW_SECONDS);
    if (used.count > CODE_GUESS_LIMIT) {
      await inTransaction(db, (tx) => recordAudit(tx, clock, patientActor, { action: 'programme.code_guess_refused', details: { reason: 'throttled' } }, 'denied'));
      throw new RateLimitedError(used.retryAfterSeconds);
    }
    const found = await db
      .selectFrom('programmes as p')
      .innerJoin('patients as pt', 'pt.id', 'p.patient_id')
      .innerJoin('accounts as a', 'a.id', 'pt.owner_account_id')
      .selectAll('p')
      .select(['pt.year_of_birth', 'pt.first_name', 'pt.owner_account_id', 'pt.organisation_id', 'a.name as practitioner_name', 'a.practice'])
      .where('p.code', '=', input.code)
      .orderBy((eb) => eb.case().when('p.state', '<>', 'ended').then(0).else(1).end())
      .orderBy('p.assigned_at', 'desc')
      .executeTakeFirst();
    // A known code's year of birth has about a hundred values: guesses at it are counted per code as
    // well, from every address together, so that many addresses cannot share the search.
    const codeKey = found ? `programme-year:${found.code}` : null;
    if (codeKey) {
      const perCode = await throttle.hit(codeKey, CODE_GUESS_WINDOW_SECONDS);
      if (perCode.count > CODE_YEAR_GUESS_LIMIT) {
        await inTransaction(db, (tx) => recordAudit(tx, clock, patientActor, { action: 'programme.code_guess_refused', details: { reason: 'throttled' } }, 'denied'));
        throw new RateLimitedError(perCode.retryAfterSeconds);
      }
    }
    if (!found || found.year_of_birth !== input.yearOfBirth) {
      await inTransaction(db, (tx) => recordAudit(tx, clock, patientActor, { action: 'programme.code_guess_refused', details: { reason: 'wrong' } }, 'failure'));
      throw new NotFoundError('programme with this code and year of birth');
    }
    await throttle.giveBack(key);
    if (codeKey) await throttle.giveBack(codeKey);
    const state = effectiveState(found, today());
    const standing = await licenceStanding(db, found.owner_account_id, clock.now());
    // Read-only while the practitioner cannot work, or while payment is required in the practice
    // the patient is treated in, even if the practitioner works elsewhere (R-PRG-3, R-LIC-7).
    const unpaidPractice = standing.sources.some((s) => s.organisationId === found.organisation_id && s.blocked === 'payment_required');
    const readOnly = state !== 'active' || !standing.canWork || unpaidPractice;
    const practice = found.practice as Record<string, string | undefined>;
    const notice = readOnly
      ? state === 'ended'
        ? 'This programme has ended. Contact your practice if you need a new one.'
        : 'This programme is paused and can only be read. Contact your practice for help.'
      : null;
    await inTransaction(db, (tx) => recordAudit(tx, clock, patientActor, { action: 'programme.opened_by_patient', targetType: 'programme', targetId: found.id, details: { patientId: found.patient_id, readOnly } }));
    return {
      programme: {
        title: found.title,
        patientFirstName: found.first_name,
        practitioner: { name: found.practitioner_name, practice: practice.name ?? null, phone: practice.phone ?? null },
        startDate: found.start_date,
        endDate: found.end_date,
        state,
        readOnly,
        notice,
        trackAdherence: found.track_adherence && !readOnly,
        trackPain: found.track_pain && !readOnly,
        items: (await describeItems(db, found.items, true)).map(({ exerciseId: _id, exercise, ...rest }) => {
          if (!exercise) return { ...rest, exercise: null };
          const { id: _exerciseId, ...shown } = exercise;
          return { ...rest, exercise: shown };
        }),
      },
    };
  }

  /**
   * R-PRA-3 and R-PRA-5: removing practitioner access disables the practitioner's active programmes
   * of patients treated in that organisation (those transferred away first are no longer theirs, and
   * those of another practice are not its business); granting access again with re-activation
   * brings back exactly the programmes that removal disabled.
   */
  async function onMembershipChanged(tx: Tx, e: MembershipChanged) {
    // Turning practitioner access off (the member stays, as an admin only) stops their work in the
    // organisation like a removal of access; turning it back on resumes what that stop disabled.
    const practitionerOff = e.from === 'active' && e.to === 'active' && e.practitioner === false;
    const practitionerOn = e.from === 'active' && e.to === 'active' && e.practitioner === true;
    const stop = (e.from === 'active' && e.to === 'access_removed') || practitionerOff;
    const resume = (e.from === 'access_removed' && e.to === 'active' && e.reactivateProgrammes) || practitionerOn;
    if (!e.accountId || (!stop && !resume)) return;
    const org = await tx.selectFrom('organisations').select('kind').where('id', '=', e.organisationId).executeTakeFirstOrThrow();
    if (org.kind !== 'organisation') return;
    const actor = e.audit;
    if (stop) {
      const disabled = await tx
        .updateTable('programmes')
        .set({ state: 'disabled', disabled_reason: 'access_removed', disabled_by_membership_id: e.membershipId, updated_at: clock.now() })
        .where('state', '=', 'active')
        .where('patient_id', 'in', (eb) => eb.selectFrom('patients').select('id').where('owner_account_id', '=', e.accountId!).where('organisation_id', '=', e.organisationId))
        .returning(['id', 'patient_id'])
        .execute();
      await recordAudits(tx, clock, disabled.map((p) => ({ actor, event: { action: 'programme.disabled', targetType: 'programme', targetId: p.id, details: { patientId: p.patient_id, membershipId: e.membershipId } } })));
    }
    if (resume) {
      const back = await tx
        .updateTable('programmes')
        .set({ state: 'active', disabled_reason: null, disabled_by_membership_id: null, updated_at: clock.now() })
        .where('state', '=', 'disabled')
        .where('disabled_by_membership_id', '=', e.membershipId)
        .where('patient_id', 'in', (eb) => eb.selectFrom('patients').select('id').where('owner_account_id', '=', e.accountId!).where('organisation_id', '=', e.organisationId))
        .returning(['id', 'patient_id'])
        .execute();
      await recordAudits(tx, clock, back.map((p) => ({ actor, event: { action: 'programme.reactivated', targetType: 'programme', targetId: p.id, details: { patientId: p.patient_id, membershipId: e.membershipId } } })));
    }
  }
  events.subscribe(onMembershipChanged);

  /** The console's counts for a member (R-PAT-2: counts, never clinical details). */
  async function countsForMember(ctx: RequestContext, membershipId: string) {
    const orgCtx = requireOrg(ctx);
    const m = await db.selectFrom('memberships').select(['id', 'account_id']).where('organisation_id', '=', orgCtx.organisationId).where('id', '=', membershipId).executeTakeFirst();
    if (!m) throw new NotFoundError('member');
    if (!m.account_id) return { activeProgrammes: 0, disabledByRemoval: 0, patients: 0 };
    const owned = db.selectFrom('patients').select('id').where('owner_account_id', '=', m.account_id).where('organisation_id', '=', orgCtx.organisationId);
    const [active, disabled, patients] = await Promise.all([
      db.selectFrom('programmes').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'active').where('patient_id', 'in', owned).executeTakeFirstOrThrow(),
      db.selectFrom('programmes').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'disabled').where('disabled_by_membership_id', '=', m.id).where('patient_id', 'in', owned).executeTakeFirstOrThrow(),
      db.selectFrom('patients').select((eb) => eb.fn.countAll<number>().as('n')).where('owner_account_id', '=', m.account_id).where('organisation_id', '=', orgCtx.organisationId).executeTakeFirstOrThrow(),
    ]);
    return { activeProgrammes: Number(active.n), disabledByRemoval: Number(disabled.n), patients: Number(patients.n) };
  }

  return { assign, listForPatient, get, update, end, resend, createTemplate, copyToLibrary, templates, deleteTemplate, openAsPatient, countsForMember };
}

export type ProgrammeService = ReturnType<typeof createProgrammeService>;
