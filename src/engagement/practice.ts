import { recordAudit } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import { patientIdsTreatedIn, patientNames } from '../patients/data.ts';
import { visiblePatientIds } from '../patients/service.ts';
import { inTransaction, type Tx } from '../platform/db/database.ts';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import { auditActorOf, type OrgRequestContext, type SignedInContext } from '../platform/http/context.ts';
import { activeProgrammeIdsOfPatients, countProgrammes, programmeSummaries } from '../programmes/data.ts';
import { describeItems, programmeToday } from '../programmes/items.ts';
import { programmeAccessOf, readOnlyRefusal } from '../programmes/patient-page.ts';
import { findVisibleProgramme, type Programme } from '../programmes/programmes.ts';
import {
  alertOfProgramme,
  chartEntriesBetween,
  insertMessageOnce,
  lastActivity,
  markRead,
  openAlerts,
  openAlertsOf,
  programmeIdsActiveSince,
  resolveAlerts,
  thread,
  unreadFromPatientsOf,
} from './data.ts';
import { deviceExists, listDevices, revokeDevice } from './devices.ts';
import { toMessageViews } from './messages.ts';
import { addDays, adherence } from './schedule.ts';
import type { AttentionItemView, DeviceView, EngagementView, MessageView, OrganisationEngagementView } from './schemas.ts';

const ATTENTION_LIMIT = 100;
const COMMENTS_SHOWN = 50;

/**
 * What the practitioner sees of a programme's engagement (R-ENG-5..7). Every route names a
 * programme whose patient the caller may see (R-PAT-2), or answers 404; every read is recorded.
 */
export function createPracticeEngagement(deps: Deps) {
  const { db, clock } = deps;

  async function visible(tx: Tx, ctx: SignedInContext, programmeId: string): Promise<Programme> {
    return findVisibleProgramme(tx, ctx.actor.accountId, programmeId);
  }

  async function readOnlyNow(tx: Tx, p: Programme): Promise<boolean> {
    return (await programmeAccessOf(deps, tx, p))?.access.readOnly ?? true;
  }

  /** R-ENG-6: adherence per week and per exercise, pain and difficulty per day, comments, last activity. */
  async function engagement(ctx: SignedInContext, programmeId: string, days: number): Promise<EngagementView> {
    return inTransaction(db, async (tx) => {
      const p = await visible(tx, ctx, programmeId);
      const today = programmeToday(deps);
      const to = p.end_date !== null && p.end_date < today ? p.end_date : today;
      const earliest = addDays(to, -(days - 1));
      const from = earliest > p.start_date ? earliest : p.start_date;
      const [entries, items, last, alerts] = await Promise.all([chartEntriesBetween(tx, p.id, from, to), describeItems(tx, p.items), lastActivity(tx, p.id), openAlerts(tx, p.id)]);
      // An entry belongs to the exercise it was recorded for: if the programme was changed since, it
      // follows that exercise to its new place, and counts for none once the exercise is gone.
      const placeOf = (e: (typeof entries)[number]): number | null | undefined => {
        if (e.item_index === null) return null;
        if (e.exercise_id === null || p.items[e.item_index]?.exerciseId === e.exercise_id) return e.item_index;
        const moved = p.items.findIndex((i) => i.exerciseId === e.exercise_id);
        return moved >= 0 ? moved : undefined;
      };
      const placed = entries.map((e) => ({ e, itemIndex: placeOf(e) })).filter((x): x is { e: (typeof entries)[number]; itemIndex: number | null } => x.itemIndex !== undefined);
      const tally = adherence(p.items, placed.map(({ e, itemIndex }) => ({ day: e.day, itemIndex, setsDone: e.sets_done })), from, to, { startDate: p.start_date, endDate: p.end_date });
      const nameOf = (i: number | null) => (i === null ? null : (items[i]?.exercise?.name ?? 'Exercise'));
      const byDay = new Map<string, EngagementView['days'][number]>();
      for (const e of entries) {
        const d = byDay.get(e.day) ?? { day: e.day, done: 0, pain: null, tooEasy: 0, aboutRight: 0, tooHard: 0 };
        if (e.sets_done !== 0) d.done += 1;
        if (e.pain !== null) d.pain = Math.max(d.pain ?? 0, e.pain);
        if (e.difficulty === 'too_easy') d.tooEasy += 1;
        if (e.difficulty === 'about_right') d.aboutRight += 1;
        if (e.difficulty === 'too_hard') d.tooHard += 1;
        byDay.set(e.day, d);
      }
      const comments = entries
        .filter((e) => e.comment)
        .reverse()
        .slice(0, COMMENTS_SHOWN)
        .map((e) => ({ day: e.day, exerciseName: e.item_index === null ? null : (nameOf(placeOf(e) ?? null) ?? 'Exercise'), text: e.comment!, recordedAt: e.created_at.toISOString() }));
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'engagement.read', targetType: 'programme', targetId: p.id, details: { patientId: p.patient_id, days } });
      return {
        programmeId: p.id,
        from,
        to,
        trackPain: p.track_pain,
        painAlertAt: p.pain_alert_at,
        inactivityAlertDays: p.inactivity_alert_days,
        adherence: tally.overall,
        weeks: tally.weeks,
        exercises: tally.exercises.map((t) => ({ ...t, name: nameOf(t.itemIndex)! })),
        days: [...byDay.values()],
        comments,
        lastActivityAt: last?.toISOString() ?? null,
        alerts: alerts.map((a) => ({ id: a.id, kind: a.kind, raisedAt: a.raised_at.toISOString() })),
      };
    });
  }

  /** R-ENG-5: the thread; reading it marks the patient's messages read. */
  async function messages(ctx: SignedInContext, programmeId: string): Promise<{ messages: MessageView[]; canReply: boolean }> {
    return inTransaction(db, async (tx) => {
      const p = await visible(tx, ctx, programmeId);
      const rows = await thread(tx, p.id);
      // An empty thread shows nothing to record.
      if (rows.length > 0) {
        await markRead(tx, p.id, 'patient', clock.now());
        await recordAudit(tx, clock, auditActorOf(ctx), { action: 'message.thread_read', targetType: 'programme', targetId: p.id, details: { patientId: p.patient_id, by: 'practice' } });
      }
      return { messages: await toMessageViews(tx, rows), canReply: !(await readOnlyNow(tx, p)) };
    });
  }

  /** R-ENG-5, R-ENG-3: a reply, once per client id; a programme the patient cannot write in takes none either. */
  async function send(ctx: SignedInContext, programmeId: string, clientId: string, text: string): Promise<{ message: MessageView }> {
    return inTransaction(db, async (tx) => {
      const p = await visible(tx, ctx, programmeId);
      if (await readOnlyNow(tx, p)) throw readOnlyRefusal('This programme has ended or is paused: its thread takes no new messages.');
      const { row, created } = await insertMessageOnce(tx, p.id, clientId, { author: 'practice', author_account_id: ctx.actor.accountId, device_id: null, body: text }, clock.now());
      if (!created && row.author_account_id !== ctx.actor.accountId) throw new ConflictError('client_id_taken', 'Send the message again.', { rule: 'R-ENG-5' });
      await recordAudit(
        tx,
        clock,
        auditActorOf(ctx),
        created
          ? { action: 'message.sent', targetType: 'programme', targetId: p.id, details: { patientId: p.patient_id, messageId: row.id, author: 'practice' } }
          : { action: 'request.unchanged', targetType: 'programme_message', targetId: row.id, details: { reason: 'same_message_sent_again', patientId: p.patient_id, programmeId: p.id } },
      );
      const [view] = await toMessageViews(tx, [row]);
      return { message: view! };
    });
  }

  async function devices(ctx: SignedInContext, programmeId: string): Promise<{ devices: DeviceView[] }> {
    return inTransaction(db, async (tx) => {
      const p = await visible(tx, ctx, programmeId);
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'programme.devices_read', targetType: 'programme', targetId: p.id, details: { patientId: p.patient_id } });
      return { devices: await listDevices(tx, p.id) };
    });
  }

  /** R-PRG-2: a device the practitioner signs out is refused on its next request. */
  async function revoke(ctx: SignedInContext, programmeId: string, deviceId: string): Promise<void> {
    await inTransaction(db, async (tx) => {
      const p = await visible(tx, ctx, programmeId);
      if (await revokeDevice(tx, clock, p.id, deviceId, 'practitioner')) {
        await recordAudit(tx, clock, auditActorOf(ctx), { action: 'programme.device_signed_out', targetType: 'programme', targetId: p.id, details: { patientId: p.patient_id, deviceId, by: 'practitioner' } });
      } else if (await deviceExists(tx, p.id, deviceId)) {
        await recordAudit(tx, clock, auditActorOf(ctx), { action: 'request.unchanged', targetType: 'programme_device', targetId: deviceId, details: { reason: 'already_signed_out', patientId: p.patient_id, programmeId: p.id, deviceId } });
      } else {
        throw new NotFoundError('device');
      }
    });
  }

  async function resolveAlert(ctx: SignedInContext, programmeId: string, alertId: string): Promise<void> {
    await inTransaction(db, async (tx) => {
      const p = await visible(tx, ctx, programmeId);
      const alert = await alertOfProgramme(tx, p.id, alertId);
      if (!alert) throw new NotFoundError('alert');
      const resolved = await resolveAlerts(tx, p.id, { alertId }, ctx.actor.accountId, clock.now());
      await recordAudit(
        tx,
        clock,
        auditActorOf(ctx),
        resolved.length > 0
          ? { action: 'engagement.alert_resolved', targetType: 'programme', targetId: p.id, details: { patientId: p.patient_id, alertId } }
          : { action: 'request.unchanged', targetType: 'engagement_alert', targetId: alertId, details: { reason: 'already_resolved', patientId: p.patient_id, programmeId: p.id } },
      );
    });
  }

  /**
   * R-ENG-6: the home page's "needs attention": open alerts and unread messages of the live
   * programmes of every patient the caller may see, newest first. A list that names patients is
   * recorded with them (R-AUD-1).
   */
  async function attention(ctx: SignedInContext): Promise<{ items: AttentionItemView[] }> {
    const live = activeProgrammeIdsOfPatients(db, visiblePatientIds(db, ctx.actor.accountId), programmeToday(deps));
    const [alerts, unread] = await Promise.all([openAlertsOf(db, live, ATTENTION_LIMIT), unreadFromPatientsOf(db, live, ATTENTION_LIMIT)]);
    const programmes = new Map((await programmeSummaries(db, [...new Set([...alerts.map((a) => a.programme_id), ...unread.map((u) => u.programme_id)])])).map((p) => [p.id, p]));
    const patients = new Map((await patientNames(db, [...new Set([...programmes.values()].map((p) => p.patient_id))])).map((p) => [p.id, p]));
    const itemOf = (programmeId: string, rest: Pick<AttentionItemView, 'kind' | 'alertId' | 'at' | 'detail'>): AttentionItemView | null => {
      const p = programmes.get(programmeId);
      const patient = p ? patients.get(p.patient_id) : undefined;
      if (!p || !patient) return null;
      return { ...rest, patient: { id: patient.id, firstName: patient.first_name, lastName: patient.last_name }, programme: { id: p.id, title: p.title } };
    };
    const detailOf = (kind: string, programmeId: string) => {
      const p = programmes.get(programmeId);
      if (kind === 'pain_high') return `Pain at or above ${p?.pain_alert_at ?? 7} of 10`;
      if (kind === 'pain_rising') return 'Pain rose over the last three entries';
      return `Nothing recorded for ${p?.inactivity_alert_days ?? 'several'} days or more`;
    };
    const items = [
      ...alerts.map((a) => itemOf(a.programme_id, { kind: a.kind, alertId: a.id, at: a.raised_at.toISOString(), detail: detailOf(a.kind, a.programme_id) })),
      ...unread.map((u) => itemOf(u.programme_id, { kind: 'message', alertId: null, at: (u.at as Date).toISOString(), detail: Number(u.n) === 1 ? '1 unread message' : `${Number(u.n)} unread messages` })),
    ]
      .filter((i): i is AttentionItemView => i !== null)
      .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    if (items.length > 0) {
      await inTransaction(db, (tx) => recordAudit(tx, clock, auditActorOf(ctx), { action: 'engagement.attention_listed', details: { patientIds: [...new Set(items.map((i) => i.patient.id))] } }));
    }
    return { items };
  }

  /** R-ENG-7: the organisation's engagement as counts, never who. */
  async function organisationCounts(ctx: OrgRequestContext): Promise<OrganisationEngagementView> {
    const today = programmeToday(deps);
    const live = activeProgrammeIdsOfPatients(db, patientIdsTreatedIn(db, ctx.org.organisationId), today);
    const all = await countProgrammes(db, live);
    const activeThisWeek = await countProgrammes(db, live.where('programmes.id', 'in', programmeIdsActiveSince(db, addDays(today, -6))));
    await inTransaction(db, (tx) => recordAudit(tx, clock, auditActorOf(ctx), { action: 'engagement.organisation_counts_read', targetType: 'organisation', targetId: ctx.org.organisationId }));
    return {
      activeProgrammes: all.programmes,
      patientsWithActiveProgramme: all.patients,
      patientsActiveThisWeek: activeThisWeek.patients,
      shareActiveThisWeek: all.patients === 0 ? null : Math.round((activeThisWeek.patients / all.patients) * 1000) / 1000,
    };
  }

  return { engagement, messages, send, devices, revoke, resolveAlert, attention, organisationCounts };
}

export type PracticeEngagement = ReturnType<typeof createPracticeEngagement>;
