import { describe, expect, it } from 'vitest';
import { newClientId } from '../patient/ids.ts';
import type { AttentionItemView, DeviceView, EngagementView } from '../../../../src/engagement/schemas.ts';
import {
  adherenceSummary,
  alertLabel,
  attentionInOrder,
  attentionLink,
  clientIdKeeper,
  commentsNewestFirst,
  deviceName,
  devicesInOrder,
  difficultyChartData,
  difficultySummary,
  exercisesByShare,
  hasEntries,
  lastActivityText,
  organisationSummary,
  painChartData,
  painSummary,
  percent,
  replyBlockedReason,
  shortDay,
  timeAgo,
  unreadByProgramme,
  weekChartData,
  weeksSummary,
} from './engagement.ts';

const en = 'en-GB';
type Day = EngagementView['days'][number];

function day(date: string, changes: Partial<Day> = {}): Day {
  return { day: date, done: 1, pain: null, tooEasy: 0, aboutRight: 0, tooHard: 0, ...changes };
}

function attention(kind: AttentionItemView['kind'], at: string, programmeId = 'pr1'): AttentionItemView {
  return {
    kind,
    alertId: kind === 'message' ? null : `${kind}-${at}`,
    at,
    patient: { id: 'pa1', firstName: 'Ada', lastName: 'Lovelace' },
    programme: { id: programmeId, title: 'Knee' },
    detail: kind === 'message' ? '2 unread messages' : 'pain 8 of 10',
  };
}

describe('numbers and times in words', () => {
  it('writes shares as whole percentages, and a dash where nothing was prescribed', () => {
    expect(percent(0.6)).toBe('60%');
    expect(percent(0.666)).toBe('67%');
    expect(percent(0)).toBe('0%');
    expect(percent(null)).toBe('—');
  });

  it('writes a calendar day as a short label without shifting it by time zone', () => {
    expect(shortDay('2026-11-03', en)).toBe('3 Nov');
    expect(shortDay('2026-01-31', en)).toBe('31 Jan');
    expect(shortDay('not a day', en)).toBe('not a day');
  });

  it('says how long ago the last activity was (R-ENG-6: last activity)', () => {
    const now = new Date('2026-12-03T12:00:00Z');
    expect(timeAgo('2026-12-03T11:59:40Z', now)).toBe('just now');
    expect(timeAgo('2026-12-03T11:59:00Z', now)).toBe('1 minute ago');
    expect(timeAgo('2026-12-03T11:15:00Z', now)).toBe('45 minutes ago');
    expect(timeAgo('2026-12-03T07:00:00Z', now)).toBe('5 hours ago');
    expect(timeAgo('2026-12-02T10:00:00Z', now)).toBe('yesterday');
    expect(timeAgo('2026-12-01T10:00:00Z', now)).toBe('2 days ago');
    expect(lastActivityText('2026-11-26T12:00:00Z', now)).toBe('Last activity 7 days ago');
    expect(lastActivityText(null, now)).toBe('Nothing recorded yet');
  });
});

describe('adherence (R-ENG-6)', () => {
  it('sums up the sessions done of those prescribed', () => {
    expect(adherenceSummary({ prescribed: 20, done: 12, share: 0.6 })).toBe('12 of 20 prescribed sessions done (60%).');
    expect(adherenceSummary({ prescribed: 0, done: 0, share: null })).toBe('No sessions were prescribed in this period.');
    expect(adherenceSummary({ prescribed: 0, done: 2, share: null })).toBe('2 sessions done; none were prescribed in this period.');
  });

  it('shapes the weeks for the bar chart and says how they went', () => {
    const weeks = [
      { weekStart: '2026-11-02', prescribed: 10, done: 4, share: 0.4 },
      { weekStart: '2026-11-09', prescribed: 0, done: 0, share: null },
      { weekStart: '2026-11-16', prescribed: 10, done: 9, share: 0.9 },
      { weekStart: '2026-11-23', prescribed: 8, done: 6, share: 0.75 },
    ];
    expect(weekChartData(weeks, en)).toEqual([
      { weekStart: '2026-11-02', week: '2 Nov', percent: 40, done: 4, prescribed: 10 },
      { weekStart: '2026-11-09', week: '9 Nov', percent: null, done: 0, prescribed: 0 },
      { weekStart: '2026-11-16', week: '16 Nov', percent: 90, done: 9, prescribed: 10 },
      { weekStart: '2026-11-23', week: '23 Nov', percent: 75, done: 6, prescribed: 8 },
    ]);
    expect(weeksSummary(weeks, en)).toBe('Adherence went from 40% in the week of 2 Nov to 75% in the week of 23 Nov. Best week: 16 Nov (90%).');
    expect(weeksSummary(weeks.slice(0, 1), en)).toBe('In the week of 2 Nov, 40% of prescribed sessions were done.');
    expect(weeksSummary([weeks[1]!], en)).toBe('No sessions were prescribed in these weeks.');
    expect(weeksSummary([weeks[0]!, { ...weeks[2]!, share: 0.4 }], en)).toBe(
      'Adherence was 40% in the week of 2 Nov and in the week of 16 Nov. Best week: 2 Nov (40%).',
    );
  });

  it('lists the least done exercises first', () => {
    const exercises = [
      { itemIndex: 0, name: 'Squat', prescribed: 10, done: 9, share: 0.9 },
      { itemIndex: 1, name: 'Bridge', prescribed: 0, done: 0, share: null },
      { itemIndex: 2, name: 'Lunge', prescribed: 10, done: 2, share: 0.2 },
      { itemIndex: 3, name: 'Plank', prescribed: 10, done: 9, share: 0.9 },
    ];
    expect(exercisesByShare(exercises).map((e) => e.name)).toEqual(['Lunge', 'Squat', 'Plank', 'Bridge']);
  });
});

describe('pain over time (R-ENG-6)', () => {
  const days = [day('2026-11-05', { pain: 8 }), day('2026-11-01', { pain: 3 }), day('2026-11-02'), day('2026-11-03', { pain: 5 })];

  it('keeps the days with a rating, in day order', () => {
    expect(painChartData(days, en)).toEqual([
      { day: '2026-11-01', label: '1 Nov', pain: 3 },
      { day: '2026-11-03', label: '3 Nov', pain: 5 },
      { day: '2026-11-05', label: '5 Nov', pain: 8 },
    ]);
  });

  it('says how pain went over the last three entries and names the highest', () => {
    const points = painChartData(days, en);
    expect(painSummary(points, 7, en)).toBe('Pain went from 3 to 8 over the last 3 entries. Highest: 8 of 10 on 5 Nov, at or above the alert level of 7.');
    expect(painSummary(points, 9, en)).toBe('Pain went from 3 to 8 over the last 3 entries. Highest: 8 of 10 on 5 Nov; the alert level is 9.');
    const more = painChartData([...days, day('2026-11-07', { pain: 2 })], en);
    expect(painSummary(more, 7, en)).toBe('Pain went from 5 to 2 over the last 3 entries. Highest: 8 of 10 on 5 Nov, at or above the alert level of 7.');
    expect(painSummary(points.slice(0, 2).map((p) => ({ ...p, pain: 4 })), 7, en)).toBe(
      'Pain stayed at 4 over the last 2 entries. Highest: 4 of 10 on 3 Nov; the alert level is 7.',
    );
    expect(painSummary(points.slice(2), 7, en)).toBe('One rating so far: pain 8 of 10 on 5 Nov, at or above the alert level of 7.');
    expect(painSummary([], 7, en)).toBe('No pain ratings yet.');
  });
});

describe('difficulty over time (R-ENG-6)', () => {
  it('keeps the days with a rating and counts them up', () => {
    const days = [
      day('2026-11-02', { tooEasy: 1, aboutRight: 2 }),
      day('2026-11-01'),
      day('2026-11-04', { tooHard: 2, aboutRight: 1 }),
    ];
    const points = difficultyChartData(days, en);
    expect(points).toEqual([
      { day: '2026-11-02', label: '2 Nov', tooEasy: 1, aboutRight: 2, tooHard: 0 },
      { day: '2026-11-04', label: '4 Nov', tooEasy: 0, aboutRight: 1, tooHard: 2 },
    ]);
    expect(difficultySummary(points, en)).toBe('Of 6 ratings: 1 too easy, 3 about right, 2 too hard. Latest (4 Nov): about right, too hard.');
    expect(difficultySummary([], en)).toBe('No difficulty ratings yet.');
  });
});

describe('comments, entries and alerts', () => {
  it('shows the newest comment first', () => {
    const comments = [
      { day: '2026-11-01', exerciseName: 'Squat', text: 'Fine', recordedAt: '2026-11-01T08:00:00Z' },
      { day: '2026-11-03', exerciseName: null, text: 'Sore', recordedAt: '2026-11-03T08:00:00Z' },
      { day: '2026-11-02', exerciseName: 'Lunge', text: 'Hard', recordedAt: '2026-11-02T08:00:00Z' },
    ];
    expect(commentsNewestFirst(comments).map((c) => c.text)).toEqual(['Sore', 'Hard', 'Fine']);
    expect(comments[0]!.text).toBe('Fine');
  });

  it('knows when nothing was recorded', () => {
    expect(hasEntries({ days: [], comments: [], lastActivityAt: null })).toBe(false);
    expect(hasEntries({ days: [day('2026-11-01')], comments: [], lastActivityAt: '2026-11-01T08:00:00Z' })).toBe(true);
  });

  it("names each alert with the programme's own settings", () => {
    expect(alertLabel('pain_high', { painAlertAt: 6, inactivityAlertDays: 3 })).toBe('Pain reached 6 or more');
    expect(alertLabel('pain_rising', { painAlertAt: 6, inactivityAlertDays: 3 })).toBe('Pain rose over the last three entries');
    expect(alertLabel('inactive', { painAlertAt: 6, inactivityAlertDays: 5 })).toBe('Nothing recorded for 5 days or more');
    expect(alertLabel('inactive', { painAlertAt: 6, inactivityAlertDays: null })).toBe('No activity recorded');
  });
});

describe('the attention list (R-ENG-6)', () => {
  it('puts pain first, then messages, then inactivity, the newest first within each', () => {
    const items = [
      attention('inactive', '2026-12-03T09:00:00Z'),
      attention('message', '2026-12-03T08:00:00Z'),
      attention('pain_high', '2026-12-01T08:00:00Z'),
      attention('pain_rising', '2026-12-02T08:00:00Z'),
      attention('pain_high', '2026-12-02T08:00:00Z'),
    ];
    expect(attentionInOrder(items).map((i) => `${i.kind} ${i.at.slice(0, 10)}`)).toEqual([
      'pain_high 2026-12-02',
      'pain_high 2026-12-01',
      'pain_rising 2026-12-02',
      'message 2026-12-03',
      'inactive 2026-12-03',
    ]);
  });

  it("links to the patient page, at the programme's messages for a message", () => {
    expect(attentionLink(attention('message', '2026-12-03T08:00:00Z'))).toBe('/patients/pa1?programme=pr1&tab=messages#programme-pr1');
    expect(attentionLink(attention('pain_high', '2026-12-03T08:00:00Z'))).toBe('/patients/pa1?programme=pr1&tab=progress#programme-pr1');
  });

  it('finds the unread messages of each programme (R-ENG-5)', () => {
    const unread = unreadByProgramme([attention('pain_high', '2026-12-03T08:00:00Z', 'pr1'), attention('message', '2026-12-03T08:00:00Z', 'pr2')]);
    expect([...unread.entries()]).toEqual([['pr2', '2 unread messages']]);
  });
});

/** A random source that fills every byte with `value`. */
const filledWith = (value: number): Pick<Crypto, 'getRandomValues'> => ({
  getRandomValues: <T extends ArrayBufferView | null>(array: T): T => {
    if (array instanceof Uint8Array) array.fill(value);
    return array;
  },
});

describe('messages (R-ENG-5)', () => {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('makes version 4 UUIDs, also without crypto.randomUUID', () => {
    expect(newClientId()).toMatch(uuid);
    expect(newClientId(filledWith(0xff))).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(newClientId(filledWith(0))).toBe('00000000-0000-4000-8000-000000000000');
  });

  it('sends the same text again under the same client id, and a new message under a new one', () => {
    let n = 0;
    const keeper = clientIdKeeper(() => `id-${++n}`);
    expect(keeper.idFor('Hello')).toBe('id-1');
    expect(keeper.idFor('Hello')).toBe('id-1');
    expect(keeper.idFor('Hello there')).toBe('id-2');
    keeper.reset();
    expect(keeper.idFor('Hello there')).toBe('id-3');
  });

  it('says why a reply cannot be sent (R-ENG-3)', () => {
    expect(replyBlockedReason('ended')).toMatch(/has ended/);
    expect(replyBlockedReason('disabled')).toMatch(/paused/);
  });
});

describe('devices and the console', () => {
  it('lists devices still signed in first, the most recently seen first', () => {
    const device = (id: string, lastSeenAt: string, signedOut: boolean): DeviceView => ({ id, label: id, createdAt: '2026-11-01T08:00:00Z', lastSeenAt, signedOut });
    const list = [device('old', '2026-11-02T08:00:00Z', false), device('gone', '2026-12-02T08:00:00Z', true), device('new', '2026-12-01T08:00:00Z', false)];
    expect(devicesInOrder(list).map((d) => d.id)).toEqual(['new', 'old', 'gone']);
    expect(deviceName('a browser')).toBe('A browser');
    expect(deviceName('Safari on iOS')).toBe('Safari on iOS');
    expect(deviceName('  ')).toBe('A device');
  });

  it("sums up the organisation's counts (R-ENG-7)", () => {
    expect(organisationSummary({ activeProgrammes: 12, patientsWithActiveProgramme: 10, patientsActiveThisWeek: 7, shareActiveThisWeek: 0.7 })).toBe(
      '7 of 10 patients with an active programme recorded something this week (70%).',
    );
    expect(organisationSummary({ activeProgrammes: 0, patientsWithActiveProgramme: 0, patientsActiveThisWeek: 0, shareActiveThisWeek: null })).toBe(
      'No patient has an active programme yet.',
    );
  });
});
