import { sql } from 'kysely';
import type { Db } from './db/database.ts';
import type { Clock } from './clock.ts';

export interface WindowCount {
  count: number;
  /** Seconds until the current window closes. */
  retryAfterSeconds: number;
}

/**
 * The part of a client address that one party controls: an IPv4 address whole, an IPv6 address by
 * its /64 prefix (one connection is usually given a whole /64, so counting single IPv6 addresses
 * would let one party try again from a fresh address every time).
 */
export function addressKey(ip: string | null | undefined): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') && tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/**
 * Fixed-window counters kept in the database, so that every app process sees the same counts
 * (ENGINEERING.md: app processes are stateless). One statement per hit: atomic under concurrency.
 */
export class Throttle {
  readonly db: Db;
  readonly clock: Clock;
  constructor(db: Db, clock: Clock) {
    this.db = db;
    this.clock = clock;
  }

  async hit(key: string, windowSeconds: number, by = 1): Promise<WindowCount> {
    const now = this.clock.now();
    const windowStart = new Date(now.getTime() - windowSeconds * 1000);
    const { rows } = await sql<{ count: number; window_start: Date }>`
      insert into throttle_counters (key, window_start, count) values (${key}, ${now}, ${by})
      on conflict (key) do update set
        count = case when throttle_counters.window_start <= ${windowStart} then ${by} else throttle_counters.count + ${by} end,
        window_start = case when throttle_counters.window_start <= ${windowStart} then ${now} else throttle_counters.window_start end
      returning count, window_start`.execute(this.db);
    return this.#toCount(rows[0]!, windowSeconds, now);
  }

  async peek(key: string, windowSeconds: number): Promise<WindowCount> {
    const now = this.clock.now();
    const row = await this.db.selectFrom('throttle_counters').select(['count', 'window_start']).where('key', '=', key).executeTakeFirst();
    if (!row || row.window_start.getTime() <= now.getTime() - windowSeconds * 1000) return { count: 0, retryAfterSeconds: 0 };
    return this.#toCount(row, windowSeconds, now);
  }

  /** Several counters in one query, in the order of `keys`. */
  async peekMany(keys: string[], windowSeconds: number): Promise<WindowCount[]> {
    const now = this.clock.now();
    const rows = await this.db.selectFrom('throttle_counters').select(['key', 'count', 'window_start']).where('key', 'in', keys).execute();
    return keys.map((key) => {
      const row = rows.find((r) => r.key === key);
      if (!row || row.window_start.getTime() <= now.getTime() - windowSeconds * 1000) return { count: 0, retryAfterSeconds: 0 };
      return this.#toCount(row, windowSeconds, now);
    });
  }

  /** Returns one hit taken by `hit` (an attempt that turned out not to count); never below zero. */
  async giveBack(key: string): Promise<void> {
    await this.db.updateTable('throttle_counters').set((eb) => ({ count: sql<number>`greatest(${eb.ref('count')} - 1, 0)` })).where('key', '=', key).execute();
  }

  async clear(key: string): Promise<void> {
    await this.db.deleteFrom('throttle_counters').where('key', '=', key).execute();
  }

  #toCount(row: { count: number; window_start: Date }, windowSeconds: number, now: Date): WindowCount {
    const ends = new Date(row.window_start).getTime() + windowSeconds * 1000;
    return { count: Number(row.count), retryAfterSeconds: Math.max(1, Math.ceil((ends - now.getTime()) / 1000)) };
  }
}
