import type { Clock } from '../platform/clock.ts';
import type { Tx } from '../platform/db/database.ts';
import { RateLimitedError } from '../platform/errors.ts';

/** One limit on the mail a change is about to queue: at most `limit` sends per `windowSeconds` for `key`. */
export interface MailAllowance {
  /** What is counted, e.g. "invitation:to:<hash>"; the same key is the same counter everywhere. */
  key: string;
  limit: number;
  windowSeconds: number;
  /** The sentence that tells the caller what they wait for, given the wait in whole minutes. */
  refusal: (minutes: number) => string;
  /** Names the limit in the error's details ("recipient", "organisation"). */
  scope: string;
}

/** A message refused because its recipient or its sender has had as much mail as the limit allows. */
export class MailThrottledError extends RateLimitedError {
  /** Which limit was reached: the allowance's scope ("recipient", "organisation"). */
  readonly limit: string;
  constructor(retryAfterSeconds: number, message: string, scope: string, allowed: number) {
    super(retryAfterSeconds, message, 'mail_throttled', { limit: scope, allowed });
    this.limit = scope;
  }
}

/**
 * Claims one send from each allowance inside the caller's transaction, or throws
 * MailThrottledError (429, Retry-After) and claims nothing: the caller's transaction rolls back,
 * so a refused change queues no mail and leaves no count behind.
 *
 * Each key is one row, locked (`for update`) until the transaction ends: concurrent claims on a key
 * wait for each other, so the count is exact however many arrive at once. The window slides: the row
 * keeps the send times inside it. Keys are locked in the order given; callers always give the
 * recipient before the organisation, so two transactions never wait on each other in a circle.
 */
export async function claimMailAllowances(tx: Tx, clock: Clock, allowances: MailAllowance[]): Promise<void> {
  const now = clock.now();
  for (const a of allowances) {
    await tx.insertInto('mail_throttle').values({ key: a.key, updated_at: now }).onConflict((oc) => oc.column('key').doNothing()).execute();
    const row = await tx.selectFrom('mail_throttle').select('sent').where('key', '=', a.key).forUpdate().executeTakeFirstOrThrow();
    const windowMs = a.windowSeconds * 1000;
    const recent = sentTimes(row.sent).filter((at) => at > now.getTime() - windowMs);
    if (recent.length >= a.limit) {
      // The oldest send in the window is the next to leave it.
      const waitMs = recent[recent.length - a.limit]! + windowMs - now.getTime();
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw new MailThrottledError(seconds, a.refusal(Math.max(1, Math.ceil(seconds / 60))), a.scope, a.limit);
    }
    recent.push(now.getTime());
    await tx
      .updateTable('mail_throttle')
      .set({ sent: JSON.stringify(recent), updated_at: now })
      .where('key', '=', a.key)
      .execute();
  }
}

function sentTimes(value: unknown): number[] {
  const list = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(list) ? list.filter((v): v is number => typeof v === 'number').sort((x, y) => x - y) : [];
}

/** "12 minutes", "1 minute". */
export function minutesText(minutes: number): string {
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
