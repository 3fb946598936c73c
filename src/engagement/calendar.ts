import ical, { ICalEventTransparency } from 'ical-generator';
import { recordAudit } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import { randomToken, sha256, sha256Hex } from '../platform/crypto.ts';
import { inTransaction } from '../platform/db/database.ts';
import { NotFoundError, UnauthenticatedError } from '../platform/errors.ts';
import { auditActorOf, type PatientDeviceContext, type PublicContext } from '../platform/http/context.ts';
import { DEVICE_SIGNED_OUT, deviceByFeed, setDeviceFeed } from './devices.ts';
import { programmeStanding } from './reminders.ts';
import { addDays, weekdayOf, type ScheduledItem } from './schedule.ts';

/** A feed's reads are recorded at most once per device in this window: calendar apps poll often. */
export const FEED_READ_RECORD_SECONDS = 60 * 60;
/** How often calendar apps are asked to fetch the feed again. */
const FEED_REFRESH_SECONDS = 6 * 60 * 60;

const BYDAY = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

/** One recurring all-day event of the feed. */
export interface ExerciseDayRule {
  /** Which pattern it is, for a stable event id. */
  kind: 'daily' | 'weekdays' | 'flexible';
  /** The first day (the first occurrence). */
  start: string;
  /** The RRULE value (RFC 5545), ending on the programme's last day when it has one. */
  rrule: string;
  /** For "days per week": how many days the patient chooses each week. */
  daysPerWeek: number | null;
}

const compact = (day: string) => day.replaceAll('-', '');

/**
 * R-ENG-4: the programme's exercise days as recurring events. Exercises with neither chosen weekdays
 * nor days per week are due daily, which covers every other pattern: one daily event. Otherwise one
 * weekly event on the chosen weekdays of all exercises together, and, for exercises done on any N
 * days a week, one weekly event from the first day saying so.
 */
export function exerciseDayRules(items: ScheduledItem[], startDate: string, endDate: string | null): ExerciseDayRule[] {
  if (items.length === 0) return [];
  const until = endDate ? `;UNTIL=${compact(endDate)}` : '';
  const inRange = (day: string) => endDate === null || day <= endDate;
  if (items.some((i) => !i.weekdays && i.daysPerWeek === null)) {
    return inRange(startDate) ? [{ kind: 'daily', start: startDate, rrule: `FREQ=DAILY${until}`, daysPerWeek: null }] : [];
  }
  const rules: ExerciseDayRule[] = [];
  const weekdays = [...new Set(items.flatMap((i) => i.weekdays ?? []))].sort((a, b) => a - b);
  if (weekdays.length === 7) {
    if (inRange(startDate)) rules.push({ kind: 'daily', start: startDate, rrule: `FREQ=DAILY${until}`, daysPerWeek: null });
  } else if (weekdays.length > 0) {
    // DTSTART is always an occurrence (RFC 5545), so it is the first chosen weekday from the start.
    let first = startDate;
    while (!weekdays.includes(weekdayOf(first))) first = addDays(first, 1);
    if (inRange(first)) rules.push({ kind: 'weekdays', start: first, rrule: `FREQ=WEEKLY;BYDAY=${weekdays.map((d) => BYDAY[d - 1]).join(',')}${until}`, daysPerWeek: null });
  }
  const flexible = Math.max(0, ...items.filter((i) => !i.weekdays && i.daysPerWeek !== null).map((i) => i.daysPerWeek!));
  if (flexible > 0 && weekdays.length < 7 && inRange(startDate)) rules.push({ kind: 'flexible', start: startDate, rrule: `FREQ=WEEKLY${until}`, daysPerWeek: flexible });
  return rules;
}

/**
 * R-ENG-4: a calendar subscription for the patient's device. The address holds its secret (stored
 * only hashed, with the device: signing the device out ends it). The feed says nothing clinical, as
 * calendars sync to third parties: "Exercises", the practice, and the link to the patient's page.
 */
export function createCalendarService(deps: Deps) {
  const { db, clock, config, throttle } = deps;
  const programmeUrl = `${config.publicUrl}/programme`;
  const host = new URL(config.publicUrl).hostname;

  async function createFeed(ctx: PatientDeviceContext): Promise<{ url: string; webcalUrl: string }> {
    const { device } = ctx;
    const token = randomToken();
    await inTransaction(db, async (tx) => {
      if (!(await setDeviceFeed(tx, device.deviceId, sha256(token)))) throw new UnauthenticatedError('device_signed_out', DEVICE_SIGNED_OUT);
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'calendar.feed_created', targetType: 'programme', targetId: device.programmeId, details: { patientId: device.patientId, deviceId: device.deviceId } });
    });
    const url = `${config.publicUrl}/api/calendar.ics?token=${token}`;
    return { url, webcalUrl: url.replace(/^https?:/, 'webcal:') };
  }

  /** The iCalendar text of a feed; 404 for an unknown or revoked address. An ended or paused programme gives an empty calendar. */
  async function feed(ctx: PublicContext, token: string): Promise<string> {
    const device = await deviceByFeed(db, sha256(token));
    if (!device) throw new NotFoundError('calendar');
    const found = await programmeStanding(deps, device.programme_id);
    if (!found) throw new NotFoundError('calendar');
    const { programme, patient, practiceName } = found;
    const calendar = ical({ name: 'Exercises', prodId: { company: 'Motus', product: 'Motus', language: 'EN' }, ttl: FEED_REFRESH_SECONDS });
    if (!found.access.readOnly) {
      for (const rule of exerciseDayRules(programme.items, programme.start_date, programme.end_date)) {
        const choose = rule.daysPerWeek ? `Choose ${rule.daysPerWeek === 1 ? 'one day' : `${rule.daysPerWeek} days`} this week for your exercises. ` : '';
        calendar.createEvent({
          id: `${sha256Hex(`${programme.id}:${rule.kind}`).slice(0, 32)}@${host}`,
          start: new Date(`${rule.start}T00:00:00Z`),
          allDay: true,
          repeating: rule.rrule,
          summary: 'Exercises',
          description: `${choose}From ${practiceName}. Open your exercises: ${programmeUrl}`,
          url: programmeUrl,
          stamp: programme.updated_at,
          transparency: ICalEventTransparency.TRANSPARENT,
        });
      }
    }
    // R-ENG-7: a read of patient data, recorded, but once an hour per device at most.
    const reads = await throttle.hit(`calendar-feed-read:${device.id}`, FEED_READ_RECORD_SECONDS);
    if (reads.count === 1) {
      await inTransaction(db, (tx) =>
        recordAudit(tx, clock, auditActorOf(ctx, { organisationId: patient.organisation_id }), { action: 'calendar.feed_read', targetType: 'programme', targetId: programme.id, details: { patientId: programme.patient_id, deviceId: device.id } }),
      );
    }
    return calendar.toString();
  }

  return { createFeed, feed };
}

export type CalendarService = ReturnType<typeof createCalendarService>;
