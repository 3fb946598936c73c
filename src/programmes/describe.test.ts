import { describe, expect, it } from 'vitest';
import type { ItemParameters } from './schemas.ts';
import { describeDefaults, describeDose, describeFrequency, describeItem, describeSeconds, describeTimesPerDay, describeWeekdays } from './describe.ts';

/** The words as written, with the no-break spaces that keep numbers and units together shown as spaces. */
function plain(text: string): string {
  return text.replace(/\u00a0/g, ' ');
}

const none: ItemParameters = {
  sets: null,
  reps: null,
  durationSeconds: null,
  holdSeconds: null,
  restSeconds: null,
  timesPerDay: null,
  daysPerWeek: null,
  weekdays: null,
  instructions: null,
};

describe('describeSeconds', () => {
  it('writes seconds under a minute, then minutes and seconds', () => {
    expect(plain(describeSeconds(5))).toBe('5 s');
    expect(plain(describeSeconds(60))).toBe('1 min');
    expect(plain(describeSeconds(90))).toBe('1 min 30 s');
    expect(plain(describeSeconds(600))).toBe('10 min');
  });

  it('keeps each number on the line of its unit', () => {
    expect(describeSeconds(90)).toBe('1\u00a0min 30\u00a0s');
  });
});

describe('describeDose', () => {
  it('says sets of repetitions with hold and rest', () => {
    expect(plain(describeDose({ ...none, sets: 3, reps: 10, holdSeconds: 5, restSeconds: 30 }))).toBe('3 sets of 10 repetitions, hold 5 s, rest 30 s');
  });

  it('says sets of a duration, and singular words for one', () => {
    expect(plain(describeDose({ ...none, sets: 2, durationSeconds: 45 }))).toBe('2 sets of 45 s');
    expect(plain(describeDose({ ...none, sets: 1, reps: 1 }))).toBe('1 set of 1 repetition');
  });

  it('leaves out what was not given, and a rest of nothing', () => {
    expect(plain(describeDose({ ...none, reps: 12, restSeconds: 0 }))).toBe('12 repetitions');
    expect(plain(describeDose({ ...none, sets: 4 }))).toBe('4 sets');
    expect(plain(describeDose(none))).toBe('');
  });
});

describe('describeFrequency', () => {
  it('names times a day in words', () => {
    expect(describeTimesPerDay(1)).toBe('once a day');
    expect(describeTimesPerDay(2)).toBe('twice a day');
    expect(describeTimesPerDay(3)).toBe('3 times a day');
  });

  it('lists chosen weekdays in week order, and all seven as every day', () => {
    expect(describeWeekdays([5, 1, 3])).toBe('Mon, Wed, Fri');
    expect(describeWeekdays([7, 6, 5, 4, 3, 2, 1])).toBe('every day');
  });

  it('combines times a day with weekdays or days a week', () => {
    expect(describeFrequency({ timesPerDay: 2, daysPerWeek: null, weekdays: [1, 3, 5] })).toBe('twice a day on Mon, Wed, Fri');
    expect(describeFrequency({ timesPerDay: null, daysPerWeek: 3, weekdays: null })).toBe('3 days a week');
    expect(describeFrequency({ timesPerDay: 1, daysPerWeek: 1, weekdays: null })).toBe('once a day, 1 day a week');
    expect(describeFrequency({ timesPerDay: 1, daysPerWeek: 7, weekdays: null })).toBe('once a day, every day');
    expect(describeFrequency({ timesPerDay: null, daysPerWeek: null, weekdays: [] })).toBe('');
  });
});

describe('describeItem', () => {
  it('joins the dose and the frequency', () => {
    expect(plain(describeItem({ ...none, sets: 3, reps: 10, holdSeconds: 5, restSeconds: 30, weekdays: [1, 3, 5] }))).toBe(
      '3 sets of 10 repetitions, hold 5 s, rest 30 s — Mon, Wed, Fri',
    );
    expect(plain(describeItem({ ...none, durationSeconds: 120 }))).toBe('2 min');
  });

  it('describes an exercise’s suggested dose', () => {
    expect(plain(describeDefaults({ sets: 3, reps: 10, restSeconds: 30 }))).toBe('3 sets of 10 repetitions, rest 30 s');
    expect(plain(describeDefaults({ sets: 2, durationSeconds: 30, holdSeconds: 30, restSeconds: 15 }))).toBe('2 sets of 30 s, hold 30 s, rest 15 s');
  });
});
