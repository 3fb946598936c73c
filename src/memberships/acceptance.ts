import { accountIdByEmail, accountPractice, confirmAccountEmail, setAccountPractice } from '../accounts/data.ts';
import type { AccountService } from '../accounts/service.ts';
import { passwordProblem } from '../accounts/passwords.ts';
import { recordAudit } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import type { LicenceService, LockedOrganisation } from '../licences/service.ts';
import { practiceDefaults } from '../organisations/data.ts';
import { sha256 } from '../platform/crypto.ts';
import { inTransaction, type Tx } from '../platform/db/database.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { auditActorOf, type RequestContext, type SignedInContext } from '../platform/http/context.ts';
import type { SessionService } from '../sessions/service.ts';
import type { AcceptByTokenInput, MemberView } from './schemas.ts';
import { lockMember, toMemberView, type MembershipRow } from './store.ts';
import type { Transitions } from './transitions.ts';

/** The invitee's answer: accept or decline, from the emailed link or signed in (R-PRA-1, R-PRA-2). */
export function createAcceptance(deps: Deps, licences: LicenceService, transitions: Transitions, accounts: AccountService, sessions: SessionService) {
  const { db, clock, hasher } = deps;

  /**
   * Moves an invitation to active for `accountId`; the caller holds the transaction. Accepting again
   * as the same person changes nothing, and is recorded as such.
   */
  async function acceptLocked(tx: Tx, ctx: RequestContext, organisationId: string, membershipId: string, accountId: string): Promise<{ org: LockedOrganisation; member: MembershipRow }> {
    const org = await licences.lockFresh(tx, organisationId);
    const m = await lockMember(tx, org.id, membershipId);
    if (m.state === 'active' && m.account_id === accountId) {
      // A second click or a retry: nothing changes, and the repeat is attributed all the same (R-AUD-1).
      await recordAudit(tx, clock, auditActorOf(ctx, { organisationId: org.id }), { action: 'request.unchanged', targetType: 'membership', targetId: m.id, details: { reason: 'already_accepted' } });
      return { org, member: m };
    }
    if (m.state !== 'invited') throw new ConflictError('invitation_closed', 'This invitation is no longer open.', { rule: 'R-PRA-2', state: m.state });
    const now = clock.now();
    await transitions.setState(tx, ctx, org.id, m, 'active', { account_id: accountId, joined_at: now, invitation_token_hash: null }, 'membership.accepted');
    // R-ORG-4: practice defaults fill the new practitioner's own copy where it is empty; what they
    // entered themselves stays (a later change of the defaults applies to everyone).
    const defaults = await practiceDefaults(tx, org.id);
    const own = await accountPractice(tx, accountId);
    const merged = { ...(defaults.practice ?? {}), ...Object.fromEntries(Object.entries(own ?? {}).filter(([, v]) => v)) };
    if (JSON.stringify(merged) !== JSON.stringify(own ?? {})) {
      await setAccountPractice(tx, accountId, merged, now);
    }
    return { org, member: await lockMember(tx, org.id, m.id) };
  }

  /**
   * R-PRA-1: accepting from the emailed link. A person without an account sets a password here (the
   * link proves the address, so the account starts verified) and is signed in; a person with an
   * account must be signed in as that account.
   */
  async function acceptByToken(ctx: RequestContext, input: AcceptByTokenInput) {
    const found = await db
      .selectFrom('memberships')
      .select(['id', 'organisation_id', 'email', 'name', 'state', 'invitation_expires_at'])
      .where('invitation_token_hash', '=', sha256(input.token))
      .executeTakeFirst();
    if (!found || found.state !== 'invited' || !found.invitation_expires_at || found.invitation_expires_at <= clock.now()) {
      throw new NotFoundError('invitation');
    }
    const existingId = await accountIdByEmail(db, found.email);
    if (existingId) {
      if (ctx.actor?.accountId !== existingId) {
        throw new ConflictError('sign_in_required', `Sign in as ${found.email} to accept this invitation.`, { rule: 'R-PRA-1', email: found.email });
      }
      const r = await inTransaction(db, async (tx) => {
        // The emailed link proves the address (R-ACC-3), as the verification link would.
        if (await confirmAccountEmail(tx, existingId, clock.now())) {
          await recordAudit(tx, clock, auditActorOf(ctx), { action: 'account.email_verified', targetType: 'account', targetId: existingId });
        }
        return acceptLocked(tx, ctx, found.organisation_id, found.id, existingId);
      });
      return { member: toMemberView(r.member, r.org.ownerAccountId), organisationId: r.org.id, session: null };
    }
    const password = input.password;
    if (!password) throw ValidationError.field('body.password', 'required', 'Choose a password for your new account.');
    const name = input.name ?? found.name;
    const problem = passwordProblem(password, { email: found.email, name });
    if (problem) throw new ValidationError([problem]);
    const passwordHash = await hasher.hash(password);
    const r = await inTransaction(db, async (tx) => {
      const accountId = await accounts.insertAccount(tx, { email: found.email, name, password, passwordHash, verified: true });
      const newcomer: RequestContext = { ...ctx, actor: null };
      await recordAudit(tx, clock, auditActorOf(newcomer, { accountId }), { action: 'account.signed_up', targetType: 'account', targetId: accountId });
      await recordAudit(tx, clock, auditActorOf(newcomer, { accountId }), { action: 'account.email_verified', targetType: 'account', targetId: accountId });
      const accepted = await acceptLocked(tx, newcomer, found.organisation_id, found.id, accountId);
      const session = await sessions.start(tx, ctx, accountId);
      return { ...accepted, session };
    });
    return { member: toMemberView(r.member, r.org.ownerAccountId), organisationId: r.org.id, session: r.session };
  }

  /** R-PRA-1: the Accept / Decline prompt of a signed-in person. */
  async function acceptById(ctx: SignedInContext, membershipId: string): Promise<{ member: MemberView; organisationId: string }> {
    const { actor } = ctx;
    const m = await db.selectFrom('memberships').select(['id', 'organisation_id', 'email']).where('id', '=', membershipId).executeTakeFirst();
    if (!m || m.email !== actor.email) throw new NotFoundError('invitation');
    if (!actor.emailVerified) {
      // R-ACC-3: an unconfirmed address cannot hold a licence; the invitation's own link confirms it.
      throw new ForbiddenError('email_unverified', 'Confirm your email address first: use the link in the invitation email or the confirmation email.', { rule: 'R-ACC-3' });
    }
    const r = await inTransaction(db, (tx) => acceptLocked(tx, ctx, m.organisation_id, m.id, actor.accountId));
    return { member: toMemberView(r.member, r.org.ownerAccountId), organisationId: r.org.id };
  }

  async function declineLocked(ctx: RequestContext, m: { id: string; organisation_id: string }): Promise<void> {
    await inTransaction(db, async (tx) => {
      const org = await licences.lockFresh(tx, m.organisation_id);
      const row = await lockMember(tx, org.id, m.id);
      if (row.state !== 'invited') throw new ConflictError('invitation_closed', 'This invitation is no longer open.', { rule: 'R-PRA-2', state: row.state });
      await transitions.setState(tx, ctx, org.id, row, 'declined', { ended_at: clock.now(), invitation_token_hash: null }, 'membership.invitation_declined');
    });
  }

  /** R-PRA-2: declining from the emailed link; the link is the invitee's proof. */
  async function declineByToken(ctx: RequestContext, token: string): Promise<void> {
    const m = await db.selectFrom('memberships').select(['id', 'organisation_id']).where('invitation_token_hash', '=', sha256(token)).executeTakeFirst();
    if (!m) throw new NotFoundError('invitation');
    await declineLocked(ctx, m);
  }

  /** R-PRA-2: declining from the prompt of a signed-in person. */
  async function declineById(ctx: SignedInContext, membershipId: string): Promise<void> {
    const m = await db.selectFrom('memberships').select(['id', 'organisation_id', 'email']).where('id', '=', membershipId).executeTakeFirst();
    // Only a confirmed address speaks for the invitee (R-ACC-3): anyone could sign up with it.
    if (!m || m.email !== ctx.actor.email || !ctx.actor.emailVerified) throw new NotFoundError('invitation');
    await declineLocked(ctx, m);
  }

  return { acceptByToken, acceptById, declineByToken, declineById };
}
