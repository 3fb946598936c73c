import { accountAuditRecords } from '../audit/data.ts';
import { recordAudit } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import { queueEmail } from '../mail/outbox.ts';
import { inTransaction, type Tx } from '../platform/db/database.ts';
import type { AccountsTable, PracticeDetails } from '../platform/db/schema.ts';
import { newId, randomToken, sha256 } from '../platform/crypto.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  UnauthenticatedError,
  ValidationError,
} from '../platform/errors.ts';
import { auditActorOf, type RequestContext, type SignedInContext } from '../platform/http/context.ts';
import type { SessionService } from '../sessions/service.ts';
import { notMeMessage, notMeOwnerMessage, resetPasswordMessage, verifyEmailMessage } from './emails.ts';
import { passwordProblem } from './passwords.ts';
import type { WindowCount } from '../platform/throttle.ts';
import type { AccountView, ActivityItemView, ProfilePatch, SignedInView } from './schemas.ts';

const VERIFY_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const RESET_TTL_MS = 60 * 60 * 1000;

/** The job that answers a forgot-password request (R-SES-5): sends the link, or records why not. */
export const RESET_JOB = 'account.password_reset_request';

/** What a forgot-password request hands its job: the normalised address and who asked. */
interface ResetRequest {
  email: string;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
}

function resetRequestOf(payload: Record<string, unknown>): ResetRequest {
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return { email: String(payload.email), requestId: String(payload.requestId), ip: text(payload.ip), userAgent: text(payload.userAgent) };
}

type AccountRow = Pick<AccountsTable, 'id' | 'email' | 'name' | 'profession' | 'phone' | 'email_verified_at' | 'created_at'> & {
  practice: PracticeDetails | string;
  is_operator: boolean;
  has_logo: boolean | number;
};

export function toAccountView(a: AccountRow): AccountView {
  const practice = (typeof a.practice === 'string' ? JSON.parse(a.practice) : a.practice) as PracticeDetails;
  return {
    id: a.id,
    email: a.email,
    emailVerified: a.email_verified_at !== null,
    name: a.name,
    profession: a.profession,
    phone: a.phone,
    practice,
    hasLogo: Boolean(a.has_logo),
    isOperator: a.is_operator,
    createdAt: a.created_at.toISOString(),
  };
}

export interface NewAccount {
  email: string;
  password: string;
  name: string;
}

export function createAccountService(deps: Deps, sessions: SessionService) {
  const { db, clock, config, hasher, throttle, jobs } = deps;
  const t = config.throttle;

  const link = (path: string, token: string) => `${config.publicUrl}${path}?token=${encodeURIComponent(token)}`;

  async function load(accountId: string): Promise<AccountView> {
    const row = await db
      .selectFrom('accounts as a')
      .leftJoin('account_logos as l', 'l.account_id', 'a.id')
      .select(['a.id', 'a.email', 'a.name', 'a.profession', 'a.phone', 'a.practice', 'a.email_verified_at', 'a.created_at', 'a.is_operator'])
      .select((eb) => eb('l.account_id', 'is not', null).as('has_logo'))
      .where('a.id', '=', accountId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('account');
    return toAccountView(row);
  }

  /** Creates a single-use token; earlier unused tokens of the same purpose stop working. */
  async function issueToken(tx: Tx, accountId: string, purpose: 'verify_email' | 'reset_password'): Promise<string> {
    const now = clock.now();
    await tx
      .updateTable('account_tokens')
      .set({ used_at: now })
      .where('account_id', '=', accountId)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .execute();
    const token = randomToken();
    await tx
      .insertInto('account_tokens')
      .values({
        id: newId(),
        account_id: accountId,
        purpose,
        token_hash: sha256(token),
        created_at: now,
        expires_at: new Date(now.getTime() + (purpose === 'verify_email' ? VERIFY_TTL_MS : RESET_TTL_MS)),
        used_at: null,
      })
      .execute();
    return token;
  }

  /** Uses a token once; a used, expired or unknown token gets the same answer. */
  async function consumeToken(tx: Tx, token: string, purpose: 'verify_email' | 'reset_password'): Promise<string> {
    const now = clock.now();
    const row = await tx
      .updateTable('account_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', sha256(token))
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('account_id')
      .executeTakeFirst();
    if (!row) throw ValidationError.field('body.token', 'token_invalid', 'This link has expired or was already used. Ask for a new one.');
    return row.account_id;
  }

  async function guardRate(key: string, windowSeconds: number, limit: number) {
    const hit = await throttle.hit(key, windowSeconds);
    if (hit.count > limit) throw new RateLimitedError(hit.retryAfterSeconds);
  }

  /** Creates an account, used by sign-up and the operator tool. The caller owns the transaction. */
  async function insertAccount(tx: Tx, input: NewAccount & { passwordHash: string; verified?: boolean; operator?: boolean }) {
    const now = clock.now();
    const id = newId();
    const existing = await tx.selectFrom('accounts').select('id').where('email', '=', input.email).executeTakeFirst();
    if (existing) throw emailTaken();
    await tx
      .insertInto('accounts')
      .values({
        id,
        email: input.email,
        name: input.name,
        profession: null,
        phone: null,
        practice: '{}',
        password_hash: input.passwordHash,
        email_verified_at: input.verified ? now : null,
        is_operator: input.operator ?? false,
        created_at: now,
        updated_at: now,
      })
      .execute()
      .catch((err: { code?: string }) => {
        throw err.code === '23505' ? emailTaken() : err;
      });
    return id;
  }

  function checkNewPassword(password: string, person: { email?: string; name?: string }, path = 'body.password') {
    const problem = passwordProblem(password, person, path);
    if (problem) throw new ValidationError([problem]);
  }

  async function signUp(ctx: RequestContext, input: NewAccount) {
    await guardRate(`sign-up:ip:${ctx.ip}`, 3600, t.signUpsPerAddressPerHour);
    checkNewPassword(input.password, input);
    const passwordHash = await hasher.hash(input.password);
    const result = await inTransaction(db, async (tx) => {
      const accountId = await insertAccount(tx, { ...input, passwordHash });
      const actor = auditActorOf(ctx, { accountId });
      await recordAudit(tx, clock, actor, { action: 'account.signed_up', targetType: 'account', targetId: accountId });
      const token = await issueToken(tx, accountId, 'verify_email');
      await queueEmail(tx, clock, verifyEmailMessage(input.email, input.name, link('/verify-email', token)));
      await recordAudit(tx, clock, actor, { action: 'account.verification_sent', targetType: 'account', targetId: accountId });
      const session = await sessions.start(tx, ctx, accountId);
      return { accountId, session };
    });
    jobs.kick();
    return { account: await load(result.accountId), session: result.session };
  }

  async function signIn(ctx: RequestContext, email: string, password: string) {
    const windowSeconds = t.signInFailureWindowMinutes * 60;
    const accountKey = `sign-in-fail:account:${email}`;
    const addressKey = `sign-in-fail:ip:${ctx.ip}`;
    await guardRate(`sign-in:ip:${ctx.ip}`, 60, t.signInsPerAddressPerMinute);
    const [byAccount, byAddress] = (await throttle.peekMany([accountKey, addressKey], windowSeconds)) as [WindowCount, WindowCount];
    const account = await db
      .selectFrom('accounts')
      .select(['id', 'password_hash', 'password_reset_required'])
      .where('email', '=', email)
      .executeTakeFirst();
    if (byAccount.count >= t.signInFailuresPerAccount || byAddress.count >= t.signInFailuresPerAddress) {
      // Throttled answers do not depend on whether the account exists either.
      await inTransaction(db, (tx) =>
        recordAudit(tx, clock, auditActorOf(ctx, { accountId: account?.id ?? null }), { action: 'account.sign_in_failed', details: { reason: 'throttled' } }, 'denied'),
      );
      throw new RateLimitedError(Math.max(byAccount.retryAfterSeconds, byAddress.retryAfterSeconds));
    }
    const ok = await hasher.verify(account?.password_hash ?? null, password);
    if (!ok || !account) {
      await Promise.all([throttle.hit(accountKey, windowSeconds), throttle.hit(addressKey, windowSeconds)]);
      await inTransaction(db, (tx) =>
        recordAudit(tx, clock, auditActorOf(ctx, { accountId: account?.id ?? null }), { action: 'account.sign_in_failed', details: { reason: 'invalid_credentials' } }, 'failure'),
      );
      throw new UnauthenticatedError('invalid_credentials', 'Email or password is incorrect.');
    }
    if (account.password_reset_required) {
      await inTransaction(db, (tx) =>
        recordAudit(tx, clock, auditActorOf(ctx, { accountId: account.id }), { action: 'account.sign_in_failed', details: { reason: 'password_reset_required' } }, 'denied'),
      );
      throw new ForbiddenError(
        'password_reset_required',
        'For your security this account needs a new password. Use the link we emailed you, or ask for a new one with "Forgot password".',
      );
    }
    if (byAccount.count > 0) await throttle.clear(accountKey);
    const session = await inTransaction(db, (tx) => sessions.start(tx, ctx, account.id));
    return { account: await load(account.id), session };
  }

  async function verifyEmail(ctx: RequestContext, token: string): Promise<AccountView> {
    const accountId = await inTransaction(db, async (tx) => {
      const accountId = await consumeToken(tx, token, 'verify_email');
      await tx.updateTable('accounts').set({ email_verified_at: clock.now() }).where('id', '=', accountId).where('email_verified_at', 'is', null).execute();
      await recordAudit(tx, clock, auditActorOf(ctx, { accountId, sessionId: ctx.actor?.accountId === accountId ? ctx.actor.sessionId : null }), {
        action: 'account.email_verified',
        targetType: 'account',
        targetId: accountId,
      });
      return accountId;
    });
    return load(accountId);
  }

  async function resendVerification(ctx: SignedInContext) {
    const { actor } = ctx;
    await guardRate(`verify-resend:account:${actor.accountId}`, 3600, 10);
    if (actor.emailVerified) throw new ConflictError('already_verified', 'Your email address is already confirmed.');
    await inTransaction(db, async (tx) => {
      const token = await issueToken(tx, actor.accountId, 'verify_email');
      await queueEmail(tx, clock, verifyEmailMessage(actor.email, actor.name, link('/verify-email', token)));
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'account.verification_sent', targetType: 'account', targetId: actor.accountId });
    });
    jobs.kick();
  }

  /**
   * Always answers the same way, in the same time, whether or not the address has an account
   * (R-SES-5): the answer does one thing on both paths, queueing a job with the address, and the
   * job looks the account up and sends the link or nothing. Work that only an account needs
   * (token, mail, per-account limit) never happens while the asker waits.
   */
  async function forgotPassword(ctx: RequestContext, email: string) {
    await guardRate(`reset:ip:${ctx.ip}`, 3600, t.passwordResetsPerAddressPerHour);
    const payload: ResetRequest = { email, requestId: ctx.requestId, ip: ctx.ip, userAgent: ctx.userAgent };
    await jobs.enqueue(db, { kind: RESET_JOB, payload: { ...payload } });
    jobs.kick();
  }

  /**
   * The queued half of forgotPassword, recorded under the request that asked. A request that sends
   * nothing is recorded too, like a failed sign-in, so that reset requests for unknown or throttled
   * addresses show in the trail. Run again after a crash, it sends a fresh link (the earlier one
   * stops working), which the per-account limit bounds.
   */
  async function handleResetRequest(request: ResetRequest) {
    const ctx: RequestContext = { requestId: request.requestId, ip: request.ip, userAgent: request.userAgent, actor: null };
    const account = await db.selectFrom('accounts').select(['id', 'name']).where('email', '=', request.email).executeTakeFirst();
    const notSent = (reason: 'unknown_address' | 'throttled') =>
      inTransaction(db, (tx) =>
        recordAudit(tx, clock, auditActorOf(ctx, { accountId: account?.id ?? null, sessionId: null }), { action: 'account.password_reset_not_sent', details: { reason } }, account ? 'denied' : 'failure'),
      );
    if (!account) return notSent('unknown_address');
    const perAccount = await throttle.hit(`reset:account:${account.id}`, 3600);
    if (perAccount.count > 5) return notSent('throttled');
    await inTransaction(db, async (tx) => {
      const token = await issueToken(tx, account.id, 'reset_password');
      await queueEmail(tx, clock, resetPasswordMessage(request.email, account.name, link('/reset-password', token)));
      await recordAudit(tx, clock, auditActorOf(ctx, { accountId: account.id, sessionId: null }), {
        action: 'account.password_reset_requested',
        targetType: 'account',
        targetId: account.id,
      });
    });
    jobs.kick();
  }
  jobs.define(RESET_JOB, {
    // The payload holds the address someone typed, which may belong to nobody: kept only until the job is done.
    transientPayload: true,
    run: async (job) => handleResetRequest(resetRequestOf(job.payload)),
  });

  /** R-ACC-2: a reset ends every session of the account, and proves the email address too. */
  async function resetPassword(ctx: RequestContext, token: string, password: string) {
    const tokenRow = await db
      .selectFrom('account_tokens as t')
      .innerJoin('accounts as a', 'a.id', 't.account_id')
      .select(['a.email', 'a.name'])
      .where('t.token_hash', '=', sha256(token))
      .executeTakeFirst();
    if (tokenRow) checkNewPassword(password, tokenRow);
    const passwordHash = await hasher.hash(password);
    await inTransaction(db, async (tx) => {
      const accountId = await consumeToken(tx, token, 'reset_password');
      const now = clock.now();
      await tx
        .updateTable('accounts')
        .set((eb) => ({
          password_hash: passwordHash,
          password_reset_required: false,
          updated_at: now,
          email_verified_at: eb.fn.coalesce('email_verified_at', eb.val(now)),
        }))
        .where('id', '=', accountId)
        .execute();
      const ended = await sessions.endAll(tx, accountId, 'password_reset');
      await recordAudit(tx, clock, auditActorOf(ctx, { accountId, sessionId: null }), {
        action: 'account.password_reset',
        targetType: 'account',
        targetId: accountId,
        details: { sessionsEnded: ended },
      });
    });
  }

  async function changePassword(ctx: SignedInContext, currentPassword: string, newPassword: string): Promise<SignedInView> {
    const { actor } = ctx;
    const row = await db.selectFrom('accounts').select('password_hash').where('id', '=', actor.accountId).executeTakeFirstOrThrow();
    if (!(await hasher.verify(row.password_hash, currentPassword))) {
      throw ValidationError.field('body.currentPassword', 'password_incorrect', 'Your current password is not correct.');
    }
    checkNewPassword(newPassword, actor, 'body.newPassword');
    const passwordHash = await hasher.hash(newPassword);
    await inTransaction(db, async (tx) => {
      await tx.updateTable('accounts').set({ password_hash: passwordHash, updated_at: clock.now() }).where('id', '=', actor.accountId).execute();
      await sessions.endAll(tx, actor.accountId, 'password_changed', actor.sessionId ?? undefined);
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'account.password_changed', targetType: 'account', targetId: actor.accountId });
    });
    return { account: await load(actor.accountId), session: await sessions.current(actor) };
  }

  /**
   * R-SES-3 "This wasn't me": ends every session, requires a new password before the next sign-in,
   * and emails the holder a reset link (only the mailbox owner can finish it).
   */
  async function reportNotMe(ctx: SignedInContext) {
    const { actor } = ctx;
    await inTransaction(db, async (tx) => {
      await tx.updateTable('accounts').set({ password_reset_required: true, updated_at: clock.now() }).where('id', '=', actor.accountId).execute();
      const ended = await sessions.endAll(tx, actor.accountId, 'reported_not_me');
      const token = await issueToken(tx, actor.accountId, 'reset_password');
      await queueEmail(tx, clock, notMeMessage(actor.email, actor.name, link('/reset-password', token)));
      // R-SES-3: the owner of every organisation the person belongs to hears of it too.
      const owners = await tx
        .selectFrom('memberships as m')
        .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
        .innerJoin('accounts as owner', 'owner.id', 'o.owner_account_id')
        .select(['o.id', 'o.name', 'owner.email', 'owner.name as owner_name'])
        .where('m.account_id', '=', actor.accountId)
        .where('m.state', 'in', ['active', 'access_removed'])
        .where('o.owner_account_id', '<>', actor.accountId)
        .execute();
      for (const o of owners) {
        await queueEmail(tx, clock, notMeOwnerMessage(o.email, o.owner_name, actor.name, actor.email, o.name, `${config.publicUrl}/console/${o.id}/users`));
      }
      await recordAudit(tx, clock, auditActorOf(ctx), {
        action: 'session.reported_not_me',
        targetType: 'account',
        targetId: actor.accountId,
        details: { sessionsEnded: ended, ownersNotified: owners.length },
      });
    });
    jobs.kick();
  }

  async function updateProfile(ctx: SignedInContext, patch: ProfilePatch): Promise<AccountView> {
    const { actor } = ctx;
    const fields = Object.keys(patch).filter((k) => patch[k as keyof ProfilePatch] !== undefined);
    await inTransaction(db, async (tx) => {
      const current = await tx.selectFrom('accounts').select('practice').where('id', '=', actor.accountId).forUpdate().executeTakeFirstOrThrow();
      const practice: Record<string, string> = { ...(current.practice as Record<string, string>) };
      for (const [k, v] of Object.entries(patch.practice ?? {})) {
        if (v === null || v === '') delete practice[k];
        else if (v !== undefined) practice[k] = v;
      }
      await tx
        .updateTable('accounts')
        .set({
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.profession !== undefined ? { profession: patch.profession || null } : {}),
          ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
          practice: JSON.stringify(practice),
          updated_at: clock.now(),
        })
        .where('id', '=', actor.accountId)
        .execute();
      await recordAudit(tx, clock, auditActorOf(ctx), {
        action: 'account.profile_updated',
        targetType: 'account',
        targetId: actor.accountId,
        details: { fields: [...fields, ...Object.keys(patch.practice ?? {}).map((k) => `practice.${k}`)].filter((f) => f !== 'practice') },
      });
    });
    return load(actor.accountId);
  }

  async function setLogo(ctx: SignedInContext, image: { mimeType: 'image/png' | 'image/jpeg' | 'image/webp'; data: Buffer }): Promise<AccountView> {
    const { actor } = ctx;
    await inTransaction(db, async (tx) => {
      const now = clock.now();
      await tx
        .insertInto('account_logos')
        .values({ account_id: actor.accountId, mime_type: image.mimeType, data: image.data, updated_at: now })
        .onConflict((oc) => oc.column('account_id').doUpdateSet({ mime_type: image.mimeType, data: image.data, updated_at: now }))
        .execute();
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'account.logo_updated', targetType: 'account', targetId: actor.accountId });
    });
    return load(actor.accountId);
  }

  async function removeLogo(ctx: SignedInContext): Promise<AccountView> {
    const { actor } = ctx;
    await inTransaction(db, async (tx) => {
      const removed = await tx.deleteFrom('account_logos').where('account_id', '=', actor.accountId).executeTakeFirst();
      // A second click finds none: the person asked for no logo and has none, recorded as no change.
      if (Number(removed.numDeletedRows) === 0) {
        await recordAudit(tx, clock, auditActorOf(ctx), { action: 'request.unchanged', targetType: 'account', targetId: actor.accountId, details: { reason: 'no_logo' } });
      } else {
        await recordAudit(tx, clock, auditActorOf(ctx), { action: 'account.logo_removed', targetType: 'account', targetId: actor.accountId });
      }
    });
    return load(actor.accountId);
  }

  async function logo(ctx: SignedInContext) {
    const { actor } = ctx;
    const row = await db.selectFrom('account_logos').select(['mime_type', 'data', 'updated_at']).where('account_id', '=', actor.accountId).executeTakeFirst();
    if (!row) throw new NotFoundError('logo');
    return row;
  }

  /** R-AUD-4: a person sees their own account's records. */
  async function activity(ctx: SignedInContext, limit: number, before?: number): Promise<ActivityItemView[]> {
    const { actor } = ctx;
    const rows = await accountAuditRecords(db, actor.accountId, limit, before);
    return rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      action: r.action,
      outcome: r.outcome,
      ip: r.ip,
      userAgent: r.user_agent,
      targetType: r.target_type,
      targetId: r.target_id,
      apiKeyPrefix: r.api_key_prefix ?? null,
    }));
  }

  return {
    load,
    insertAccount,
    signUp,
    signIn,
    verifyEmail,
    resendVerification,
    forgotPassword,
    resetPassword,
    changePassword,
    reportNotMe,
    updateProfile,
    setLogo,
    removeLogo,
    logo,
    activity,
  };
}

function emailTaken() {
  return new ConflictError('email_taken', 'An account with this email address already exists. Sign in, or reset your password.', { rule: 'R-ACC-1' });
}

export type AccountService = ReturnType<typeof createAccountService>;
