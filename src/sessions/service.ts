import { sql } from 'kysely';
import { lockAccount } from '../accounts/data.ts';
import { recordAudit, recordAudits } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import type { Tx } from '../platform/db/database.ts';
import { inTransaction } from '../platform/db/database.ts';
import { newId, randomToken, sha256 } from '../platform/crypto.ts';
import { ConflictError, UnauthenticatedError } from '../platform/errors.ts';
import type { SessionView } from '../accounts/schemas.ts';
import { auditActorOf, type Actor, type RequestContext, type SignedInContext } from '../platform/http/context.ts';
import type { SessionEndReason } from '../platform/db/schema.ts';
import type { SessionReplacedDetails } from './schemas.ts';
import { describeUserAgent } from './user-agent.ts';

export interface IssuedSession {
  token: string;
  id: string;
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
}

/** Only sessions replaced this recently may report "this wasn't me". */
const NOT_ME_WINDOW_MS = 24 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, so a busy session does not write on every request. */
const TOUCH_INTERVAL_MS = 30 * 1000;

export function createSessionService(deps: Deps) {
  const { db, clock, config } = deps;
  const idleMs = config.session.idleMinutes * 60 * 1000;
  const absoluteMs = config.session.absoluteHours * 60 * 60 * 1000;

  /**
   * R-SES-1: starts the account's only session. The account row is locked so that concurrent
   * sign-ins queue; each ends the session before it. The partial unique index on sessions makes a
   * second live session impossible even if this code were wrong.
   */
  async function start(tx: Tx, ctx: RequestContext, accountId: string): Promise<IssuedSession> {
    await lockAccount(tx, accountId);
    const now = clock.now();
    const id = newId();
    const token = randomToken();
    // At most one session is live (the partial unique index); it ends before the new one starts.
    const live = await tx
      .selectFrom('sessions')
      .select(['id', 'last_seen_at', 'expires_at'])
      .where('account_id', '=', accountId)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    const old = live ? { id: live.id, expired: isExpired(live, now) } : null;
    if (old) {
      await tx.updateTable('sessions').set({ ended_at: now, end_reason: old.expired ? 'expired' : 'replaced' }).where('id', '=', old.id).execute();
    }
    const csrfToken = randomToken(24);
    const expiresAt = new Date(now.getTime() + absoluteMs);
    await tx
      .insertInto('sessions')
      .values({
        id,
        account_id: accountId,
        token_hash: sha256(token),
        csrf_token: csrfToken,
        created_at: now,
        last_seen_at: now,
        expires_at: expiresAt,
        ip: ctx.ip,
        user_agent: ctx.userAgent?.slice(0, 500) ?? null,
        ended_at: null,
        end_reason: null,
        replaced_by: null,
      })
      .execute();
    // replaced_by refers to the new session (a foreign key), so it is set once that row exists.
    if (old && !old.expired) await tx.updateTable('sessions').set({ replaced_by: id }).where('id', '=', old.id).execute();
    await recordAudits(tx, clock, [
      ...(old
        ? [
            {
              actor: auditActorOf(ctx, { accountId, sessionId: old.id }),
              event: old.expired
                ? ({ action: 'session.expired', targetType: 'session', targetId: old.id, details: { kind: old.expired } } as const)
                : ({ action: 'session.replaced', targetType: 'session', targetId: old.id, details: { replacedBy: id } } as const),
            },
          ]
        : []),
      { actor: auditActorOf(ctx, { accountId, sessionId: id }), event: { action: 'account.sign_in', targetType: 'session', targetId: id } as const },
    ]);
    return { token, id, csrfToken, createdAt: now, expiresAt };
  }

  function isExpired(s: { last_seen_at: Date; expires_at: Date }, now: Date): 'idle' | 'absolute' | null {
    if (s.expires_at.getTime() <= now.getTime()) return 'absolute';
    if (s.last_seen_at.getTime() + idleMs <= now.getTime()) return 'idle';
    return null;
  }

  /**
   * Finds who holds a session token. A refused session answers with the reason the person needs to
   * hear: replaced by a newer sign-in (with when and where), expired, or ended by a security action.
   */
  async function resolve(token: string | undefined, ctx: RequestContext, opts: { replacedOnly?: boolean } = {}): Promise<Actor> {
    if (!token || token.length > 100) throw new UnauthenticatedError('unauthenticated', 'Please sign in.');
    const row = await db
      .selectFrom('sessions as s')
      .innerJoin('accounts as a', 'a.id', 's.account_id')
      .select([
        's.id',
        's.account_id',
        's.csrf_token',
        's.last_seen_at',
        's.expires_at',
        's.ended_at',
        's.end_reason',
        's.replaced_by',
        'a.email',
        'a.name',
        'a.is_operator',
        'a.email_verified_at',
      ])
      .where('s.token_hash', '=', sha256(token))
      .executeTakeFirst();
    if (!row) throw new UnauthenticatedError('unauthenticated', 'Please sign in.');
    const actor: Actor = {
      accountId: row.account_id,
      sessionId: row.id,
      email: row.email,
      name: row.name,
      isOperator: row.is_operator,
      emailVerified: row.email_verified_at !== null,
      csrfToken: row.csrf_token,
    };
    const now = clock.now();
    if (row.ended_at) {
      if (opts.replacedOnly && row.end_reason === 'replaced' && now.getTime() - row.ended_at.getTime() < NOT_ME_WINDOW_MS) {
        return actor;
      }
      throw await endedError(row.end_reason, row.replaced_by);
    }
    const expired = isExpired(row, now);
    if (expired) {
      await inTransaction(db, async (tx) => {
        const ended = await tx
          .updateTable('sessions')
          .set({ ended_at: now, end_reason: 'expired' })
          .where('id', '=', row.id)
          .where('ended_at', 'is', null)
          .executeTakeFirst();
        if (Number(ended.numUpdatedRows) === 1) {
          await recordAudit(tx, clock, auditActorOf(ctx, { accountId: row.account_id, sessionId: row.id }), {
            action: 'session.expired',
            targetType: 'session',
            targetId: row.id,
            details: { kind: expired },
          });
        }
      });
      throw new UnauthenticatedError('session_expired', 'Your session expired. Please sign in again.');
    }
    // R-SES-3: "this wasn't me" is the answer of a session that a newer sign-in replaced. A live
    // session (an expired one is ended above and answered as expired) has nothing to report, and a
    // page that could make its browser send the cookie must not be able to force a password reset
    // on the person signed in with it. Nothing is changed: not even the session's last use.
    if (opts.replacedOnly) {
      throw new ConflictError('session_not_replaced', 'This session is still signed in: only a browser that a newer sign-in signed out can report it. To secure your account, change your password.', { rule: 'R-SES-3' });
    }
    if (now.getTime() - row.last_seen_at.getTime() > TOUCH_INTERVAL_MS) {
      await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', row.id).where('ended_at', 'is', null).execute();
    }
    return actor;
  }

  async function endedError(reason: SessionEndReason | null, replacedBy: string | null): Promise<UnauthenticatedError> {
    if (reason === 'replaced' && replacedBy) {
      const newer = await db
        .selectFrom('sessions')
        .select(['created_at', 'ip', 'user_agent'])
        .where('id', '=', replacedBy)
        .executeTakeFirst();
      return new UnauthenticatedError(
        'session_replaced',
        'You were signed out because your account was signed in somewhere else.',
        {
          replacedAt: newer?.created_at.toISOString() ?? null,
          ip: newer?.ip ?? null,
          userAgent: newer?.user_agent ?? null,
          browser: describeUserAgent(newer?.user_agent),
        } satisfies SessionReplacedDetails,
      );
    }
    if (reason === 'expired') return new UnauthenticatedError('session_expired', 'Your session expired. Please sign in again.');
    if (reason === 'signed_out' || reason === null) return new UnauthenticatedError('unauthenticated', 'Please sign in.');
    return new UnauthenticatedError('session_ended', 'Your session was ended for your security. Please sign in again.', { reason });
  }

  function view(s: { id: string; createdAt: Date; csrfToken: string; expiresAt: Date }, lastSeen: Date = clock.now()): SessionView {
    return {
      id: s.id,
      createdAt: s.createdAt.toISOString(),
      csrfToken: s.csrfToken,
      idleExpiresAt: new Date(Math.min(lastSeen.getTime() + idleMs, s.expiresAt.getTime())).toISOString(),
      absoluteExpiresAt: s.expiresAt.toISOString(),
    };
  }

  async function current(actor: Actor): Promise<SessionView> {
    if (!actor.sessionId) throw new UnauthenticatedError('unauthenticated', 'Please sign in.');
    const s = await db.selectFrom('sessions').select(['id', 'created_at', 'csrf_token', 'expires_at', 'last_seen_at']).where('id', '=', actor.sessionId).executeTakeFirstOrThrow();
    return view({ id: s.id, createdAt: s.created_at, csrfToken: s.csrf_token, expiresAt: s.expires_at }, s.last_seen_at);
  }

  async function signOut(ctx: SignedInContext): Promise<void> {
    const { sessionId } = ctx.actor;
    if (!sessionId) return;
    await inTransaction(db, async (tx) => {
      const ended = await tx
        .updateTable('sessions')
        .set({ ended_at: clock.now(), end_reason: 'signed_out' })
        .where('id', '=', sessionId)
        .where('ended_at', 'is', null)
        .executeTakeFirst();
      // Ended since this request was let in (a second click, a newer sign-in): it is over already,
      // and the answer is the same; the repeat is recorded as changing nothing.
      if (Number(ended.numUpdatedRows) === 0) {
        await recordAudit(tx, clock, auditActorOf(ctx), { action: 'request.unchanged', targetType: 'session', targetId: sessionId, details: { reason: 'already_signed_out' } });
        return;
      }
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'account.sign_out', targetType: 'session', targetId: sessionId });
    });
  }

  /** Ends every live session of an account (password reset, "this wasn't me"); returns how many. */
  async function endAll(tx: Tx, accountId: string, reason: SessionEndReason, except?: string): Promise<number> {
    let q = tx
      .updateTable('sessions')
      .set({ ended_at: clock.now(), end_reason: reason })
      .where('account_id', '=', accountId)
      .where('ended_at', 'is', null);
    if (except) q = q.where('id', '<>', except);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** How many sessions of an account are live (tests, operator). */
  async function liveCount(accountId: string): Promise<number> {
    const r = await sql<{ n: number }>`select count(*)::int as n from sessions where account_id = ${accountId} and ended_at is null`.execute(db);
    return r.rows[0]!.n;
  }

  return { start, resolve, current, view, signOut, endAll, liveCount };
}

export type SessionService = ReturnType<typeof createSessionService>;
