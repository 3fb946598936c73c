import { describe, expect, it } from 'vitest';
import { exerciseDayRules } from './calendar.ts';
import { instantOfWallTime, nextReminderAt, wallTimeIn } from './reminders.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('wall-clock time in a time zone (R-ENG-4)', () => {
  it('finds the instant a local time happens, on either side of a change of the clocks', () => {
    // London: GMT until 01:00 UTC on the last Sunday of March, BST (UTC+1) after.
    expect(iso(instantOfWallTime('2027-03-27', '08:00', 'Europe/London'))).toBe('2027-03-27T08:00:00.000Z');
    expect(iso(instantOfWallTime('2027-03-28', '08:00', 'Europe/London'))).toBe('2027-03-28T07:00:00.000Z');
    // New York is behind UTC; Kolkata is half an hour off; Auckland's summer is in January.
    expect(iso(instantOfWallTime('2027-07-01', '18:45', 'America/New_York'))).toBe('2027-07-01T22:45:00.000Z');
    expect(iso(instantOfWallTime('2027-01-15', '07:30', 'Asia/Kolkata'))).toBe('2027-01-15T02:00:00.000Z');
    expect(iso(instantOfWallTime('2027-01-15', '07:00', 'Pacific/Auckland'))).toBe('2027-01-14T18:00:00.000Z');
    expect(iso(instantOfWallTime('2027-06-01', '00:00', 'UTC'))).toBe('2027-06-01T00:00:00.000Z');
  });

  it('a time skipped in spring moves on by the jump; a time that happens twice in autumn is its first', () => {
    expect(iso(instantOfWallTime('2027-03-28', '01:30', 'Europe/London'))).toBe('2027-03-28T01:30:00.000Z');
    expect(wallTimeIn(instantOfWallTime('2027-03-28', '01:30', 'Europe/London'), 'Europe/London')).toEqual({ day: '2027-03-28', hour: 2, minute: 30 });
    // 31 October 2027: 01:30 BST (00:30 UTC) and 01:30 GMT (01:30 UTC).
    expect(iso(instantOfWallTime('2027-10-31', '01:30', 'Europe/London'))).toBe('2027-10-31T00:30:00.000Z');
    expect(iso(instantOfWallTime('2027-03-14', '02:15', 'America/New_York'))).toBe('2027-03-14T07:15:00.000Z');
  });

  it('the next reminder is the next chosen weekday at that local time, strictly after now', () => {
    const schedule = { weekdays: [1, 3, 5], time: '08:00', timeZone: 'Europe/London' };
    // Wednesday 24 March 2027, 07:59 and 08:00 local (GMT).
    expect(iso(nextReminderAt(new Date('2027-03-24T07:59:00Z'), schedule))).toBe('2027-03-24T08:00:00.000Z');
    expect(iso(nextReminderAt(new Date('2027-03-24T08:00:00Z'), schedule))).toBe('2027-03-26T08:00:00.000Z');
    // Friday after the reminder: next Monday, in summer time.
    expect(iso(nextReminderAt(new Date('2027-03-26T09:00:00Z'), schedule))).toBe('2027-03-29T07:00:00.000Z');
    // Only Sundays, asked on a Sunday after the time: a week later.
    expect(iso(nextReminderAt(new Date('2027-03-28T12:00:00Z'), { ...schedule, weekdays: [7] }))).toBe('2027-04-04T07:00:00.000Z');
    // The patient's day, not UTC's: late Sunday evening in Los Angeles is already Monday in UTC.
    expect(iso(nextReminderAt(new Date('2027-03-29T05:00:00Z'), { weekdays: [7], time: '22:30', timeZone: 'America/Los_Angeles' }))).toBe('2027-03-29T05:30:00.000Z');
  });

  it('reminders begin on the programme’s first day and stop after its last', () => {
    const schedule = { weekdays: [1, 2, 3, 4, 5, 6, 7], time: '09:00', timeZone: 'Europe/Berlin' };
    expect(iso(nextReminderAt(new Date('2027-05-03T12:00:00Z'), { ...schedule, firstDay: '2027-05-10' }))).toBe('2027-05-10T07:00:00.000Z');
    expect(iso(nextReminderAt(new Date('2027-05-03T12:00:00Z'), { ...schedule, lastDay: '2027-05-04' }))).toBe('2027-05-04T07:00:00.000Z');
    expect(nextReminderAt(new Date('2027-05-04T12:00:00Z'), { ...schedule, lastDay: '2027-05-04' })).toBeNull();
  });
});

describe('the exercise days of the calendar feed (R-ENG-4)', () => {
  const onDays = (weekdays: number[]) => ({ timesPerDay: null, daysPerWeek: null, weekdays });
  const daily = { timesPerDay: 2, daysPerWeek: null, weekdays: null };
  const perWeek = (n: number) => ({ timesPerDay: null, daysPerWeek: n, weekdays: null });

  it('chosen weekdays of all exercises make one weekly event, from the first such day, until the last day', () => {
    // 2027-03-02 is a Tuesday: the first Monday/Wednesday/Friday after it is Wednesday the 3rd.
    expect(exerciseDayRules([onDays([1, 5]), onDays([3, 5])], '2027-03-02', '2027-04-30')).toEqual([
      { kind: 'weekdays', start: '2027-03-03', rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR;UNTIL=20270430', daysPerWeek: null },
    ]);
  });

  it('an exercise due every day makes one daily event, which covers the others', () => {
    expect(exerciseDayRules([onDays([2]), daily, perWeek(3)], '2027-03-02', null)).toEqual([{ kind: 'daily', start: '2027-03-02', rrule: 'FREQ=DAILY', daysPerWeek: null }]);
    expect(exerciseDayRules([onDays([1, 2, 3, 4]), onDays([5, 6, 7])], '2027-03-02', null)).toEqual([{ kind: 'daily', start: '2027-03-02', rrule: 'FREQ=DAILY', daysPerWeek: null }]);
  });

  it('"days per week" makes a weekly event saying how many days to choose', () => {
    expect(exerciseDayRules([perWeek(2), perWeek(3), onDays([6])], '2027-03-01', '2027-03-31')).toEqual([
      { kind: 'weekdays', start: '2027-03-06', rrule: 'FREQ=WEEKLY;BYDAY=SA;UNTIL=20270331', daysPerWeek: null },
      { kind: 'flexible', start: '2027-03-01', rrule: 'FREQ=WEEKLY;UNTIL=20270331', daysPerWeek: 3 },
    ]);
  });

  it('no exercises, or no chosen day before the end, make no event', () => {
    expect(exerciseDayRules([], '2027-03-01', null)).toEqual([]);
    // Monday to Wednesday only, on Sundays.
    expect(exerciseDayRules([onDays([7])], '2027-03-01', '2027-03-03')).toEqual([]);
  });
});
