/** R-ENG-1, R-ENG-8: today's exercises, the week, and what is read aloud. */
import { describe, expect, it } from 'vitest';
import type { DayPlanView, EntryView } from '../../../../src/engagement/schemas.ts';
import { describeFlexible, isoWeekday, itemToday, localDay, mergeEntries, painWords, planWeek, readAloudText, summariseWeek, weekDays, weekFor, type LocalEntry, type PatientItem } from './plan.ts';

function item(over: Partial<PatientItem> = {}): PatientItem {
  return {
    sets: 3,
    reps: 10,
    durationSeconds: null,
    holdSeconds: 5,
    restSeconds: null,
    timesPerDay: null,
    daysPerWeek: null,
    weekdays: null,
    instructions: null,
    exercise: { name: 'Heel slides', bodyRegion: 'knee', equipment: [], description: 'Slide the heel towards you.', steps: ['Lie on your back.', 'Slide the heel.'], illustrationUrl: null },
    ...over,
  };
}

function entry(over: Partial<LocalEntry>): LocalEntry {
  return { clientId: crypto.randomUUID(), day: '2026-12-03', itemIndex: 0, setsDone: 3, pain: null, difficulty: null, comment: null, recordedAt: '2026-12-03T09:00:00.000Z', updatedAt: '2026-12-03T09:00:00.000Z', pending: false, ...over };
}

describe('days', () => {
  it('uses the device’s own calendar day and weeks from Monday', () => {
    expect(localDay(new Date(2026, 11, 3, 23, 59))).toBe('2026-12-03');
    expect(isoWeekday('2026-12-03')).toBe(4);
    expect(isoWeekday('2026-12-06')).toBe(7);
    expect(weekDays('2026-12-06')).toEqual(['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06']);
  });
});

describe('the week worked out on the phone', () => {
  const programme = {
    startDate: '2026-12-02',
    endDate: '2026-12-05',
    items: [item({ weekdays: [1, 3, 5] }), item({ daysPerWeek: 3, timesPerDay: 2 }), item({ timesPerDay: 2 })],
  };

  it('plans chosen weekdays, any-days and every-day exercises within the programme’s dates', () => {
    const week = planWeek(programme, '2026-12-03');
    expect(week.map((d) => d.items.map((i) => `${i.itemIndex}x${i.times}${i.flexible ? 'f' : ''}`))).toEqual([
      [],
      [],
      ['0x1', '1x2f', '2x2'],
      ['1x2f', '2x2'],
      ['0x1', '1x2f', '2x2'],
      ['1x2f', '2x2'],
      [],
    ]);
  });

  it('takes the server’s week when it covers today, and works one out for a new week opened offline', () => {
    const server: DayPlanView[] = [{ day: '2026-12-03', weekday: 4, items: [{ itemIndex: 2, times: 1, flexible: false }] }];
    expect(weekFor({ week: server, programme: programme as never }, '2026-12-03')).toBe(server);
    expect(weekFor({ week: server, programme: programme as never }, '2026-12-04')[4]!.items).toHaveLength(3);
  });
});

describe('where an exercise stands today', () => {
  const week: DayPlanView[] = [
    { day: '2026-12-01', weekday: 2, items: [{ itemIndex: 1, times: 1, flexible: true }] },
    { day: '2026-12-02', weekday: 3, items: [{ itemIndex: 0, times: 2, flexible: false }, { itemIndex: 1, times: 1, flexible: true }] },
    { day: '2026-12-03', weekday: 4, items: [{ itemIndex: 1, times: 1, flexible: true }] },
    { day: '2026-12-04', weekday: 5, items: [{ itemIndex: 0, times: 2, flexible: false }, { itemIndex: 1, times: 1, flexible: true }] },
  ];

  it('counts any-day exercises by the days done this week, a whole session included', () => {
    const entries = [entry({ day: '2026-12-01', itemIndex: 1 }), entry({ day: '2026-12-02', itemIndex: null }), entry({ day: '2026-11-29', itemIndex: 1 })];
    const today = itemToday(item({ daysPerWeek: 3 }), 1, week, entries, '2026-12-03');
    expect(today).toMatchObject({ due: true, times: 1, done: 0, flexible: { target: 3, daysDone: 2 }, nextDay: null });
    expect(describeFlexible(3, 1)).toBe('any 3 days this week — 1 done so far');
    expect(describeFlexible(3, 3)).toBe('any 3 days this week — all 3 done, well done');
    expect(describeFlexible(7, 2)).toBe('every day this week — 2 done so far');
  });

  it('says when an exercise not due today is next, and counts sessions of the day', () => {
    expect(itemToday(item({ weekdays: [3, 5] }), 0, week, [], '2026-12-03')).toMatchObject({ due: false, nextDay: '2026-12-04', flexible: null });
    const twice = itemToday(item({ weekdays: [3, 5], timesPerDay: 2 }), 0, week, [entry({ day: '2026-12-04', itemIndex: 0 })], '2026-12-04');
    expect(twice).toMatchObject({ due: true, times: 2, done: 1 });
    const whole = itemToday(item({ weekdays: [3, 5], timesPerDay: 2 }), 0, week, [entry({ day: '2026-12-04', itemIndex: null })], '2026-12-04');
    expect(whole.done).toBe(2);
  });

  it('summarises each day of the week with what was done', () => {
    const summary = summariseWeek(week, [entry({ day: '2026-12-02', itemIndex: 0 }), entry({ day: '2026-12-03', itemIndex: 0 })], '2026-12-03');
    expect(summary[1]!.items).toEqual([{ itemIndex: 0, times: 2, done: 1, flexible: false }, { itemIndex: 1, times: 1, done: 0, flexible: true }]);
    expect(summary[2]).toMatchObject({ isToday: true, extra: 1, wholeSession: false });
  });
});

describe('entries on the phone and on the server', () => {
  it('lays what is still queued over what the server holds', () => {
    const held: EntryView = { ...entry({ itemIndex: 0, setsDone: 3 }), clientId: '11111111-1111-4111-8111-111111111111' };
    const gone: EntryView = { ...entry({ itemIndex: 1 }), clientId: '22222222-2222-4222-8222-222222222222' };
    const merged = mergeEntries(
      [held, gone],
      [
        { kind: 'entry', clientId: held.clientId, body: { day: held.day, itemIndex: 0, setsDone: 2, pain: 5, difficulty: 'too_hard', comment: null }, recordedAt: '2026-12-03T10:00:00.000Z', queuedAt: '2026-12-03T10:00:00.000Z' },
        { kind: 'unentry', clientId: gone.clientId },
        { kind: 'message' },
      ],
    );
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ clientId: held.clientId, setsDone: 2, pain: 5, pending: true, recordedAt: held.recordedAt });
  });
});

describe('words for the patient', () => {
  it('names every pain score', () => {
    expect([0, 2, 5, 8, 10].map(painWords)).toEqual(['no pain', 'mild pain', 'moderate pain', 'severe pain', 'worst pain imaginable']);
  });

  it('reads aloud the name, dose, instructions and steps (R-ENG-8)', () => {
    const text = readAloudText(item({ instructions: 'Go slowly.', weekdays: [5, 1, 3], timesPerDay: 2 }), 1);
    expect(text).toBe(
      'Exercise 2: Heel slides. 3 sets of 10 repetitions, hold 5 seconds. Twice a day, on Monday, Wednesday and Friday. From your practitioner: Go slowly. Slide the heel towards you. How to do it. Step 1: Lie on your back. Step 2: Slide the heel.',
    );
    expect(readAloudText(item({ reps: null, durationSeconds: 90, sets: null, holdSeconds: null, daysPerWeek: 3, exercise: null }), 0)).toBe('Exercise 1: Exercise. 1 minute 30 seconds. 3 days a week.');
  });
});
