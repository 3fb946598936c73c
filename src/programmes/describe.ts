/**
 * An exercise's parameters in plain words, as the patient reads them and the practitioner checks
 * them: "3 sets of 10 repetitions, hold 5 s, rest 30 s — twice a day on Mon, Wed, Fri". Pure, so the
 * web app and the printed handout (R-ENG-8) word a dose the same way.
 */
import type { ExerciseDefaults } from '../exercises/schemas.ts';
import type { ItemParameters } from './schemas.ts';

/** Short weekday names, Monday first (1 = Monday … 7 = Sunday, as the API counts them). */
export const WEEKDAYS = [
  { value: 1, short: 'Mon', long: 'Monday' },
  { value: 2, short: 'Tue', long: 'Tuesday' },
  { value: 3, short: 'Wed', long: 'Wednesday' },
  { value: 4, short: 'Thu', long: 'Thursday' },
  { value: 5, short: 'Fri', long: 'Friday' },
  { value: 6, short: 'Sat', long: 'Saturday' },
  { value: 7, short: 'Sun', long: 'Sunday' },
] as const;

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Keeps a number on the same line as its unit. */
const NBSP = '\u00a0';

/** 45 → "45 s", 60 → "1 min", 90 → "1 min 30 s" (a number never wraps away from its unit). */
export function describeSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds}${NBSP}s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes}${NBSP}min` : `${minutes}${NBSP}min ${rest}${NBSP}s`;
}

type Dose = Pick<ItemParameters, 'sets' | 'reps' | 'durationSeconds' | 'holdSeconds' | 'restSeconds'>;

/** "3 sets of 10 repetitions, hold 5 s, rest 30 s"; "2 sets of 45 s"; "" when nothing is given. */
export function describeDose(dose: Dose): string {
  const amount =
    dose.reps !== null ? count(dose.reps, 'repetition', 'repetitions') : dose.durationSeconds !== null ? describeSeconds(dose.durationSeconds) : null;
  const parts: string[] = [];
  if (dose.sets !== null) parts.push(amount ? `${count(dose.sets, 'set', 'sets')} of ${amount}` : count(dose.sets, 'set', 'sets'));
  else if (amount) parts.push(amount);
  if (dose.holdSeconds !== null) parts.push(`hold ${describeSeconds(dose.holdSeconds)}`);
  if (dose.restSeconds !== null && dose.restSeconds > 0) parts.push(`rest ${describeSeconds(dose.restSeconds)}`);
  return parts.join(', ');
}

/** 1 → "once a day", 2 → "twice a day", 3 → "3 times a day". */
export function describeTimesPerDay(times: number): string {
  if (times === 1) return 'once a day';
  if (times === 2) return 'twice a day';
  return `${times} times a day`;
}

/** [5, 1, 3] → "Mon, Wed, Fri"; all seven → "every day". */
export function describeWeekdays(weekdays: readonly number[]): string {
  const days = [...new Set(weekdays)].sort((a, b) => a - b);
  if (days.length === 7) return 'every day';
  return days.map((day) => WEEKDAYS.find((w) => w.value === day)?.short ?? String(day)).join(', ');
}

type Frequency = Pick<ItemParameters, 'timesPerDay' | 'daysPerWeek' | 'weekdays'>;

/** "twice a day on Mon, Wed, Fri", "3 days a week", "once a day, every day"; "" when nothing is given. */
export function describeFrequency(frequency: Frequency): string {
  const times = frequency.timesPerDay !== null ? describeTimesPerDay(frequency.timesPerDay) : null;
  const chosen = frequency.weekdays && frequency.weekdays.length > 0 ? describeWeekdays(frequency.weekdays) : null;
  const perWeek =
    frequency.daysPerWeek === null ? null : frequency.daysPerWeek === 7 ? 'every day' : `${count(frequency.daysPerWeek, 'day', 'days')} a week`;
  const days = chosen ?? perWeek;
  if (times && days) return chosen && chosen !== 'every day' ? `${times} on ${days}` : `${times}, ${days}`;
  return times ?? days ?? '';
}

/** The whole line: "3 sets of 10 repetitions, hold 5 s, rest 30 s — Mon, Wed, Fri". */
export function describeItem(item: Dose & Frequency): string {
  return [describeDose(item), describeFrequency(item)].filter((part) => part !== '').join(' — ');
}

/** An exercise's suggested dose, as the library shows it. */
export function describeDefaults(defaults: ExerciseDefaults): string {
  return describeDose({
    sets: defaults.sets,
    reps: defaults.reps ?? null,
    durationSeconds: defaults.reps === undefined ? (defaults.durationSeconds ?? null) : null,
    holdSeconds: defaults.holdSeconds ?? null,
    restSeconds: defaults.restSeconds,
  });
}
