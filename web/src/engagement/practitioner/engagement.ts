/**
 * What the practitioner sees of a programme's engagement (R-ENG-5, R-ENG-6), worked out from the
 * server's answers: chart data, the plain-words summaries that go with every chart, and the labels
 * of alerts, attention items and devices. Pure functions, so they can be tested without a browser.
 */
import type { AttentionItemView, DeviceView, EngagementView } from '../../../../src/engagement/schemas.ts';
import type { ProgrammeState } from '../../../../src/programmes/schemas.ts';
import { newClientId } from '../patient/ids.ts';

/** The periods the engagement panel offers (R-ENG-6), in days. */
export const ENGAGEMENT_PERIODS = [30, 90, 180] as const;
export type EngagementPeriod = (typeof ENGAGEMENT_PERIODS)[number];
export const DEFAULT_PERIOD: EngagementPeriod = 90;

/** The programme builder's alert settings (R-ENG-6). */
export const PAIN_ALERT = { min: 0, max: 10, default: 7 } as const;
export const INACTIVITY_ALERT = { min: 1, max: 60, default: 3 } as const;

type Tally = { prescribed: number; done: number; share: number | null };
type EngagementDay = EngagementView['days'][number];

/** "60%", or "—" when nothing was prescribed. */
export function percent(share: number | null): string {
  return share === null ? '—' : `${Math.round(share * 100)}%`;
}

/** A calendar day ("2026-11-03") as a short axis label ("3 Nov"), without shifting it by time zone. */
export function shortDay(day: string, locale?: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return day;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(date);
}

/** "just now", "5 minutes ago", "3 hours ago", "yesterday", "2 days ago". */
export function timeAgo(iso: string, now: Date): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return 'at an unknown time';
  const minutes = Math.floor((now.getTime() - then) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  const days = Math.floor(hours / 24);
  if (days === 1) return 'yesterday';
  return `${days} days ago`;
}

/** "Last activity 2 days ago", or that nothing was recorded. */
export function lastActivityText(lastActivityAt: string | null, now: Date): string {
  return lastActivityAt ? `Last activity ${timeAgo(lastActivityAt, now)}` : 'Nothing recorded yet';
}

/** "12 of 20 prescribed sessions done (60%)." */
export function adherenceSummary(adherence: Tally): string {
  if (adherence.prescribed === 0) {
    return adherence.done === 0 ? 'No sessions were prescribed in this period.' : `${adherence.done} sessions done; none were prescribed in this period.`;
  }
  return `${adherence.done} of ${adherence.prescribed} prescribed sessions done (${percent(adherence.share)}).`;
}

export interface WeekPoint {
  weekStart: string;
  /** The axis label: "3 Nov". */
  week: string;
  /** Share done as a whole percentage; null when nothing was prescribed that week. */
  percent: number | null;
  done: number;
  prescribed: number;
}

export function weekChartData(weeks: EngagementView['weeks'], locale?: string): WeekPoint[] {
  return weeks.map((w) => ({
    weekStart: w.weekStart,
    week: shortDay(w.weekStart, locale),
    percent: w.share === null ? null : Math.round(w.share * 100),
    done: w.done,
    prescribed: w.prescribed,
  }));
}

/** "Adherence went from 40% in the week of 3 Nov to 75% in the week of 24 Nov." */
export function weeksSummary(weeks: EngagementView['weeks'], locale?: string): string {
  const counted = weeks.filter((w) => w.share !== null);
  if (counted.length === 0) return 'No sessions were prescribed in these weeks.';
  const first = counted[0]!;
  const last = counted[counted.length - 1]!;
  if (counted.length === 1) return `In the week of ${shortDay(first.weekStart, locale)}, ${percent(first.share)} of prescribed sessions were done.`;
  const best = counted.reduce((a, b) => ((b.share ?? 0) > (a.share ?? 0) ? b : a));
  const trend =
    first.share === last.share
      ? `Adherence was ${percent(first.share)} in the week of ${shortDay(first.weekStart, locale)} and in the week of ${shortDay(last.weekStart, locale)}.`
      : `Adherence went from ${percent(first.share)} in the week of ${shortDay(first.weekStart, locale)} to ${percent(last.share)} in the week of ${shortDay(last.weekStart, locale)}.`;
  return `${trend} Best week: ${shortDay(best.weekStart, locale)} (${percent(best.share)}).`;
}

/** The exercises, least done first, so what the patient skips shows at the top. */
export function exercisesByShare(exercises: EngagementView['exercises']): EngagementView['exercises'] {
  return [...exercises].sort((a, b) => (a.share ?? 2) - (b.share ?? 2) || a.itemIndex - b.itemIndex);
}

export interface PainPoint {
  day: string;
  label: string;
  pain: number;
}

/** One point per day with a pain rating, in day order. */
export function painChartData(days: readonly EngagementDay[], locale?: string): PainPoint[] {
  return days
    .filter((d): d is EngagementDay & { pain: number } => d.pain !== null)
    .sort((a, b) => a.day.localeCompare(b.day))
    .map((d) => ({ day: d.day, label: shortDay(d.day, locale), pain: d.pain }));
}

/**
 * "Pain went from 3 to 8 over the last 3 entries. Highest: 8 of 10 on 5 Nov, at or above the alert
 * level of 7." The trend is read over the last three ratings, as the rising-pain alert is (R-ENG-6).
 */
export function painSummary(points: readonly PainPoint[], alertAt: number, locale?: string): string {
  if (points.length === 0) return 'No pain ratings yet.';
  if (points.length === 1) {
    const only = points[0]!;
    return `One rating so far: pain ${only.pain} of 10 on ${shortDay(only.day, locale)}${only.pain >= alertAt ? `, at or above the alert level of ${alertAt}` : ''}.`;
  }
  const recent = points.slice(-3);
  const from = recent[0]!.pain;
  const to = recent[recent.length - 1]!.pain;
  const over = `over the last ${recent.length} entries`;
  const trend = from === to ? `Pain stayed at ${to} ${over}.` : `Pain went from ${from} to ${to} ${over}.`;
  const highest = points.reduce((a, b) => (b.pain >= a.pain ? b : a));
  const level = highest.pain >= alertAt ? `, at or above the alert level of ${alertAt}` : `; the alert level is ${alertAt}`;
  return `${trend} Highest: ${highest.pain} of 10 on ${shortDay(highest.day, locale)}${level}.`;
}

export interface DifficultyPoint {
  day: string;
  label: string;
  tooEasy: number;
  aboutRight: number;
  tooHard: number;
}

export const DIFFICULTY_LABELS = { tooEasy: 'Too easy', aboutRight: 'About right', tooHard: 'Too hard' } as const;

/** One point per day with a difficulty rating, in day order. */
export function difficultyChartData(days: readonly EngagementDay[], locale?: string): DifficultyPoint[] {
  return days
    .filter((d) => d.tooEasy + d.aboutRight + d.tooHard > 0)
    .sort((a, b) => a.day.localeCompare(b.day))
    .map((d) => ({ day: d.day, label: shortDay(d.day, locale), tooEasy: d.tooEasy, aboutRight: d.aboutRight, tooHard: d.tooHard }));
}

/** "Of 12 ratings: 2 too easy, 8 about right, 2 too hard. Latest (5 Nov): too hard." */
export function difficultySummary(points: readonly DifficultyPoint[], locale?: string): string {
  if (points.length === 0) return 'No difficulty ratings yet.';
  const sum = (key: keyof typeof DIFFICULTY_LABELS) => points.reduce((n, p) => n + p[key], 0);
  const totals = { tooEasy: sum('tooEasy'), aboutRight: sum('aboutRight'), tooHard: sum('tooHard') };
  const all = totals.tooEasy + totals.aboutRight + totals.tooHard;
  const last = points[points.length - 1]!;
  const keys = Object.keys(DIFFICULTY_LABELS) as (keyof typeof DIFFICULTY_LABELS)[];
  const latest = keys
    .filter((k) => last[k] > 0)
    .map((k) => DIFFICULTY_LABELS[k].toLowerCase())
    .join(', ');
  return `Of ${all} rating${all === 1 ? '' : 's'}: ${totals.tooEasy} too easy, ${totals.aboutRight} about right, ${totals.tooHard} too hard. Latest (${shortDay(last.day, locale)}): ${latest}.`;
}

/** The patient's comments, newest first. */
export function commentsNewestFirst(comments: EngagementView['comments']): EngagementView['comments'] {
  return [...comments].sort((a, b) => b.recordedAt.localeCompare(a.recordedAt) || b.day.localeCompare(a.day));
}

/** Whether the patient has recorded anything at all in the period. */
export function hasEntries(view: Pick<EngagementView, 'days' | 'comments' | 'lastActivityAt'>): boolean {
  return view.days.length > 0 || view.comments.length > 0;
}

type AlertKind = EngagementView['alerts'][number]['kind'];

/** What an open alert means, with the programme's own settings. */
export function alertLabel(kind: AlertKind, settings: { painAlertAt: number; inactivityAlertDays: number | null }): string {
  switch (kind) {
    case 'pain_high':
      return `Pain reached ${settings.painAlertAt} or more`;
    case 'pain_rising':
      return 'Pain rose over the last three entries';
    case 'inactive':
      return settings.inactivityAlertDays === null ? 'No activity recorded' : `Nothing recorded for ${settings.inactivityAlertDays} days or more`;
  }
}

type AttentionKind = AttentionItemView['kind'];

export const ATTENTION_LABELS: Record<AttentionKind, { label: string; color: string }> = {
  pain_high: { label: 'High pain', color: 'red' },
  pain_rising: { label: 'Pain rising', color: 'orange' },
  inactive: { label: 'No activity', color: 'yellow' },
  message: { label: 'Message', color: 'indigo' },
};

/** Pain first, then messages, then inactivity; the newest first within each kind. */
export function attentionInOrder(items: readonly AttentionItemView[]): AttentionItemView[] {
  const rank: Record<AttentionKind, number> = { pain_high: 0, pain_rising: 1, message: 2, inactive: 3 };
  return [...items].sort((a, b) => rank[a.kind] - rank[b.kind] || b.at.localeCompare(a.at));
}

/** The patient page of an attention item, opened at the programme's messages for a message. */
export function attentionLink(item: Pick<AttentionItemView, 'kind' | 'patient' | 'programme'>): string {
  const tab = item.kind === 'message' ? 'messages' : 'progress';
  return `/patients/${item.patient.id}?programme=${item.programme.id}&tab=${tab}#programme-${item.programme.id}`;
}

/** Unread messages per programme, from the attention list. */
export function unreadByProgramme(items: readonly AttentionItemView[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const item of items) if (item.kind === 'message') map.set(item.programme.id, item.detail);
  return map;
}

/** Why the practitioner cannot reply in this programme's thread (R-ENG-3). */
export function replyBlockedReason(state: ProgrammeState): string {
  switch (state) {
    case 'ended':
      return 'This programme has ended, so no new messages can be sent in it. Assign a new programme to keep in touch through Motus.';
    case 'disabled':
      return 'This programme is paused because your access was removed, so no messages can be sent in it.';
    case 'active':
      // Active but read-only: the licence of the patient's practitioner does not let them work now.
      return "No messages can be sent in this programme for now: the patient's practitioner holds no active licence, so the programme is read-only.";
  }
}

/** "Signed out", "Active": what a device's row says. */
export function deviceStatus(device: Pick<DeviceView, 'signedOut'>): { label: string; color: string } {
  return device.signedOut ? { label: 'Signed out', color: 'gray' } : { label: 'Signed in', color: 'green' };
}

/** A device's label as a name at the start of a sentence: "a browser" → "A browser". */
export function deviceName(label: string): string {
  const trimmed = label.trim();
  return trimmed === '' ? 'A device' : trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
}

/** Devices still signed in first, the most recently seen first. */
export function devicesInOrder(devices: readonly DeviceView[]): DeviceView[] {
  return [...devices].sort((a, b) => Number(a.signedOut) - Number(b.signedOut) || b.lastSeenAt.localeCompare(a.lastSeenAt));
}

/**
 * The client id of the message being typed: the same while the text stays the same (a resend after
 * a lost answer is the same message, R-ENG-5), a new one for a changed text or after it was sent.
 */
export function clientIdKeeper(make: () => string = () => newClientId()) {
  let last: { text: string; id: string } | null = null;
  return {
    idFor(text: string): string {
      if (last && last.text === text) return last.id;
      last = { text, id: make() };
      return last.id;
    },
    reset(): void {
      last = null;
    },
  };
}

/** The organisation's counts in words (R-ENG-7). */
export function organisationSummary(counts: { activeProgrammes: number; patientsWithActiveProgramme: number; patientsActiveThisWeek: number; shareActiveThisWeek: number | null }): string {
  if (counts.patientsWithActiveProgramme === 0) return 'No patient has an active programme yet.';
  return `${counts.patientsActiveThisWeek} of ${counts.patientsWithActiveProgramme} patients with an active programme recorded something this week (${percent(counts.shareActiveThisWeek)}).`;
}
