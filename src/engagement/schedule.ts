/**
 * When a programme's exercises are due, and how many prescribed sessions were done (R-ENG-1,
 * R-ENG-6). Pure: calendar days are 'YYYY-MM-DD' strings, weeks run Monday to Sunday.
 *
 * An exercise is due on its chosen weekdays; with "days per week" on any days the patient chooses,
 * up to that many a week; with neither, every day. Each due day holds `timesPerDay` sessions (one
 * when not given). A session is done by an entry for that exercise on that day, or by an entry for
 * the whole session; entries beyond what was prescribed do not raise adherence above 100%.
 */

export interface ScheduledItem {
  timesPerDay: number | null;
  daysPerWeek: number | null;
  weekdays: number[] | null;
}

export interface DoneEntry {
  day: string;
  /** null: the whole session. */
  itemIndex: number | null;
  /** Sets done, when counted: an entry of no sets is no session done. */
  setsDone?: number | null;
}

export interface Due {
  itemIndex: number;
  times: number;
  flexible: boolean;
}

export interface Tally {
  prescribed: number;
  done: number;
  share: number | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function toUtc(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return fromUtc(toUtc(day) + n * DAY_MS);
}

/** 1 = Monday … 7 = Sunday. */
export function weekdayOf(day: string): number {
  const d = new Date(toUtc(day)).getUTCDay();
  return d === 0 ? 7 : d;
}

export function mondayOf(day: string): string {
  return addDays(day, 1 - weekdayOf(day));
}

export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY_MS);
}

/** Each day from `from` to `to`, both included. */
export function eachDay(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

function timesOf(item: ScheduledItem): number {
  return item.timesPerDay ?? 1;
}

/** The exercises due on `day` (flexible ones are offered every day of their week). */
export function dueOn(items: ScheduledItem[], day: string): Due[] {
  const weekday = weekdayOf(day);
  const due: Due[] = [];
  items.forEach((item, itemIndex) => {
    if (item.weekdays) {
      if (item.weekdays.includes(weekday)) due.push({ itemIndex, times: timesOf(item), flexible: false });
    } else {
      due.push({ itemIndex, times: timesOf(item), flexible: item.daysPerWeek !== null });
    }
  });
  return due;
}

export interface Period {
  startDate: string;
  endDate: string | null;
}

function within(day: string, p: Period): boolean {
  return day >= p.startDate && (p.endDate === null || day <= p.endDate);
}

/** The week of `day` (Monday to Sunday), each day with what is due; days outside the programme have nothing. */
export function weekPlan(items: ScheduledItem[], day: string, period: Period): Array<{ day: string; weekday: number; items: Due[] }> {
  const monday = mondayOf(day);
  return Array.from({ length: 7 }, (_, i) => {
    const d = addDays(monday, i);
    return { day: d, weekday: i + 1, items: within(d, period) ? dueOn(items, d) : [] };
  });
}

function share(done: number, prescribed: number): number | null {
  return prescribed === 0 ? null : Math.round((done / prescribed) * 1000) / 1000;
}

/** Sessions of one item prescribed, and done, in the days `days` (all of one week, in order). */
function tallyWeek(item: ScheduledItem, itemIndex: number, days: string[], doneOn: (day: string, itemIndex: number) => number): { prescribed: number; done: number } {
  const times = timesOf(item);
  if (item.weekdays) {
    const dueDays = days.filter((d) => item.weekdays!.includes(weekdayOf(d)));
    return { prescribed: dueDays.length * times, done: dueDays.reduce((n, d) => n + Math.min(times, doneOn(d, itemIndex)), 0) };
  }
  if (item.daysPerWeek !== null) {
    // A part week (the programme starts or ends in it) asks for no more days than it has.
    const wanted = Math.min(item.daysPerWeek, days.length);
    const perDay = days.map((d) => Math.min(times, doneOn(d, itemIndex))).sort((a, b) => b - a);
    return { prescribed: wanted * times, done: perDay.slice(0, wanted).reduce((n, x) => n + x, 0) };
  }
  return { prescribed: days.length * times, done: days.reduce((n, d) => n + Math.min(times, doneOn(d, itemIndex)), 0) };
}

/**
 * Adherence over the days `from`…`to` that lie within the programme: overall, per week (by its
 * Monday) and per exercise.
 */
export function adherence(items: ScheduledItem[], entries: DoneEntry[], from: string, to: string, period: Period) {
  const start = from > period.startDate ? from : period.startDate;
  const end = period.endDate !== null && period.endDate < to ? period.endDate : to;
  const perItemDay = new Map<string, number>();
  const wholeDay = new Map<string, number>();
  for (const e of entries) {
    if (e.day < start || e.day > end || e.setsDone === 0) continue;
    if (e.itemIndex === null) wholeDay.set(e.day, (wholeDay.get(e.day) ?? 0) + 1);
    else perItemDay.set(`${e.day}:${e.itemIndex}`, (perItemDay.get(`${e.day}:${e.itemIndex}`) ?? 0) + 1);
  }
  const doneOn = (day: string, itemIndex: number) => (perItemDay.get(`${day}:${itemIndex}`) ?? 0) + (wholeDay.get(day) ?? 0);

  const weeks: Array<{ weekStart: string } & Tally> = [];
  const perItem = items.map(() => ({ prescribed: 0, done: 0 }));
  if (start <= end) {
    for (let monday = mondayOf(start); monday <= end; monday = addDays(monday, 7)) {
      const days = eachDay(monday, addDays(monday, 6)).filter((d) => d >= start && d <= end);
      let prescribed = 0;
      let done = 0;
      items.forEach((item, i) => {
        const t = tallyWeek(item, i, days, doneOn);
        prescribed += t.prescribed;
        done += t.done;
        perItem[i]!.prescribed += t.prescribed;
        perItem[i]!.done += t.done;
      });
      weeks.push({ weekStart: monday, prescribed, done, share: share(done, prescribed) });
    }
  }
  const prescribed = perItem.reduce((n, t) => n + t.prescribed, 0);
  const done = perItem.reduce((n, t) => n + t.done, 0);
  return {
    overall: { prescribed, done, share: share(done, prescribed) },
    weeks,
    exercises: perItem.map((t, itemIndex) => ({ itemIndex, ...t, share: share(t.done, t.prescribed) })),
  };
}

/** R-ENG-6: pain rose over the last three ratings (each higher than the one before). */
export function painRising(ratings: number[]): boolean {
  if (ratings.length < 3) return false;
  const [a, b, c] = ratings.slice(-3) as [number, number, number];
  return a < b && b < c;
}
