/**
 * The patient's day and week (R-ENG-1): which exercises are due today, how many times, what was
 * done, and the words the page reads aloud (R-ENG-8). Pure functions of the programme, the week's
 * plan from the server and the entries (those the server holds and those still on the phone).
 */
import type { DayPlanView, EntryView, PatientHomeView } from '../../../../src/engagement/schemas.ts';
import type { PatientProgrammeView } from '../../../../src/programmes/schemas.ts';
import { describeDose, describeTimesPerDay, WEEKDAYS } from '../../programmes/describe.ts';

export type PatientItem = PatientProgrammeView['items'][number];

/** An entry as the page shows it: `pending` while it is only on this phone. */
export type LocalEntry = EntryView & { pending: boolean };

/** The device's own calendar day, "2026-12-03" (the patient's time zone). */
export function localDay(date: Date): string {
  const y = String(date.getFullYear()).padStart(4, '0');
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

function utc(day: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!));
}

export function addDays(day: string, days: number): string {
  const date = utc(day);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: string): number {
  const weekday = utc(day).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

/** The seven days, Monday first, of the week holding `day`. */
export function weekDays(day: string): string[] {
  const monday = addDays(day, 1 - isoWeekday(day));
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/**
 * The week's plan worked out on the phone, for a day the last answer of the server does not cover
 * (opened offline in a new week): chosen weekdays, days per week (any days, so offered every day),
 * or every day; times per day; nothing before the start or after the end date.
 */
export function planWeek(programme: Pick<PatientProgrammeView, 'items' | 'startDate' | 'endDate'>, day: string): DayPlanView[] {
  return weekDays(day).map((d) => {
    const weekday = isoWeekday(d);
    const running = d >= programme.startDate && (programme.endDate === null || d <= programme.endDate);
    const items: DayPlanView['items'] = [];
    if (running) {
      programme.items.forEach((item, itemIndex) => {
        const times = item.timesPerDay ?? 1;
        if (item.weekdays && item.weekdays.length > 0) {
          if (item.weekdays.includes(weekday)) items.push({ itemIndex, times, flexible: false });
        } else {
          // As the server plans it (src/engagement/schedule.ts): "days per week" is offered every day.
          items.push({ itemIndex, times, flexible: item.daysPerWeek !== null });
        }
      });
    }
    return { day: d, weekday, items };
  });
}

/** The week to show on `today`: the server's when it covers that day, otherwise worked out here. */
export function weekFor(home: Pick<PatientHomeView, 'week' | 'programme'>, today: string): DayPlanView[] {
  if (home.week.some((d) => d.day === today)) return home.week;
  return planWeek(home.programme, today);
}

/** A queued change as far as entries are concerned (messages and others are passed over). */
export interface QueuedChange {
  kind: string;
  clientId?: string;
  body?: Pick<EntryView, 'day' | 'itemIndex' | 'setsDone' | 'pain' | 'difficulty' | 'comment'>;
  recordedAt?: string;
  queuedAt?: string;
}

/**
 * The entries as the patient sees them: the server's, with what is still waiting on the phone laid
 * over them (a queued change wins: it is newer than anything the server answered).
 */
export function mergeEntries(server: readonly EntryView[], queued: readonly QueuedChange[]): LocalEntry[] {
  const byId = new Map<string, LocalEntry>();
  for (const entry of server) byId.set(entry.clientId, { ...entry, pending: false });
  for (const change of queued) {
    if (change.kind === 'unentry' && change.clientId) byId.delete(change.clientId);
    if (change.kind === 'entry' && change.clientId && change.body) {
      const previous = byId.get(change.clientId);
      byId.set(change.clientId, {
        clientId: change.clientId,
        ...change.body,
        recordedAt: previous?.recordedAt ?? change.recordedAt ?? change.queuedAt ?? '',
        updatedAt: change.queuedAt ?? '',
        pending: true,
      });
    }
  }
  return [...byId.values()].sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
}

export interface ItemToday {
  itemIndex: number;
  /** Due today (in today's plan). */
  due: boolean;
  /** Sessions due today (times per day). */
  times: number;
  /** This exercise's own entries today, oldest first. */
  entries: LocalEntry[];
  /** Done today: its own entries, or all of them when the whole session was recorded. */
  done: number;
  /** "Any N days this week": the target and the days done so far. */
  flexible: { target: number; daysDone: number } | null;
  /** The next day this week it is due on, when not today. */
  nextDay: string | null;
}

function daysWith(week: readonly DayPlanView[], entries: readonly LocalEntry[], itemIndex: number): Set<string> {
  const days = new Set<string>();
  for (const entry of entries) {
    if (entry.itemIndex === itemIndex) days.add(entry.day);
    if (entry.itemIndex === null && week.some((d) => d.day === entry.day && d.items.some((i) => i.itemIndex === itemIndex))) days.add(entry.day);
  }
  return days;
}

/** Where one exercise stands today. */
export function itemToday(
  item: Pick<PatientItem, 'daysPerWeek'>,
  itemIndex: number,
  week: readonly DayPlanView[],
  entries: readonly LocalEntry[],
  today: string,
): ItemToday {
  const plan = week.find((d) => d.day === today)?.items.find((i) => i.itemIndex === itemIndex) ?? null;
  const own = entries.filter((e) => e.day === today && e.itemIndex === itemIndex);
  const wholeSession = entries.some((e) => e.day === today && e.itemIndex === null);
  const times = plan?.times ?? 1;
  const isFlexible = plan?.flexible ?? item.daysPerWeek !== null;
  const inWeek = new Set(week.map((d) => d.day));
  const flexible = isFlexible && item.daysPerWeek !== null
    ? { target: item.daysPerWeek, daysDone: [...daysWith(week, entries, itemIndex)].filter((d) => inWeek.has(d)).length }
    : null;
  const nextDay = plan ? null : (week.find((d) => d.day > today && d.items.some((i) => i.itemIndex === itemIndex))?.day ?? null);
  return {
    itemIndex,
    due: plan !== null,
    times,
    entries: own,
    done: wholeSession && plan ? Math.max(own.length, times) : own.length,
    flexible,
    nextDay,
  };
}

/** "Wednesday" for a day. */
export function weekdayName(day: string): string {
  return WEEKDAYS[isoWeekday(day) - 1]!.long;
}

/** "3 December" (in the device's language), without shifting the day by time zone. */
export function dayMonth(day: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(utc(day));
}

export function weekdayShort(day: string): string {
  return WEEKDAYS[isoWeekday(day) - 1]!.short;
}

/** One day of the week overview: each exercise due with what was done of it. */
export interface DaySummary {
  day: string;
  isToday: boolean;
  items: { itemIndex: number; times: number; done: number; flexible: boolean }[];
  wholeSession: boolean;
  /** Entries of exercises not planned that day. */
  extra: number;
}

export function summariseWeek(week: readonly DayPlanView[], entries: readonly LocalEntry[], today: string): DaySummary[] {
  return week.map((d) => {
    const ofDay = entries.filter((e) => e.day === d.day);
    const wholeSession = ofDay.some((e) => e.itemIndex === null);
    const planned = new Set(d.items.map((i) => i.itemIndex));
    return {
      day: d.day,
      isToday: d.day === today,
      wholeSession,
      items: d.items.map((i) => {
        const own = ofDay.filter((e) => e.itemIndex === i.itemIndex).length;
        return { itemIndex: i.itemIndex, times: i.times, flexible: i.flexible, done: wholeSession ? Math.max(own, i.times) : own };
      }),
      extra: ofDay.filter((e) => e.itemIndex !== null && !planned.has(e.itemIndex)).length,
    };
  });
}

/** The patient's words for a pain score (R-ENG-1). */
export function painWords(pain: number): string {
  if (pain <= 0) return 'no pain';
  if (pain <= 3) return 'mild pain';
  if (pain <= 6) return 'moderate pain';
  if (pain <= 9) return 'severe pain';
  return 'worst pain imaginable';
}

export const DIFFICULTY_WORDS = { too_easy: 'Too easy', about_right: 'About right', too_hard: 'Too hard' } as const;

/** "Any 3 days this week — 1 done so far". */
export function describeFlexible(target: number, daysDone: number): string {
  const days = target >= 7 ? 'every day this week' : target === 1 ? 'any 1 day this week' : `any ${target} days this week`;
  if (daysDone >= target) return `${days} — all ${target} done, well done`;
  return `${days} — ${daysDone} done so far`;
}

/** "Monday, Wednesday and Friday". */
function spokenDays(weekdays: readonly number[]): string {
  const names = [...new Set(weekdays)].sort((a, b) => a - b).map((d) => WEEKDAYS[d - 1]?.long ?? String(d));
  if (names.length === 7) return 'every day';
  return names.length > 1 ? `on ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : `on ${names[0] ?? ''}`;
}

function sentence(text: string): string {
  const spoken = text
    .replace(/\u00a0/g, ' ')
    .replace(/\b(\d+) s\b/g, (_, n: string) => `${n} ${n === '1' ? 'second' : 'seconds'}`)
    .replace(/\b(\d+) min\b/g, (_, n: string) => `${n} ${n === '1' ? 'minute' : 'minutes'}`)
    .trim();
  return spoken ? `${spoken.charAt(0).toUpperCase()}${spoken.slice(1)}.` : '';
}

/** What "Read aloud" says for an exercise (R-ENG-8): its name, dose, how often, instructions and steps. */
export function readAloudText(item: PatientItem, index: number): string {
  const name = item.exercise?.name ?? 'Exercise';
  const often = [
    item.timesPerDay !== null ? describeTimesPerDay(item.timesPerDay) : null,
    item.weekdays && item.weekdays.length > 0 ? spokenDays(item.weekdays) : item.daysPerWeek !== null ? (item.daysPerWeek === 7 ? 'every day' : `${item.daysPerWeek} ${item.daysPerWeek === 1 ? 'day' : 'days'} a week`) : null,
  ].filter(Boolean);
  const parts = [`Exercise ${index + 1}: ${name}.`, sentence(describeDose(item)), sentence(often.join(', '))];
  if (item.instructions) parts.push(`From your practitioner: ${item.instructions}`);
  if (item.exercise?.description) parts.push(item.exercise.description);
  if (item.exercise && item.exercise.steps.length > 0) {
    parts.push('How to do it.');
    item.exercise.steps.forEach((step, i) => parts.push(`Step ${i + 1}: ${step}`));
  }
  return parts.filter(Boolean).join(' ');
}
