import { recordAudit } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import { inTransaction, type Tx } from '../platform/db/database.ts';
import type { ProgrammeItem } from '../platform/db/schema.ts';
import { ConflictError, NotFoundError, UnauthenticatedError, ValidationError } from '../platform/errors.ts';
import { auditActorOf, type PatientDeviceContext } from '../platform/http/context.ts';
import { programmeRow } from '../programmes/data.ts';
import type { Programme } from '../programmes/programmes.ts';
import { programmeToday } from '../programmes/items.ts';
import { patientProgrammeAccess, readOnlyRefusal, type PatientPage, type PatientProgrammeAccess } from '../programmes/patient-page.ts';
import { emitWebhookEvent, emitWebhookEvents, type WebhookEvent } from '../webhooks/emit.ts';
import { alertsAfterEntry, emailAttention } from './alerts.ts';
import {
  countUnread,
  deleteEntry,
  entriesBetween,
  entryByClientId,
  insertEntryOnce,
  insertMessageOnce,
  markRead,
  reminderOf,
  thread,
  toEntryView,
  updateEntry,
  type EntryRow,
  type EntryValues,
} from './data.ts';
import { DEVICE_SIGNED_OUT, revokeDevice } from './devices.ts';
import { toMessageViews } from './messages.ts';
import { reminderView } from './reminders.ts';
import { addDays, mondayOf, weekPlan } from './schedule.ts';
import type { EntryInput, EntryView, MessageView, PatientHomeView } from './schemas.ts';

/**
 * R-INT-4: a new entry is a recorded session (one exercise, or the whole session when it names
 * none); a pain rating, new or changed, is reported with its score. Ids and numbers only: the
 * comment stays in Motus.
 */
function entryEvents(ctx: PatientDeviceContext, entryId: string, v: EntryValues, created: boolean): WebhookEvent[] {
  const { device } = ctx;
  const about = { organisationId: device.organisationId, accountIds: [device.ownerAccountId] };
  const ids = { programmeId: device.programmeId, patientId: device.patientId, entryId, day: v.day, itemIndex: v.item_index };
  const events: WebhookEvent[] = [];
  if (created) events.push({ type: 'session.recorded', ...about, data: { ...ids, exerciseId: v.exercise_id, setsDone: v.sets_done } });
  if (v.pain !== null) events.push({ type: 'pain.reported', ...about, data: { ...ids, pain: v.pain } });
  return events;
}

/** How far back an entry recorded offline may still arrive (R-ENG-2). */
export const OFFLINE_DAYS = 14;

/** The patient's device (R-ENG-1..5): it acts for its one programme only. */
export function createPatientEngagement(deps: Deps, page: PatientPage) {
  const { db, clock } = deps;

  /** The patient's own day: what the device says, within a day of the server's (time zones). */
  function patientDay(asked: string | undefined): string {
    const today = programmeToday(deps);
    if (asked && asked >= addDays(today, -1) && asked <= addDays(today, 1)) return asked;
    return today;
  }

  async function home(ctx: PatientDeviceContext, asked: string | undefined): Promise<PatientHomeView> {
    const { device } = ctx;
    const { page: view, access, row } = await page.pageForDevice(device.programmeId);
    const today = patientDay(asked);
    const monday = mondayOf(today);
    const [entries, reminder, unread] = await Promise.all([entriesBetween(db, device.programmeId, monday, addDays(monday, 6)), reminderOf(db, device.programmeId), countUnread(db, device.programmeId, 'practice')]);
    await inTransaction(db, (tx) =>
      recordAudit(tx, clock, auditActorOf(ctx), { action: 'programme.read_by_patient', targetType: 'programme', targetId: device.programmeId, details: { patientId: device.patientId, deviceId: device.deviceId } }),
    );
    return {
      programme: view,
      canRecord: !access.readOnly,
      today,
      week: weekPlan(row.items, today, { startDate: row.start_date, endDate: row.end_date }),
      entries: entries.map(toEntryView),
      reminder: reminder ? reminderView(reminder) : null,
      unreadMessages: unread,
      practice: { name: view.practitioner.practice, logoUrl: await page.logoFor(row) },
    };
  }

  /** The values an entry stores, checked against its programme (R-ENG-1). */
  function valuesOf(input: EntryInput, items: ProgrammeItem[], trackPain: boolean, period: { start: string; end: string | null }): EntryValues {
    const today = programmeToday(deps);
    if (input.day > addDays(today, 1) || input.day < addDays(today, -OFFLINE_DAYS)) {
      throw ValidationError.field('body.day', 'day_out_of_range', `An entry is for today or one of the last ${OFFLINE_DAYS} days.`);
    }
    if (input.day < period.start || (period.end !== null && input.day > period.end)) {
      throw ValidationError.field('body.day', 'outside_programme', 'This day is outside the programme.');
    }
    if (input.itemIndex !== null && input.itemIndex >= items.length) throw ValidationError.field('body.itemIndex', 'unknown_item', 'The programme has no such exercise.');
    if (!trackPain && input.pain !== null) throw ValidationError.field('body.pain', 'pain_not_tracked', 'This programme does not ask about pain.');
    if (!trackPain && input.difficulty !== null) throw ValidationError.field('body.difficulty', 'pain_not_tracked', 'This programme does not ask how hard it was.');
    return {
      day: input.day,
      item_index: input.itemIndex,
      exercise_id: input.itemIndex === null ? null : items[input.itemIndex]!.exerciseId,
      sets_done: input.setsDone,
      pain: input.pain,
      difficulty: input.difficulty,
      comment: input.comment === '' ? null : input.comment,
    };
  }

  const sameValues = (row: EntryRow, v: EntryValues) =>
    row.day === v.day && row.item_index === v.item_index && row.sets_done === v.sets_done && row.pain === v.pain && row.difficulty === v.difficulty && row.comment === v.comment;

  /**
   * R-ENG-1: an entry can be changed while its day is still today somewhere: a calendar day ends
   * last at UTC-12, 36 hours after it began in UTC.
   */
  const changeable = (row: EntryRow) => clock.now().getTime() < Date.parse(`${row.day}T00:00:00Z`) + 36 * 60 * 60 * 1000;
  const locked = () => new ConflictError('entry_locked', 'Entries can be changed only on the day they were recorded.', { rule: 'R-ENG-1' });

  /**
   * A write of the device for its programme (R-ENG-3): the programme is read, and share-locked,
   * in the write's own transaction, so that ending or pausing it cannot slip in between. A
   * read-only programme is refused with its notice, and the refusal recorded.
   */
  async function writing<T>(ctx: PatientDeviceContext, what: 'entry' | 'message', work: (tx: Tx, programme: Programme) => Promise<T>): Promise<T> {
    const { device } = ctx;
    const outcome = await inTransaction(db, async (tx): Promise<{ done: T } | { refused: PatientProgrammeAccess }> => {
      const programme = await programmeRow(tx, device.programmeId, { forShare: true });
      if (!programme) throw new UnauthenticatedError('device_signed_out', DEVICE_SIGNED_OUT);
      const access = await patientProgrammeAccess(deps, tx, programme, { ownerAccountId: device.ownerAccountId, organisationId: device.organisationId });
      if (access.readOnly) return { refused: access };
      return { done: await work(tx, programme) };
    });
    if ('done' in outcome) return outcome.done;
    const refused = outcome.refused;
    const reason = what === 'message' ? 'message_read_only' : refused.state === 'active' ? 'practitioner_cannot_work' : refused.state;
    await inTransaction(db, (tx) =>
      recordAudit(tx, clock, auditActorOf(ctx), { action: 'engagement.entry_refused', targetType: 'programme', targetId: device.programmeId, details: { patientId: device.patientId, deviceId: device.deviceId, reason } }, 'denied'),
    );
    throw readOnlyRefusal(refused.notice);
  }

  const unchangedDetails = (ctx: PatientDeviceContext, reason: string) => ({ reason, patientId: ctx.device.patientId, programmeId: ctx.device.programmeId, deviceId: ctx.device.deviceId });

  /**
   * R-ENG-1, R-ENG-2: records an exercise or the whole session. The client id is the entry: sending
   * it again stores nothing new; sending it with other values changes the entry while its day lasts;
   * once taken back, it stays taken back.
   */
  async function record(ctx: PatientDeviceContext, clientId: string, input: EntryInput): Promise<{ entry: EntryView; stored: 'created' | 'updated' | 'unchanged' }> {
    const { device } = ctx;
    const actor = auditActorOf(ctx);
    return writing(ctx, 'entry', async (tx, programme) => {
      const values = valuesOf(input, programme.items, programme.track_pain, { start: programme.start_date, end: programme.end_date });
      const details = (entryId: string) => ({ patientId: device.patientId, deviceId: device.deviceId, entryId, day: values.day });
      const now = clock.now();
      const { row, created } = await insertEntryOnce(tx, device.programmeId, clientId, device.deviceId, values, now);
      const alertFor = { programmeId: device.programmeId, patientId: device.patientId, ownerAccountId: device.ownerAccountId, painAlertAt: programme.pain_alert_at };
      if (created) {
        await recordAudit(tx, clock, actor, { action: 'engagement.entry_recorded', targetType: 'programme', targetId: device.programmeId, details: details(row.id) });
        await alertsAfterEntry(tx, deps, actor, alertFor, values.pain);
        await emitWebhookEvents(tx, clock, entryEvents(ctx, row.id, values, true));
        return { entry: toEntryView(row), stored: 'created' as const };
      }
      if (row.deleted_at !== null || sameValues(row, values)) {
        // A resend of what is stored, or a late resend of an entry taken back since.
        await recordAudit(tx, clock, actor, { action: 'request.unchanged', targetType: 'programme_entry', targetId: row.id, details: unchangedDetails(ctx, row.deleted_at ? 'entry_taken_back' : 'same_entry_sent_again') });
        return { entry: toEntryView(row), stored: 'unchanged' as const };
      }
      if (row.day !== values.day || row.item_index !== values.item_index) {
        throw new ConflictError('entry_is_another', 'This entry was recorded for another day or exercise; record a new one.', { rule: 'R-ENG-2' });
      }
      if (!changeable(row)) throw locked();
      const updated = await updateEntry(tx, row.id, values, now);
      await recordAudit(tx, clock, actor, { action: 'engagement.entry_changed', targetType: 'programme', targetId: device.programmeId, details: details(row.id) });
      if (values.pain !== row.pain) await alertsAfterEntry(tx, deps, actor, alertFor, values.pain);
      if (values.pain !== row.pain) await emitWebhookEvents(tx, clock, entryEvents(ctx, row.id, values, false));
      return { entry: toEntryView(updated), stored: 'updated' as const };
    });
  }

  /** Takes back an entry of today (R-ENG-1); an unknown client id is not found. */
  async function unrecord(ctx: PatientDeviceContext, clientId: string): Promise<void> {
    const { device } = ctx;
    await writing(ctx, 'entry', async (tx) => {
      const row = await entryByClientId(tx, device.programmeId, clientId, true);
      if (!row) throw new NotFoundError('entry');
      if (row.deleted_at !== null) {
        await recordAudit(tx, clock, auditActorOf(ctx), { action: 'request.unchanged', targetType: 'programme_entry', targetId: row.id, details: unchangedDetails(ctx, 'entry_taken_back') });
        return;
      }
      if (!changeable(row)) throw locked();
      await deleteEntry(tx, row.id, clock.now());
      await recordAudit(tx, clock, auditActorOf(ctx), {
        action: 'engagement.entry_removed',
        targetType: 'programme',
        targetId: device.programmeId,
        details: { patientId: device.patientId, deviceId: device.deviceId, entryId: row.id, day: row.day },
      });
    });
  }

  /** R-ENG-5: the thread; reading it marks the practice's messages read. */
  async function messages(ctx: PatientDeviceContext): Promise<{ messages: MessageView[] }> {
    const { device } = ctx;
    return inTransaction(db, async (tx) => {
      const rows = await thread(tx, device.programmeId);
      // An empty thread shows nothing to record.
      if (rows.length > 0) {
        await markRead(tx, device.programmeId, 'practice', clock.now());
        await recordAudit(tx, clock, auditActorOf(ctx), { action: 'message.thread_read', targetType: 'programme', targetId: device.programmeId, details: { patientId: device.patientId, by: 'patient', deviceId: device.deviceId } });
      }
      return { messages: await toMessageViews(tx, rows) };
    });
  }

  /**
   * R-ENG-5: a message to the practice, once per client id. The practitioner is emailed that there
   * is a message (never its text) when it is the first one waiting to be read.
   */
  async function send(ctx: PatientDeviceContext, clientId: string, text: string): Promise<{ message: MessageView }> {
    const { device } = ctx;
    return writing(ctx, 'message', async (tx) => {
      const { row, created } = await insertMessageOnce(tx, device.programmeId, clientId, { author: 'patient', author_account_id: null, device_id: device.deviceId, body: text }, clock.now());
      const actor = auditActorOf(ctx);
      if (created) {
        await recordAudit(tx, clock, actor, { action: 'message.sent', targetType: 'programme', targetId: device.programmeId, details: { patientId: device.patientId, messageId: row.id, author: 'patient', deviceId: device.deviceId } });
        // R-INT-4: the message's id, never its text.
        await emitWebhookEvent(tx, clock, { type: 'message.received', organisationId: device.organisationId, accountIds: [device.ownerAccountId], data: { programmeId: device.programmeId, patientId: device.patientId, messageId: row.id } });
        if ((await countUnread(tx, device.programmeId, 'patient')) === 1) await emailAttention(tx, deps, device.ownerAccountId, 'message');
      } else {
        await recordAudit(tx, clock, actor, { action: 'request.unchanged', targetType: 'programme_message', targetId: row.id, details: unchangedDetails(ctx, 'same_message_sent_again') });
      }
      const [view] = await toMessageViews(tx, [row]);
      return { message: view! };
    });
  }

  /** The patient forgets this device: its token stops working at once. */
  async function signOut(ctx: PatientDeviceContext): Promise<void> {
    const { device } = ctx;
    await inTransaction(db, async (tx) => {
      await revokeDevice(tx, clock, device.programmeId, device.deviceId, 'signed_out');
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'programme.device_signed_out', targetType: 'programme', targetId: device.programmeId, details: { patientId: device.patientId, deviceId: device.deviceId, by: 'patient' } });
    });
  }

  return { home, record, unrecord, messages, send, signOut };
}

export type PatientEngagement = ReturnType<typeof createPatientEngagement>;
