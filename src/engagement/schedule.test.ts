import { describe, expect, it } from 'vitest';
import { adherence, dueOn, mondayOf, painRising, weekdayOf, weekPlan } from './schedule.ts';

const daily = { timesPerDay: null, daysPerWeek: null, weekdays: null };
const monWedFri = { timesPerDay: null, daysPerWeek: null, weekdays: [1, 3, 5] };
const threeADay = { timesPerDay: 3, daysPerWeek: null, weekdays: null };
const twiceAWeek = { timesPerDay: null, daysPerWeek: 2, weekdays: null };
const period = { startDate: '2026-11-30', endDate: null };

describe('the patient’s week (R-ENG-1)', () => {
  it('weeks run Monday to Sunday', () => {
    expect(weekdayOf('2026-12-03')).toBe(4);
    expect(weekdayOf('2026-12-06')).toBe(7);
    expect(mondayOf('2026-12-06')).toBe('2026-11-30');
  });

  it('an exercise is due on its weekdays, flexible with days per week, else daily with its times a day', () => {
    expect(dueOn([monWedFri, daily, twiceAWeek, threeADay], '2026-12-02')).toEqual([
      { itemIndex: 0, times: 1, flexible: false },
      { itemIndex: 1, times: 1, flexible: false },
      { itemIndex: 2, times: 1, flexible: true },
      { itemIndex: 3, times: 3, flexible: false },
    ]);
    expect(dueOn([monWedFri], '2026-12-03')).toEqual([]);
  });

  it('days before the start or after the end of the programme have nothing due', () => {
    const week = weekPlan([daily], '2026-12-03', { startDate: '2026-12-02', endDate: '2026-12-04' });
    expect(week.map((d) => d.items.length)).toEqual([0, 0, 1, 1, 1, 0, 0]);
    expect(week[0]!.day).toBe('2026-11-30');
  });
});

describe('adherence (R-ENG-6)', () => {
  it('counts sessions done against those prescribed, per week and per exercise', () => {
    const entries = [
      { day: '2026-11-30', itemIndex: 0 },
      { day: '2026-12-02', itemIndex: 0 },
      { day: '2026-12-02', itemIndex: 0 }, // twice on one day counts once
      { day: '2026-12-01', itemIndex: 0 }, // not a due day
      { day: '2026-11-30', itemIndex: 1 },
    ];
    const a = adherence([monWedFri, daily], entries, '2026-11-30', '2026-12-06', period);
    expect(a.exercises).toEqual([
      { itemIndex: 0, prescribed: 3, done: 2, share: 0.667 },
      { itemIndex: 1, prescribed: 7, done: 1, share: 0.143 },
    ]);
    expect(a.overall).toEqual({ prescribed: 10, done: 3, share: 0.3 });
    expect(a.weeks).toEqual([{ weekStart: '2026-11-30', prescribed: 10, done: 3, share: 0.3 }]);
  });

  it('a whole-session entry counts for every exercise due that day', () => {
    const a = adherence([monWedFri, daily], [{ day: '2026-12-02', itemIndex: null }], '2026-12-02', '2026-12-02', period);
    expect(a.overall).toEqual({ prescribed: 2, done: 2, share: 1 });
  });

  it('times per day and days per week cap what counts', () => {
    const entries = ['2026-11-30', '2026-11-30', '2026-11-30', '2026-11-30', '2026-12-01'].map((day) => ({ day, itemIndex: 0 }));
    expect(adherence([threeADay], entries, '2026-11-30', '2026-12-01', period).overall).toEqual({ prescribed: 6, done: 4, share: 0.667 });
    const flexible = ['2026-11-30', '2026-12-01', '2026-12-02'].map((day) => ({ day, itemIndex: 0 }));
    expect(adherence([twiceAWeek], flexible, '2026-11-30', '2026-12-06', period).overall).toEqual({ prescribed: 2, done: 2, share: 1 });
  });

  it('a part week asks for no more days than it has, and days outside the range do not count', () => {
    const a = adherence([twiceAWeek], [{ day: '2026-12-06', itemIndex: 0 }, { day: '2026-11-29', itemIndex: 0 }], '2026-11-01', '2026-12-06', { startDate: '2026-12-06', endDate: null });
    expect(a.overall).toEqual({ prescribed: 1, done: 1, share: 1 });
    expect(adherence([daily], [], '2026-12-01', '2026-11-30', period).overall).toEqual({ prescribed: 0, done: 0, share: null });
  });
});

describe('rising pain (R-ENG-6)', () => {
  it('rises when each of the last three ratings is higher than the one before', () => {
    expect(painRising([2, 3, 5])).toBe(true);
    expect(painRising([6, 2, 3, 5])).toBe(true);
    expect(painRising([2, 3, 3])).toBe(false);
    expect(painRising([3, 5])).toBe(false);
  });
});
