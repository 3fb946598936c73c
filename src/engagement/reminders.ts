import type { Selectable } from 'kysely';
import { accountName, accountPractice } from '../accounts/data.ts';
import { recordAudit } from '../audit/record.ts';
import type { AuditActor } from '../audit/events.ts';
import type { Deps } from '../deps.ts';
import { enqueueJob } from '../jobs/runner.ts';
import { queueEmail } from '../mail/outbox.ts';
import { actionMessage } from '../mail/template.ts';
import { patientPractice } from '../patients/data.ts';
import { randomToken, sha256, sha256Hex } from '../platform/crypto.ts';
import { inTransaction, type Queryable } from '../platform/db/database.ts';
import type { ProgrammeRemindersTable, ProgrammesTable } from '../platform/db/schema.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import { auditActorOf, type PatientDeviceContext, type PublicContext } from '../platform/http/context.ts';
import { programmeRow } from '../programmes/data.ts';
import { programmeAccessOf, readOnlyRefusal, type PatientProgrammeAccess } from '../programmes/patient-page.ts';
import { addDays, weekdayOf } from './schedule.ts';
import type { ReminderInput, ReminderView } from './schemas.ts';

/** R-ENG-4: the job that emails one reminder and schedules the next. */
export const REMINDER_JOB = 'reminder.send';

/** A reminder whose job runs this much after its time (the server was down) is skipped, not sent late. */
export const REMINDER_LATE_MS = 6 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// Wall-clock time in a time zone (pure). Intl knows every zone's offsets; no library is needed.

interface WallTime {
  day: string;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

function partsIn(instantMs: number, timeZone: string) {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(instantMs))) parts[p.type] = p.value;
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour) % 24, minute: Number(parts.minute), second: Number(parts.second) };
}

/** The calendar day and time that clocks in `timeZone` show at `instant`. */
export function wallTimeIn(instant: Date, timeZone: string): WallTime {
  const p = partsIn(instant.getTime(), timeZone);
  return { day: `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`, hour: p.hour, minute: p.minute };
}

/** How far clocks in `timeZone` are ahead of UTC at `instantMs`. */
function offsetAt(instantMs: number, timeZone: string): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  const p = partsIn(whole, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - whole;
}

/**
 * The instant at which clocks in `timeZone` show `day` at `time` (HH:MM). Around a change of the
 * clocks: a time that happens twice (autumn) is its first occurrence; a time that does not exist
 * (spring) moves on by the jump: 01:30 on the night London's clocks go from 01:00 to 02:00 is 02:30.
 */
export function instantOfWallTime(day: string, time: string, timeZone: string): Date {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const asUtc = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)), hour, minute);
  // Offsets a day either side: no zone changes its clocks twice within two days.
  const before = asUtc - offsetAt(asUtc - 86_400_000, timeZone);
  const after = asUtc - offsetAt(asUtc + 86_400_000, timeZone);
  const shows = (ms: number) => {
    const w = wallTimeIn(new Date(ms), timeZone);
    return w.day === day && w.hour === hour && w.minute === minute;
  };
  const matching = [before, after].filter(shows);
  if (matching.length > 0) return new Date(Math.min(...matching));
  // In the gap: the offset before the change shows the time the clocks jumped to.
  return new Date(before);
}

/**
 * R-ENG-4: the next reminder strictly after `after`: the first chosen weekday (1 = Monday) at `time`
 * in the patient's time zone, not before the programme's first day, nor after its last; null when
 * the programme ends first.
 */
export function nextReminderAt(after: Date, schedule: { weekdays: number[]; time: string; timeZone: string; firstDay?: string | null; lastDay?: string | null }): Date | null {
  const today = wallTimeIn(after, schedule.timeZone).day;
  const from = schedule.firstDay && schedule.firstDay > today ? schedule.firstDay : today;
  for (let i = 0; i <= 7; i++) {
    const day = addDays(from, i);
    if (schedule.lastDay && day > schedule.lastDay) return null;
    if (!schedule.weekdays.includes(weekdayOf(day))) continue;
    const at = instantOfWallTime(day, schedule.time, schedule.timeZone);
    if (at.getTime() > after.getTime()) return at;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Whether the programme may be acted on (R-ENG-3).

export interface ProgrammeStanding {
  programme: Selectable<ProgrammesTable>;
  patient: { organisation_id: string | null; owner_account_id: string; first_name: string; email: string | null };
  /** The patient page's test (R-PRG-3, R-ENG-3): read-only while disabled, ended, or the practitioner cannot work. */
  access: PatientProgrammeAccess;
  /** The practice's name as the practitioner gives it, else the practitioner's name. */
  practiceName: string;
}

/** The programme with its patient, and whether it accepts anything now (R-ENG-3). */
export async function programmeStanding(deps: Pick<Deps, 'db' | 'clock' | 'config'>, programmeId: string): Promise<ProgrammeStanding | null> {
  const { db } = deps;
  const programme = await programmeRow(db, programmeId);
  if (!programme) return null;
  const found = await programmeAccessOf(deps, db, programme);
  if (!found) return null;
  const { patient, access } = found;
  const practiceName = (await accountPractice(db, patient.owner_account_id)).name?.trim() || (await accountName(db, patient.owner_account_id));
  return { programme, patient, access, practiceName };
}

// ---------------------------------------------------------------------------------------------
// The service.

type ReminderRow = Selectable<ProgrammeRemindersTable>;

/** "patricia@example.org" → "p•••@e•••.org": enough for the patient to recognise, little for anyone else. */
export function emailHint(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  const dot = domain.lastIndexOf('.');
  const host = dot > 0 ? domain.slice(0, dot) : domain;
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${local.slice(0, 1)}•••@${host.slice(0, 1)}•••${tld}`;
}


/** A reminder as the patient's page shows it (R-ENG-4). */
export function reminderView(r: Pick<ReminderRow, 'weekdays' | 'at_time' | 'time_zone' | 'email' | 'next_at'>): ReminderView {
  return { weekdays: [...r.weekdays].map(Number).sort((a, b) => a - b), time: r.at_time, timeZone: r.time_zone, emailHint: emailHint(r.email), nextAt: r.next_at?.toISOString() ?? null };
}

/** Deletes a programme's reminder; true when there was one. */
async function deleteReminder(q: Queryable, programmeId: string): Promise<boolean> {
  const r = await q.deleteFrom('programme_reminders').where('programme_id', '=', programmeId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/**
 * The job's key: one per reminder time and unsubscribe token, so a reminder set again for the same
 * time gets its own job (the earlier one, holding the replaced token, then does nothing).
 */
function jobKey(programmeId: string, at: Date, token: string): string {
  return `reminder:${programmeId}:${at.toISOString()}:${sha256Hex(token).slice(0, 12)}`;
}

const systemActor = (organisationId: string | null): AuditActor => ({ accountId: null, sessionId: null, organisationId, ip: null, userAgent: 'motus-reminders', requestId: null });

/**
 * R-ENG-4: email reminders on the patient's chosen days and time, in their own time zone, with
 * one-click unsubscribe (RFC 8058). Each reminder is a job at its time that sends one email and
 * schedules the next. The reminder row keeps only the unsubscribe token's hash; the token itself
 * travels in the pending job's payload (as it does in the sent email), so that every email of one
 * setting carries a link that works. Someone who can read the jobs table can therefore stop a
 * patient's reminders, and nothing more.
 */
export function createReminderService(deps: Deps) {
  const { db, clock, config } = deps;
  const programmeUrl = `${config.publicUrl}/programme`;

  async function set(ctx: PatientDeviceContext, input: ReminderInput): Promise<ReminderView> {
    const { device } = ctx;
    const found = await programmeStanding(deps, device.programmeId);
    if (!found) throw new NotFoundError('programme');
    if (found.access.readOnly) {
      await inTransaction(deps.db, (tx) =>
        recordAudit(tx, deps.clock, auditActorOf(ctx), { action: 'engagement.entry_refused', targetType: 'programme', targetId: device.programmeId, details: { patientId: device.patientId, deviceId: device.deviceId, reason: 'reminder_read_only' } }, 'denied'),
      );
      throw readOnlyRefusal(found.access.notice);
    }
    const email = input.email ?? found.patient.email;
    if (!email) throw ValidationError.field('body.email', 'email_required', 'Enter the email address the reminders should go to.');
    const weekdays = [...input.weekdays].sort((a, b) => a - b);
    const now = clock.now();
    const nextAt = nextReminderAt(now, { weekdays, time: input.time, timeZone: input.timeZone, firstDay: found.programme.start_date, lastDay: found.programme.end_date });
    const token = randomToken();
    const values = { weekdays, at_time: input.time, time_zone: input.timeZone, email, unsubscribe_hash: sha256(token), next_at: nextAt, updated_at: now };
    await inTransaction(db, async (tx) => {
      await tx
        .insertInto('programme_reminders')
        .values({ programme_id: device.programmeId, ...values, created_at: now })
        .onConflict((oc) => oc.column('programme_id').doUpdateSet(values))
        .execute();
      if (nextAt) await enqueueJob(tx, clock, { kind: REMINDER_JOB, payload: { programmeId: device.programmeId, at: nextAt.toISOString(), token }, runAt: nextAt, dedupeKey: jobKey(device.programmeId, nextAt, token) });
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'reminder.set', targetType: 'programme', targetId: device.programmeId, details: { patientId: device.patientId, deviceId: device.deviceId } });
    });
    return reminderView({ ...values, weekdays });
  }

  async function clear(ctx: PatientDeviceContext): Promise<void> {
    const { device } = ctx;
    await inTransaction(db, async (tx) => {
      const actor = auditActorOf(ctx);
      if (await deleteReminder(tx, device.programmeId)) {
        await recordAudit(tx, clock, actor, { action: 'reminder.cleared', targetType: 'programme', targetId: device.programmeId, details: { patientId: device.patientId, deviceId: device.deviceId } });
      } else {
        await recordAudit(tx, clock, actor, { action: 'request.unchanged', targetType: 'programme', targetId: device.programmeId, details: { reason: 'no_reminder' } });
      }
    });
  }

  /**
   * One-click unsubscribe (RFC 8058): the token names the reminder. An unknown token is answered
   * like a known one and records nothing: a stranger learns nothing and cannot fill the trail.
   */
  async function unsubscribe(ctx: PublicContext, token: string): Promise<void> {
    await inTransaction(db, async (tx) => {
      const gone = await tx.deleteFrom('programme_reminders').where('unsubscribe_hash', '=', sha256(token)).returning('programme_id').executeTakeFirst();
      if (!gone) return;
      const programme = await programmeRow(tx, gone.programme_id);
      const patient = programme ? await patientPractice(tx, programme.patient_id) : undefined;
      if (!programme || !patient) return;
      await recordAudit(tx, clock, auditActorOf(ctx, { organisationId: patient.organisation_id }), { action: 'reminder.unsubscribed', targetType: 'programme', targetId: programme.id, details: { patientId: programme.patient_id } });
    });
  }

  /** The reminder email: no clinical text (R-ENG-4), only the practice, a link to the page and the way out. */
  function message(to: string, firstName: string, practiceName: string, token: string) {
    const apiUnsubscribe = `${config.publicUrl}/api/reminders/unsubscribe?token=${encodeURIComponent(token)}`;
    const m = actionMessage(
      to,
      'Time for your exercises',
      [`Hello ${firstName},`, 'This is your reminder to do your exercises today.', `${practiceName} set up your exercises in Motus. You asked for these reminders on your phone or computer.`],
      { url: programmeUrl, label: 'Open your exercises' },
      { url: `${config.publicUrl}/unsubscribe?token=${encodeURIComponent(token)}`, label: 'Stop these reminders' },
    );
    return { ...m, headers: { 'List-Unsubscribe': `<${apiUnsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } };
  }

  /**
   * Runs at a reminder's time. A reminder cleared, changed or unsubscribed since does nothing; one
   * whose programme no longer accepts anything (R-ENG-3) stops. Otherwise the email is queued with
   * its audit record and the next reminder scheduled, in one transaction.
   */
  async function send(payload: { programmeId: string; at: string; token: string }): Promise<void> {
    const { programmeId, at, token } = payload;
    const current = (r: { next_at: Date | null; unsubscribe_hash: Buffer } | undefined) => r !== undefined && r.next_at?.toISOString() === at && sha256(token).equals(r.unsubscribe_hash);
    const row = await db.selectFrom('programme_reminders').selectAll().where('programme_id', '=', programmeId).executeTakeFirst();
    if (!row || !current(row)) return;
    const found = await programmeStanding(deps, programmeId);
    if (!found || found.access.readOnly) {
      await db.updateTable('programme_reminders').set({ next_at: null, updated_at: clock.now() }).where('programme_id', '=', programmeId).where('next_at', '=', row.next_at!).execute();
      return;
    }
    const now = clock.now();
    const late = now.getTime() - new Date(at).getTime() > REMINDER_LATE_MS;
    const next = nextReminderAt(now, { weekdays: row.weekdays.map(Number), time: row.at_time, timeZone: row.time_zone, firstDay: found.programme.start_date, lastDay: found.programme.end_date });
    await inTransaction(db, async (tx) => {
      const locked = await tx.selectFrom('programme_reminders').select(['next_at', 'unsubscribe_hash', 'email']).where('programme_id', '=', programmeId).forUpdate().executeTakeFirst();
      if (!current(locked)) return;
      if (!late) {
        await queueEmail(tx, clock, message(locked!.email, found.patient.first_name, found.practiceName, token));
        await recordAudit(tx, clock, systemActor(found.patient.organisation_id), { action: 'reminder.sent', targetType: 'programme', targetId: programmeId, details: { patientId: found.programme.patient_id } });
      }
      await tx.updateTable('programme_reminders').set({ next_at: next, updated_at: now }).where('programme_id', '=', programmeId).execute();
      if (next) await enqueueJob(tx, clock, { kind: REMINDER_JOB, payload: { programmeId, at: next.toISOString(), token }, runAt: next, dedupeKey: jobKey(programmeId, next, token) });
    });
  }

  deps.jobs.define(REMINDER_JOB, { run: (job) => send({ programmeId: String(job.payload.programmeId), at: String(job.payload.at), token: String(job.payload.token) }) });

  return { set, clear, unsubscribe, send };
}

export type ReminderService = ReturnType<typeof createReminderService>;
