import { z } from 'zod';
import { emailSchema } from '../accounts/schemas.ts';
import { orgParams } from '../organisations/schemas.ts';
import { defineContract } from '../platform/http/contract.ts';
import { patientProgrammeView, programmeParams } from '../programmes/schemas.ts';

/**
 * Patient engagement (SPEC section 9a): what the patient records on their device, the thread with
 * the practice, reminders, and what the practitioner sees of it. Patient routes are called by the
 * device that opened the programme (access `patientDevice`); the practitioner's routes name the
 * programme, so the visibility rule of its patient applies (R-PAT-2, R-ENG-7).
 */

const day = z.iso.date({ message: 'A date as YYYY-MM-DD.' });
export const DIFFICULTIES = ['too_easy', 'about_right', 'too_hard'] as const;
export const difficultySchema = z.enum(DIFFICULTIES);
export type DifficultyValue = z.infer<typeof difficultySchema>;

/** A client id: made by the device for each entry or message, so that a resend is the same entry (R-ENG-2). */
export const clientIdParams = z.strictObject({ clientId: z.uuid({ message: 'Not a client id.' }) });

/** R-ENG-1: one exercise done (itemIndex), or the whole session (itemIndex null), on the patient's day. */
export const entryBody = z.strictObject({
  /** The patient's own calendar day (their time zone); at most a day ahead of the server and 14 days back. */
  day,
  itemIndex: z.number().int().min(0).max(99).nullable(),
  setsDone: z.number().int().min(0).max(50).nullable().default(null),
  /** 0 = no pain … 10 = worst pain imaginable; only where the programme tracks pain. */
  pain: z.number().int().min(0).max(10).nullable().default(null),
  difficulty: difficultySchema.nullable().default(null),
  comment: z.string().trim().max(1000).nullable().default(null),
});
export type EntryInput = z.infer<typeof entryBody>;

export const entryView = z.object({
  clientId: z.uuid(),
  day: z.iso.date(),
  itemIndex: z.number().int().nullable(),
  setsDone: z.number().int().nullable(),
  pain: z.number().int().nullable(),
  difficulty: difficultySchema.nullable(),
  comment: z.string().nullable(),
  recordedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type EntryView = z.infer<typeof entryView>;

/** One day of the patient's week: which exercises are due and how often (R-ENG-1). */
export const dayPlanView = z.object({
  day: z.iso.date(),
  /** 1 = Monday … 7 = Sunday. */
  weekday: z.number().int(),
  items: z.array(
    z.object({
      itemIndex: z.number().int(),
      /** Sessions of this exercise due that day. */
      times: z.number().int(),
      /** Days per week: due on any days the patient chooses, until the week's count is reached. */
      flexible: z.boolean(),
    }),
  ),
});
export type DayPlanView = z.infer<typeof dayPlanView>;

export const reminderView = z.object({
  weekdays: z.array(z.number().int()),
  time: z.string(),
  timeZone: z.string(),
  /** The address reminders go to, partly hidden (the device is not an account). */
  emailHint: z.string(),
  nextAt: z.iso.datetime().nullable(),
});
export type ReminderView = z.infer<typeof reminderView>;

/** What the patient's device reads on opening: the programme, this week's plan and entries. */
export const patientHomeView = z.object({
  programme: patientProgrammeView,
  /** May the patient record now (R-ENG-3)? When not, `programme.notice` says why. */
  canRecord: z.boolean(),
  today: z.iso.date(),
  week: z.array(dayPlanView),
  entries: z.array(entryView),
  reminder: reminderView.nullable(),
  unreadMessages: z.number().int(),
  practice: z.object({ name: z.string().nullable(), logoUrl: z.string().nullable() }),
});
export type PatientHomeView = z.infer<typeof patientHomeView>;

export const messageBody = z.strictObject({ text: z.string().trim().min(1, { message: 'Write a message first.' }).max(2000) });

export const messageView = z.object({
  id: z.uuid(),
  clientId: z.uuid(),
  author: z.enum(['patient', 'practice']),
  /** The practitioner who wrote it; null for the patient. */
  authorName: z.string().nullable(),
  text: z.string(),
  sentAt: z.iso.datetime(),
  /** Read by the other side. */
  read: z.boolean(),
});
export type MessageView = z.infer<typeof messageView>;

const timeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'Not a time zone.' },
  );

/** R-ENG-4: reminder days and time in the patient's own time zone. */
export const reminderBody = z.strictObject({
  weekdays: z
    .array(z.number().int().min(1).max(7))
    .min(1, { message: 'Choose at least one day.' })
    .max(7)
    .refine((d) => new Set(d).size === d.length, { message: 'Each day once.' }),
  time: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, { message: 'A time as HH:MM.' }),
  timeZone,
  /** Where to send them; without one, the address the practice has for the patient. */
  email: emailSchema.nullable().default(null),
});
export type ReminderInput = z.infer<typeof reminderBody>;

export const deviceView = z.object({
  id: z.uuid(),
  label: z.string(),
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  signedOut: z.boolean(),
});
export type DeviceView = z.infer<typeof deviceView>;

export const ALERT_KINDS = ['pain_high', 'pain_rising', 'inactive'] as const;
export const alertView = z.object({
  id: z.uuid(),
  kind: z.enum(ALERT_KINDS),
  raisedAt: z.iso.datetime(),
});
export type AlertView = z.infer<typeof alertView>;

const share = z.number().min(0).max(1).nullable();
const tally = { prescribed: z.number().int(), done: z.number().int(), share };

/** R-ENG-6: what the practitioner sees of a programme. */
export const engagementView = z.object({
  programmeId: z.uuid(),
  from: z.iso.date(),
  to: z.iso.date(),
  trackPain: z.boolean(),
  painAlertAt: z.number().int(),
  inactivityAlertDays: z.number().int().nullable(),
  adherence: z.object(tally),
  weeks: z.array(z.object({ weekStart: z.iso.date(), ...tally })),
  exercises: z.array(z.object({ itemIndex: z.number().int(), name: z.string(), ...tally })),
  /** One point per day with entries: the highest pain of the day and how hard it felt. */
  days: z.array(
    z.object({
      day: z.iso.date(),
      done: z.number().int(),
      pain: z.number().int().nullable(),
      tooEasy: z.number().int(),
      aboutRight: z.number().int(),
      tooHard: z.number().int(),
    }),
  ),
  comments: z.array(z.object({ day: z.iso.date(), exerciseName: z.string().nullable(), text: z.string(), recordedAt: z.iso.datetime() })),
  lastActivityAt: z.iso.datetime().nullable(),
  alerts: z.array(alertView),
});
export type EngagementView = z.infer<typeof engagementView>;

export const engagementQuery = z.strictObject({ days: z.coerce.number().int().min(7).max(365).default(90) });

/** The practitioner's "needs attention" list (R-ENG-6): alerts and unread messages of visible patients. */
export const attentionItemView = z.object({
  kind: z.enum([...ALERT_KINDS, 'message']),
  /** The alert to resolve; null for unread messages (reading the thread clears them). */
  alertId: z.uuid().nullable(),
  at: z.iso.datetime(),
  patient: z.object({ id: z.uuid(), firstName: z.string(), lastName: z.string() }),
  programme: z.object({ id: z.uuid(), title: z.string() }),
  /** For the practitioner's eyes only (never emailed): "pain 8 of 10", "no entries for 5 days", "2 unread messages". */
  detail: z.string(),
});
export type AttentionItemView = z.infer<typeof attentionItemView>;

/** R-ENG-7: what the console shows of the organisation's engagement: counts only. */
export const organisationEngagementView = z.object({
  activeProgrammes: z.number().int(),
  patientsWithActiveProgramme: z.number().int(),
  patientsActiveThisWeek: z.number().int(),
  /** Share of patients with an active programme who recorded something this week. */
  shareActiveThisWeek: share,
});
export type OrganisationEngagementView = z.infer<typeof organisationEngagementView>;

const tags = ['engagement'];
const programmeSubject = { programmeId: 'programme' } as const;

export const engagementContracts = {
  // The patient's device (R-PRG-2, R-ENG-1..5).
  home: defineContract({
    method: 'GET',
    path: '/api/patient/programme',
    access: 'patientDevice',
    tags,
    summary: "The programme on the patient's device: today, the week and this week's entries",
    query: z.strictObject({ day: day.optional() }),
    response: patientHomeView,
  }),
  record: defineContract({
    method: 'PUT',
    path: '/api/patient/entries/:clientId',
    access: 'patientDevice',
    tags,
    summary: 'Record an exercise or the whole session; the same client id is the same entry however often it is sent (R-ENG-1, R-ENG-2)',
    params: clientIdParams,
    body: entryBody,
    example: { day: '2026-12-03', itemIndex: 0, setsDone: 3, pain: 2, difficulty: 'about_right', comment: null },
    response: z.object({ entry: entryView, stored: z.enum(['created', 'updated', 'unchanged']) }),
  }),
  unrecord: defineContract({
    method: 'DELETE',
    path: '/api/patient/entries/:clientId',
    access: 'patientDevice',
    tags,
    summary: "Take back an entry of today (R-ENG-1: the same day's entries can be changed)",
    params: clientIdParams,
    status: 204,
    response: null,
  }),
  patientMessages: defineContract({
    method: 'GET',
    path: '/api/patient/messages',
    access: 'patientDevice',
    tags,
    summary: "The programme's thread with the practice (R-ENG-5)",
    response: z.object({ messages: z.array(messageView) }),
  }),
  patientSend: defineContract({
    method: 'PUT',
    path: '/api/patient/messages/:clientId',
    access: 'patientDevice',
    tags,
    summary: 'Send a message to the practice; the same client id is sent once (R-ENG-5)',
    params: clientIdParams,
    body: messageBody,
    example: { text: 'The second exercise hurts my knee.' },
    response: z.object({ message: messageView }),
  }),
  setReminder: defineContract({
    method: 'PUT',
    path: '/api/patient/reminder',
    access: 'patientDevice',
    tags,
    summary: 'Email reminders on chosen days at a time in the patient’s time zone (R-ENG-4)',
    body: reminderBody,
    example: { weekdays: [1, 3, 5], time: '08:30', timeZone: 'Europe/London', email: null },
    response: z.object({ reminder: reminderView }),
  }),
  clearReminder: defineContract({
    method: 'DELETE',
    path: '/api/patient/reminder',
    access: 'patientDevice',
    tags,
    summary: 'Stop the reminders',
    status: 204,
    response: null,
  }),
  calendar: defineContract({
    method: 'POST',
    path: '/api/patient/calendar',
    access: 'patientDevice',
    tags,
    summary: "A calendar subscription address for this device (iCalendar); a new one replaces the old (R-ENG-4)",
    response: z.object({ url: z.string(), webcalUrl: z.string() }),
  }),
  signOutDevice: defineContract({
    method: 'POST',
    path: '/api/patient/sign-out',
    access: 'patientDevice',
    tags,
    summary: 'Forget this device: the code and year of birth are needed again',
    status: 204,
    response: null,
  }),
  // Public: opened by a calendar app or a mail client, with the secret in the address.
  calendarFeed: defineContract({
    method: 'GET',
    path: '/api/calendar.ics',
    access: 'public',
    tags,
    summary: 'The exercise days as an iCalendar feed (the address holds its secret)',
    query: z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) }),
    response: { raw: 'text/calendar', description: 'An iCalendar (RFC 5545) feed' },
  }),
  unsubscribe: defineContract({
    method: 'POST',
    path: '/api/reminders/unsubscribe',
    access: 'public',
    tags,
    summary: 'One-click unsubscribe from reminder emails (RFC 8058)',
    query: z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) }),
    status: 204,
    response: null,
    unaudited: 'An unknown token records nothing, so that strangers cannot fill the audit trail; a known one records reminder.unsubscribed',
  }),
  // The practitioner (R-ENG-6): every read is recorded like other patient reads.
  engagement: defineContract({
    method: 'GET',
    path: '/api/programmes/:programmeId/engagement',
    access: 'practitioner',
    tags,
    summary: 'Adherence, pain and difficulty over time, comments and last activity (recorded in the audit trail)',
    params: programmeParams,
    subjects: programmeSubject,
    query: engagementQuery,
    response: engagementView,
  }),
  messages: defineContract({
    method: 'GET',
    path: '/api/programmes/:programmeId/messages',
    access: 'practitioner',
    tags,
    summary: "The programme's thread with the patient; reading marks the patient's messages read",
    params: programmeParams,
    subjects: programmeSubject,
    response: z.object({ messages: z.array(messageView), canReply: z.boolean() }),
  }),
  send: defineContract({
    method: 'PUT',
    path: '/api/programmes/:programmeId/messages/:clientId',
    access: 'practitioner',
    tags,
    summary: 'Reply to the patient; the same client id is sent once',
    params: programmeParams.extend(clientIdParams.shape),
    subjects: programmeSubject,
    body: messageBody,
    example: { text: 'Leave that one out until we meet on Thursday.' },
    response: z.object({ message: messageView }),
  }),
  devices: defineContract({
    method: 'GET',
    path: '/api/programmes/:programmeId/devices',
    access: 'practitioner',
    tags,
    summary: 'The devices that opened the programme',
    params: programmeParams,
    subjects: programmeSubject,
    response: z.object({ devices: z.array(deviceView) }),
  }),
  revokeDevice: defineContract({
    method: 'DELETE',
    path: '/api/programmes/:programmeId/devices/:deviceId',
    access: 'practitioner',
    tags,
    summary: 'Sign a device out: its next request is refused (R-PRG-2)',
    params: programmeParams.extend({ deviceId: z.uuid({ message: 'Not a device id.' }) }),
    subjects: programmeSubject,
    status: 204,
    response: null,
  }),
  resolveAlert: defineContract({
    method: 'POST',
    path: '/api/programmes/:programmeId/alerts/:alertId/resolve',
    access: 'practitioner',
    tags,
    summary: 'Mark an alert as seen to',
    params: programmeParams.extend({ alertId: z.uuid({ message: 'Not an alert id.' }) }),
    subjects: programmeSubject,
    status: 204,
    response: null,
  }),
  attention: defineContract({
    method: 'GET',
    path: '/api/attention',
    access: 'practitioner',
    tags,
    summary: "What needs the practitioner's attention: alerts and unread messages of their patients (recorded in the audit trail)",
    response: z.object({ items: z.array(attentionItemView) }),
  }),
  handout: defineContract({
    method: 'GET',
    path: '/api/programmes/:programmeId/handout.pdf',
    access: 'practitioner',
    tags,
    summary: "The programme as a printable PDF with the practice's logo and a QR code (R-PRG-2, R-ENG-8)",
    params: programmeParams,
    subjects: programmeSubject,
    response: { raw: 'application/pdf', description: 'An A4 PDF handout' },
  }),
  organisation: defineContract({
    method: 'GET',
    path: '/api/organisations/:orgId/engagement',
    access: 'org:users',
    tags,
    summary: "The organisation's engagement as counts only (R-ENG-7)",
    params: orgParams,
    response: organisationEngagementView,
  }),
};
