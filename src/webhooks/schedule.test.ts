import { describe, expect, it } from 'vitest';
import { DAY, nextAttemptAt, RETRY_WINDOW_MS } from './schedule.ts';

describe('webhook retries (R-INT-4: retried with back-off for three days)', () => {
  const start = new Date('2026-12-03T10:00:00Z');

  it('waits 5 s, 5 min, 30 min, 2 h, 5 h, then 10 h between attempts', () => {
    const gaps: number[] = [];
    let now = start;
    for (let round = 1; round <= 8; round++) {
      const next = nextAttemptAt(start, round, now)!;
      gaps.push(next.getTime() - now.getTime());
      now = next;
    }
    expect(gaps.map((ms) => ms / 1000)).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000, 36000]);
  });

  it('ends three days after the event, with a last attempt at that moment', () => {
    let now = start;
    let round = 1;
    const times: Date[] = [];
    for (; round < 100; round++) {
      const next = nextAttemptAt(start, round, now);
      if (!next) break;
      times.push(next);
      now = next;
    }
    expect(round).toBeLessThan(20);
    expect(times.at(-1)!.getTime() - start.getTime()).toBe(RETRY_WINDOW_MS);
    expect(times.every((t, i) => i === 0 || t > times[i - 1]!)).toBe(true);
    expect(nextAttemptAt(start, round, new Date(start.getTime() + 3 * DAY))).toBeNull();
  });
});
