import type { AccountService } from '../accounts/service.ts';
import type { MembershipAction } from '../audit/events.ts';
import { recordAudit } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import type { LicenceService, LockedOrganisation } from '../licences/service.ts';
import { freeLicences } from '../licences/pool.ts';
import { queueEmail } from '../mail/outbox.ts';
import { orgScope } from '../organisations/scope.ts';
import { ADMIN_SECTIONS } from '../organisations/access.ts';
import { newId, randomToken, sha256 } from '../platform/crypto.ts';
import { inTransaction, type Tx } from '../platform/db/database.ts';
import type { AdminSection, MembershipState, MembershipsTable } from '../platform/db/schema.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { idempotent } from '../platform/idempotency.ts';
import { auditActorOf, requireActor, requireOrg, type RequestContext } from '../platform/http/context.ts';
import type { SessionService } from '../sessions/service.ts';
import { invitationMessage } from './emails.ts';
import type { MembershipEvents } from './events.ts';
import type { InvitationExpiry } from './expiry.ts';
import { passwordProblem } from '../accounts/passwords.ts';
import { licenceStanding } from '../subscriptions/standing.ts';
import { containsPattern } from '../platform/db/search.ts';

type MembershipRow = Pick<
  MembershipsTable,
  'id' | 'organisation_id' | 'account_id' | 'email' | 'name' | 'state' | 'practitioner' | 'invited_at' | 'joined_at' | 'invitation_expires_at' | 'access_removed_at'
> & { is_admin: boolean; admin_sections: AdminSection[] };

export interface MemberView {
  id: string;
  accountId: string | null;
  name: string;
  email: string;
  /** unconfirmed = invited and waiting (R-PRA-1). */
  status: 'unconfirmed' | 'active' | 'access_removed' | 'removed' | 'declined' | 'expired' | 'revoked';
  licence: 'assigned' | 'reserved' | 'none';
  roles: { owner: boolean; practitioner: boolean; admin: boolean; sections: AdminSection[] };
  invitedAt: string;
  joinedAt: string | null;
  invitationExpiresAt: string | null;
  accessRemovedAt: string | null;
}

const MEMBER_COLUMNS = [
  'memberships.id',
  'memberships.organisation_id',
  'memberships.account_id',
  'memberships.email',
  'memberships.name',
  'memberships.state',
  'memberships.practitioner',
  'memberships.is_admin',
  'memberships.admin_sections',
  'memberships.invited_at',
  'memberships.joined_at',
  'memberships.invitation_expires_at',
  'memberships.access_removed_at',
] as const;

export function toMemberView(m: MembershipRow, ownerAccountId: string): MemberView {
  const owner = m.account_id !== null && m.account_id === ownerAccountId;
  return {
    id: m.id,
    accountId: m.account_id,
    name: m.name,
    email: m.email,
    status: m.state === 'invited' ? 'unconfirmed' : m.state,
    licence: m.practitioner && m.state === 'active' ? 'assigned' : m.practitioner && m.state === 'invited' ? 'reserved' : 'none',
    roles: { owner, practitioner: m.practitioner, admin: owner || m.is_admin, sections: owner ? [...ADMIN_SECTIONS] : m.is_admin ? m.admin_sections : [] },
    invitedAt: m.invited_at.toISOString(),
    joinedAt: m.joined_at?.toISOString() ?? null,
    invitationExpiresAt: m.invitation_expires_at?.toISOString() ?? null,
    accessRemovedAt: m.access_removed_at?.toISOString() ?? null,
  };
}

export interface InviteInput {
  name: string;
  email: string;
  practitioner: boolean;
  admin?: { sections: AdminSection[] } | undefined;
  confirmedChargeMinor?: number | undefined;
}

export function createMembershipService(
  deps: Deps,
  licences: LicenceService,
  accounts: AccountService,
  sessions: SessionService,
  events: MembershipEvents,
  expiry: InvitationExpiry,
) {
  const { db, clock, config, hasher, jobs } = deps;
  const ttlMs = config.invitationTtlDays * 24 * 60 * 60 * 1000;

  const acceptUrl = (token: string) => `${config.publicUrl}/invitations/accept?token=${encodeURIComponent(token)}`;

  /** Expires overdue invitations everywhere (a periodic sweep, safe to run in several processes). */
  async function expireAllOverdue(): Promise<number> {
    let n = 0;
    for (const organisationId of await expiry.organisationsWithOverdue()) {
      n += await inTransaction(db, async (tx) => {
        await licences.lock(tx, organisationId);
        return expiry.expireOverdue(tx, organisationId);
      });
    }
    return n;
  }

  /** Brings an organisation's invitations up to date before reading them. */
  async function expireIfOverdue(organisationId: string): Promise<void> {
    if (!(await expiry.hasOverdue(organisationId))) return;
    await inTransaction(db, (tx) => licences.lockFresh(tx, organisationId));
  }

  async function lockMember(tx: Tx, organisationId: string, membershipId: string): Promise<MembershipRow> {
    const m = await orgScope(tx, organisationId).memberships().select(MEMBER_COLUMNS).where('memberships.id', '=', membershipId).forUpdate().executeTakeFirst();
    if (!m) throw new NotFoundError('member');
    return m;
  }

  async function setState(
    tx: Tx,
    ctx: RequestContext,
    org: LockedOrganisation,
    m: MembershipRow,
    to: MembershipState,
    extra: Partial<Record<string, unknown>>,
    action: MembershipAction,
    details?: Record<string, string | number | boolean | null>,
    options: { reactivateProgrammes?: boolean } = {},
  ) {
    const now = clock.now();
    await orgScope(tx, org.id).updateMemberships().set({ state: to, updated_at: now, ...extra }).where('memberships.id', '=', m.id).execute();
    // The trigger moved the licence counts; keep the locked copy in step.
    const before = use(m.state, m.practitioner);
    const after = use(to, m.practitioner);
    org.assigned += after.assigned - before.assigned;
    org.reserved += after.reserved - before.reserved;
    await recordAudit(tx, clock, auditActorOf(ctx, { organisationId: org.id }), { action, targetType: 'membership', targetId: m.id, ...(details ? { details } : {}) });
    await events.publish(tx, {
      type: 'membership.changed',
      organisationId: org.id,
      membershipId: m.id,
      accountId: (extra.account_id as string | undefined) ?? m.account_id,
      from: m.state,
      to,
      audit: auditActorOf(ctx, { organisationId: org.id }),
      ...options,
    });
  }

  function checkGrantable(ctx: RequestContext, sections: AdminSection[]) {
    const org = requireOrg(ctx);
    const beyond = sections.filter((s) => !org.sections.includes(s));
    if (beyond.length > 0) {
      throw new ForbiddenError('cannot_grant_unheld_right', `You cannot grant sections you do not hold: ${beyond.join(', ')}.`, { rule: 'R-ORG-3', sections: beyond });
    }
  }

  /** R-PRA-1, R-LIC-2: invite by name and email; buys a licence when none is free. */
  async function invite(ctx: RequestContext, input: InviteInput, idempotencyKey: string | undefined) {
    const actor = requireActor(ctx);
    const orgCtx = requireOrg(ctx);
    if (input.admin) checkGrantable(ctx, input.admin.sections);
    const result = await idempotent(db, clock, { accountId: actor.accountId, key: idempotencyKey, scope: `invite:${orgCtx.organisationId}`, request: input }, async (tx) => {
      const org = await licences.lockFresh(tx, orgCtx.organisationId);
      return { status: 201, body: await inviteLocked(tx, ctx, org, input) };
    });
    jobs.kick();
    return result;
  }

  /** The invitation itself, in the caller's transaction and under its organisation lock. */
  async function inviteLocked(tx: Tx, ctx: RequestContext, org: LockedOrganisation, input: InviteInput) {
    const actor = requireActor(ctx);
    const current = await orgScope(tx, org.id).memberships().select(['memberships.id', 'memberships.state']).where('memberships.email', '=', input.email).where('memberships.state', 'in', ['invited', 'active', 'access_removed']).executeTakeFirst();
    if (current) {
      throw new ConflictError(current.state === 'invited' ? 'already_invited' : 'already_member', current.state === 'invited' ? 'This person already has an open invitation. You can re-send it.' : 'This person is already a member of the organisation.', {
        rule: 'R-PRA-1',
        memberId: current.id,
      });
    }
    const id = newId();
    let charge = { bought: false, amountMinor: 0 };
    if (input.practitioner) {
      charge = await licences.secureOne(tx, org, auditActorOf(ctx, { organisationId: org.id }), {
        confirmedChargeMinor: input.confirmedChargeMinor,
        cause: 'invitation',
        membershipId: id,
        description: `Licence for ${input.name} (invitation)`,
      });
    }
    const token = randomToken();
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + ttlMs);
    await tx
      .insertInto('memberships')
      .values({
        id,
        organisation_id: org.id,
        account_id: null,
        email: input.email,
        name: input.name,
        state: 'invited',
        practitioner: input.practitioner,
        is_admin: Boolean(input.admin),
        admin_sections: input.admin?.sections ?? [],
        invited_by: actor.accountId,
        invitation_token_hash: sha256(token),
        invitation_expires_at: expiresAt,
        invited_at: now,
        joined_at: null,
        ended_at: null,
        access_removed_at: null,
        updated_at: now,
      })
      .execute();
    if (input.practitioner) org.reserved += 1;
    const existing = await tx.selectFrom('accounts').select('id').where('email', '=', input.email).executeTakeFirst();
    await queueEmail(tx, clock, invitationMessage({ to: input.email, name: input.name, organisation: org.name, inviter: actor.name, url: acceptUrl(token), hasAccount: existing !== undefined, expiresAt }));
    await recordAudit(tx, clock, auditActorOf(ctx, { organisationId: org.id }), {
      action: 'membership.invited',
      targetType: 'membership',
      targetId: id,
      details: { practitioner: input.practitioner, admin: Boolean(input.admin), licenceBought: charge.bought },
    });
    await events.publish(tx, { type: 'membership.changed', organisationId: org.id, membershipId: id, accountId: null, from: null, to: 'invited', audit: auditActorOf(ctx, { organisationId: org.id }) });
    const m = await lockMember(tx, org.id, id);
    return { member: toMemberView(m, org.ownerAccountId), licenceBought: charge.bought, chargeMinor: charge.amountMinor };
  }

  async function resend(ctx: RequestContext, membershipId: string) {
    const orgCtx = requireOrg(ctx);
    const actor = requireActor(ctx);
    const view = await inTransaction(db, async (tx) => {
      const org = await licences.lockFresh(tx, orgCtx.organisationId);
      const m = await lockMember(tx, org.id, membershipId);
      if (m.state !== 'invited') throw new ConflictError('not_invited', 'Only an open invitation can be re-sent. Invite the person again.', { rule: 'R-PRA-2', state: m.state });
      const token = randomToken();
      const expiresAt = new Date(clock.now().getTime() + ttlMs);
      await orgScope(tx, org.id).updateMemberships().set({ invitation_token_hash: sha256(token), invitation_expires_at: expiresAt, updated_at: clock.now() }).where('memberships.id', '=', m.id).execute();
      const existing = await tx.selectFrom('accounts').select('id').where('email', '=', m.email).executeTakeFirst();
      await queueEmail(tx, clock, invitationMessage({ to: m.email, name: m.name, organisation: org.name, inviter: actor.name, url: acceptUrl(token), hasAccount: existing !== undefined, expiresAt }));
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'membership.invitation_resent', targetType: 'membership', targetId: m.id });
      return toMemberView(await lockMember(tx, org.id, m.id), org.ownerAccountId);
    });
    jobs.kick();
    return view;
  }

  async function revoke(ctx: RequestContext, membershipId: string) {
    const orgCtx = requireOrg(ctx);
    return inTransaction(db, async (tx) => {
      const org = await licences.lockFresh(tx, orgCtx.organisationId);
      const m = await lockMember(tx, org.id, membershipId);
      if (m.state !== 'invited') throw new ConflictError('not_invited', 'Only an open invitation can be revoked.', { rule: 'R-PRA-2', state: m.state });
      await setState(tx, ctx, org, m, 'revoked', { ended_at: clock.now(), invitation_token_hash: null }, 'membership.invitation_revoked');
      return toMemberView(await lockMember(tx, org.id, m.id), org.ownerAccountId);
    });
  }

  /** Finds an open invitation by its emailed token, for the accept page. */
  async function invitationByToken(token: string) {
    const m = await db
      .selectFrom('memberships as m')
      .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
      .leftJoin('accounts as inviter', 'inviter.id', 'm.invited_by')
      .select(['m.id', 'm.email', 'm.name', 'm.state', 'm.invitation_expires_at', 'o.name as organisation', 'inviter.name as inviter'])
      .where('m.invitation_token_hash', '=', sha256(token))
      .executeTakeFirst();
    if (!m || m.state !== 'invited' || !m.invitation_expires_at || m.invitation_expires_at <= clock.now()) {
      throw new NotFoundError('invitation');
    }
    const account = await db.selectFrom('accounts').select('id').where('email', '=', m.email).executeTakeFirst();
    return { id: m.id, email: m.email, name: m.name, organisation: m.organisation, inviter: m.inviter, expiresAt: m.invitation_expires_at.toISOString(), hasAccount: account !== undefined };
  }

  /** Moves an invitation to active for `accountId`; the caller holds the transaction. */
  async function acceptLocked(tx: Tx, ctx: RequestContext, organisationId: string, membershipId: string, accountId: string) {
    const org = await licences.lockFresh(tx, organisationId);
    const m = await lockMember(tx, org.id, membershipId);
    if (m.state === 'active' && m.account_id === accountId) return { org, member: m, already: true };
    if (m.state !== 'invited') throw new ConflictError('invitation_closed', 'This invitation is no longer open.', { rule: 'R-PRA-2', state: m.state });
    const now = clock.now();
    await setState(tx, { ...ctx, org: undefined }, org, m, 'active', { account_id: accountId, joined_at: now, invitation_token_hash: null }, 'membership.accepted');
    // R-ORG-4: practice defaults fill the new practitioner's own copy where it is empty; what they
    // entered themselves stays (a later change of the defaults applies to everyone).
    const defaults = await tx.selectFrom('organisations').select('practice').where('id', '=', org.id).executeTakeFirstOrThrow();
    const own = await tx.selectFrom('accounts').select('practice').where('id', '=', accountId).executeTakeFirstOrThrow();
    const merged = { ...(defaults.practice ?? {}), ...Object.fromEntries(Object.entries(own.practice ?? {}).filter(([, v]) => v)) };
    if (JSON.stringify(merged) !== JSON.stringify(own.practice ?? {})) {
      await tx.updateTable('accounts').set({ practice: JSON.stringify(merged), updated_at: now }).where('id', '=', accountId).execute();
    }
    return { org, member: await lockMember(tx, org.id, m.id), already: false };
  }

  /**
   * R-PRA-1: accepting from the emailed link. A person without an account sets a password here (the
   * link proves the address, so the account starts verified) and is signed in; a person with an
   * account must be signed in as that account.
   */
  async function acceptByToken(ctx: RequestContext, input: { token: string; password?: string | undefined; name?: string | undefined }) {
    const found = await db
      .selectFrom('memberships')
      .select(['id', 'organisation_id', 'email', 'name', 'state', 'invitation_expires_at'])
      .where('invitation_token_hash', '=', sha256(input.token))
      .executeTakeFirst();
    if (!found || found.state !== 'invited' || !found.invitation_expires_at || found.invitation_expires_at <= clock.now()) {
      throw new NotFoundError('invitation');
    }
    const existing = await db.selectFrom('accounts').select('id').where('email', '=', found.email).executeTakeFirst();
    if (existing) {
      if (ctx.actor?.accountId !== existing.id) {
        throw new ConflictError('sign_in_required', `Sign in as ${found.email} to accept this invitation.`, { rule: 'R-PRA-1', email: found.email });
      }
      const r = await inTransaction(db, async (tx) => {
        // The emailed link proves the address (R-ACC-3), as the verification link would.
        const confirmed = await tx.updateTable('accounts').set({ email_verified_at: clock.now() }).where('id', '=', existing.id).where('email_verified_at', 'is', null).executeTakeFirst();
        if (Number(confirmed.numUpdatedRows) > 0) {
          await recordAudit(tx, clock, auditActorOf(ctx), { action: 'account.email_verified', targetType: 'account', targetId: existing.id });
        }
        return acceptLocked(tx, ctx, found.organisation_id, found.id, existing.id);
      });
      return { member: toMemberView(r.member, r.org.ownerAccountId), organisationId: r.org.id, session: null };
    }
    if (!input.password) throw ValidationError.field('body.password', 'required', 'Choose a password for your new account.');
    const name = input.name ?? found.name;
    const problem = passwordProblem(input.password, { email: found.email, name });
    if (problem) throw new ValidationError([problem]);
    const passwordHash = await hasher.hash(input.password);
    const r = await inTransaction(db, async (tx) => {
      const accountId = await accounts.insertAccount(tx, { email: found.email, name, password: input.password!, passwordHash, verified: true });
      const actorCtx = { ...ctx, actor: null };
      await recordAudit(tx, clock, auditActorOf(actorCtx, { accountId }), { action: 'account.signed_up', targetType: 'account', targetId: accountId });
      await recordAudit(tx, clock, auditActorOf(actorCtx, { accountId }), { action: 'account.email_verified', targetType: 'account', targetId: accountId });
      const accepted = await acceptLocked(tx, { ...actorCtx, actor: null }, found.organisation_id, found.id, accountId);
      const session = await sessions.start(tx, ctx, accountId);
      return { ...accepted, session, accountId };
    });
    return { member: toMemberView(r.member, r.org.ownerAccountId), organisationId: r.org.id, session: r.session };
  }

  /** R-PRA-1: the Accept / Decline prompt of a signed-in person. */
  async function acceptById(ctx: RequestContext, membershipId: string) {
    const actor = requireActor(ctx);
    const m = await db.selectFrom('memberships').select(['id', 'organisation_id', 'email']).where('id', '=', membershipId).executeTakeFirst();
    if (!m || m.email !== actor.email) throw new NotFoundError('invitation');
    if (!actor.emailVerified) {
      // R-ACC-3: an unconfirmed address cannot hold a licence; the invitation's own link confirms it.
      throw new ForbiddenError('email_unverified', 'Confirm your email address first: use the link in the invitation email or the confirmation email.', { rule: 'R-ACC-3' });
    }
    const r = await inTransaction(db, (tx) => acceptLocked(tx, ctx, m.organisation_id, m.id, actor.accountId));
    return { member: toMemberView(r.member, r.org.ownerAccountId), organisationId: r.org.id };
  }

  async function decline(ctx: RequestContext, where: { membershipId: string } | { token: string }) {
    const m = await ('token' in where
      ? db.selectFrom('memberships').select(['id', 'organisation_id', 'email']).where('invitation_token_hash', '=', sha256(where.token))
      : db.selectFrom('memberships').select(['id', 'organisation_id', 'email']).where('id', '=', where.membershipId)
    ).executeTakeFirst();
    // Only a confirmed address speaks for the invitee (R-ACC-3): anyone could sign up with it.
    if (!m || ('membershipId' in where && (m.email !== requireActor(ctx).email || !requireActor(ctx).emailVerified))) throw new NotFoundError('invitation');
    await inTransaction(db, async (tx) => {
      const org = await licences.lockFresh(tx, m.organisation_id);
      const row = await lockMember(tx, org.id, m.id);
      if (row.state !== 'invited') throw new ConflictError('invitation_closed', 'This invitation is no longer open.', { rule: 'R-PRA-2', state: row.state });
      await setState(tx, { ...ctx, org: undefined }, org, row, 'declined', { ended_at: clock.now(), invitation_token_hash: null }, 'membership.invitation_declined');
    });
  }

  /** R-PRA-3: frees the licence at once and keeps the person listed. */
  async function removeAccess(ctx: RequestContext, membershipId: string) {
    const orgCtx = requireOrg(ctx);
    return inTransaction(db, async (tx) => {
      const org = await licences.lock(tx, orgCtx.organisationId);
      const m = await lockMember(tx, org.id, membershipId);
      if (m.account_id === org.ownerAccountId) throw new ConflictError('owner_access_kept', "The owner's access cannot be removed. Transfer ownership first.", { rule: 'R-ORG-2' });
      if (m.state !== 'active') throw new ConflictError('state_transition_not_allowed', `Access can only be removed from an active member (this one is ${m.state.replace('_', ' ')}).`, { rule: 'R-PRA-3', state: m.state });
      await setState(tx, ctx, org, m, 'access_removed', { access_removed_at: clock.now() }, 'membership.access_removed');
      return toMemberView(await lockMember(tx, org.id, m.id), org.ownerAccountId);
    });
  }

  /** R-PRA-5: needs a licence (free or bought after confirming its price); restores the previous roles. */
  async function grantAccess(ctx: RequestContext, membershipId: string, confirmedChargeMinor: number | undefined, idempotencyKey: string | undefined, reactivateProgrammes = false) {
    const actor = requireActor(ctx);
    const orgCtx = requireOrg(ctx);
    const request = reactivateProgrammes ? { confirmedChargeMinor, reactivateProgrammes } : { confirmedChargeMinor };
    return idempotent(db, clock, { accountId: actor.accountId, key: idempotencyKey, scope: `grant:${orgCtx.organisationId}:${membershipId}`, request }, async (tx) => {
      const org = await licences.lockFresh(tx, orgCtx.organisationId);
      const m = await lockMember(tx, org.id, membershipId);
      if (m.state !== 'access_removed') throw new ConflictError('state_transition_not_allowed', 'Access can only be granted again to a member whose access was removed.', { rule: 'R-PRA-5', state: m.state });
      let charge = { bought: false, amountMinor: 0 };
      if (m.practitioner) {
        charge = await licences.secureOne(tx, org, auditActorOf(ctx), { confirmedChargeMinor, cause: 'access_granted', membershipId: m.id, description: `Licence for ${m.name} (access granted again)` });
      }
      await setState(tx, ctx, org, m, 'active', { access_removed_at: null }, 'membership.access_granted', { licenceBought: charge.bought, reactivateProgrammes }, { reactivateProgrammes });
      return { status: 200, body: { member: toMemberView(await lockMember(tx, org.id, m.id), org.ownerAccountId), licenceBought: charge.bought, chargeMinor: charge.amountMinor } };
    });
  }

  /** R-PRA-6: the account is kept; the licence is freed, and may be removed in the same step. */
  async function removeFromOrganisation(ctx: RequestContext, membershipId: string, removeLicence: boolean, idempotencyKey: string | undefined) {
    const actor = requireActor(ctx);
    const orgCtx = requireOrg(ctx);
    if (removeLicence && !orgCtx.isOwner) {
      throw new ForbiddenError('owner_only', 'Only the owner can remove licences (Payments & billing).', { rule: 'R-ORG-3' });
    }
    return idempotent(db, clock, { accountId: actor.accountId, key: idempotencyKey, scope: `remove:${orgCtx.organisationId}:${membershipId}`, request: { removeLicence } }, async (tx) => {
      const org = await licences.lockFresh(tx, orgCtx.organisationId);
      const m = await lockMember(tx, org.id, membershipId);
      if (m.account_id === org.ownerAccountId) throw new ConflictError('owner_cannot_leave', 'The owner cannot be removed. Transfer ownership first.', { rule: 'R-ORG-2' });
      if (m.state !== 'active' && m.state !== 'access_removed') {
        throw new ConflictError('state_transition_not_allowed', 'Only a member can be removed from the organisation.', { rule: 'R-PRA-6', state: m.state });
      }
      // Checked before anything changes, so that the record says what really happened.
      const freeAfter = freeLicences(org) + (m.practitioner && m.state === 'active' ? 1 : 0);
      if (removeLicence && freeAfter < 1) {
        throw new ConflictError('no_free_licence', 'No licence would be free after this removal, so none can be removed with it.', { rule: 'R-LIC-3' });
      }
      await setState(tx, ctx, org, m, 'removed', { ended_at: clock.now() }, 'membership.removed', { licenceRemoved: removeLicence });
      let creditMinor = 0;
      if (removeLicence) creditMinor = (await licences.remove(tx, org, auditActorOf(ctx), 1, `Licence of ${m.name} removed`)).amountMinor;
      return { status: 200, body: { member: toMemberView(await lockMember(tx, org.id, m.id), org.ownerAccountId), creditMinor } };
    });
  }

  /** R-ORG-3: admin rights; an admin grants only sections they hold. */
  async function setRoles(ctx: RequestContext, membershipId: string, input: { admin: boolean; sections: AdminSection[] }) {
    const orgCtx = requireOrg(ctx);
    return inTransaction(db, async (tx) => {
      const org = await licences.lock(tx, orgCtx.organisationId);
      const m = await lockMember(tx, org.id, membershipId);
      if (m.account_id === org.ownerAccountId) throw new ConflictError('owner_roles_fixed', 'The owner always holds every section.', { rule: 'R-ORG-2' });
      if (!['active', 'access_removed', 'invited'].includes(m.state)) throw new ConflictError('state_transition_not_allowed', 'Roles can only be changed for current members.', { state: m.state });
      // Granting or taking away a section the caller does not hold is refused alike.
      const sections = input.admin ? input.sections : [];
      const before = m.is_admin ? m.admin_sections : [];
      const changed = [...new Set([...before, ...sections])].filter((s) => before.includes(s) !== sections.includes(s));
      checkGrantable(ctx, changed);
      if (m.account_id === requireActor(ctx).accountId) throw new ConflictError('own_roles', 'You cannot change your own admin rights.', { rule: 'R-ORG-3' });
      await orgScope(tx, org.id).updateMemberships().set({ is_admin: input.admin, admin_sections: sections, updated_at: clock.now() }).where('memberships.id', '=', m.id).execute();
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'membership.roles_changed', targetType: 'membership', targetId: m.id, details: { admin: input.admin, sections } });
      return toMemberView(await lockMember(tx, org.id, m.id), org.ownerAccountId);
    });
  }

  /**
   * Practitioner access for a current member, the owner included (an owner who treats patients holds
   * a licence too). Turning it on needs a licence, free or bought after confirming its price (R-LIC-2);
   * turning it off frees the licence.
   */
  async function setPractitioner(ctx: RequestContext, membershipId: string, enabled: boolean, confirmedChargeMinor: number | undefined, idempotencyKey: string | undefined) {
    const actor = requireActor(ctx);
    const orgCtx = requireOrg(ctx);
    return idempotent(db, clock, { accountId: actor.accountId, key: idempotencyKey, scope: `practitioner:${orgCtx.organisationId}:${membershipId}`, request: { enabled, confirmedChargeMinor } }, async (tx) => {
      const org = await licences.lockFresh(tx, orgCtx.organisationId);
      const m = await lockMember(tx, org.id, membershipId);
      if (m.account_id === org.ownerAccountId && actor.accountId !== org.ownerAccountId) {
        throw new ForbiddenError('owner_only', "Only the owner changes the owner's own practitioner access.", { rule: 'R-ORG-2' });
      }
      if (m.state !== 'active') throw new ConflictError('state_transition_not_allowed', 'Practitioner access can be changed for active members only.', { rule: 'R-PRA-5', state: m.state });
      let charge = { bought: false, amountMinor: 0 };
      if (enabled && !m.practitioner) {
        charge = await licences.secureOne(tx, org, auditActorOf(ctx), { confirmedChargeMinor, cause: 'access_granted', membershipId: m.id, description: `Licence for ${m.name} (practitioner access)` });
      }
      if (enabled !== m.practitioner) {
        await orgScope(tx, org.id).updateMemberships().set({ practitioner: enabled, updated_at: clock.now() }).where('memberships.id', '=', m.id).execute();
        await recordAudit(tx, clock, auditActorOf(ctx), { action: 'membership.roles_changed', targetType: 'membership', targetId: m.id, details: { practitioner: enabled, licenceBought: charge.bought } });
        await events.publish(tx, { type: 'membership.changed', organisationId: org.id, membershipId: m.id, accountId: m.account_id, from: m.state, to: m.state, practitioner: enabled, audit: auditActorOf(ctx, { organisationId: org.id }) });
      }
      return { status: 200, body: { member: toMemberView(await lockMember(tx, org.id, m.id), org.ownerAccountId), licenceBought: charge.bought, chargeMinor: charge.amountMinor } };
    });
  }

  /** The Users page: every member with status, licence and roles (R-ORG-5), searchable, paged. */
  async function list(ctx: RequestContext, q: { search?: string | undefined; status?: string | undefined; limit: number; offset: number }) {
    const orgCtx = requireOrg(ctx);
    await expireIfOverdue(orgCtx.organisationId);
    const scope = orgScope(db, orgCtx.organisationId);
    const org = await scope.organisation().select('owner_account_id').executeTakeFirstOrThrow();
    let query = scope.memberships().select(MEMBER_COLUMNS);
    const states: MembershipState[] =
      q.status === 'unconfirmed' ? ['invited'] : q.status && q.status !== 'current' ? [q.status as MembershipState] : ['invited', 'active', 'access_removed'];
    query = query.where('memberships.state', 'in', states);
    if (q.search) {
      const like = containsPattern(q.search);
      query = query.where((eb) => eb.or([eb(eb.fn('lower', ['memberships.name']), 'like', like), eb('memberships.email', 'like', like)]));
    }
    const [rows, total] = await Promise.all([
      query.orderBy('memberships.name').orderBy('memberships.id').limit(q.limit).offset(q.offset).execute(),
      query.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { members: rows.map((r) => toMemberView(r, org.owner_account_id)), total: Number(total.n) };
  }

  /** R-ORG-5: one member, with their access log from the audit trail. */
  async function detail(ctx: RequestContext, membershipId: string) {
    const orgCtx = requireOrg(ctx);
    const scope = orgScope(db, orgCtx.organisationId);
    const org = await scope.organisation().select('owner_account_id').executeTakeFirstOrThrow();
    const m = await scope.memberships().select(MEMBER_COLUMNS).where('memberships.id', '=', membershipId).executeTakeFirst();
    if (!m) throw new NotFoundError('member');
    const accountId = m.account_id;
    const accessLog = await db
      .selectFrom('audit_log')
      .leftJoin('accounts as actor', 'actor.id', 'audit_log.account_id')
      .select(['audit_log.id', 'at', 'action', 'outcome', 'ip', 'user_agent', 'target_type', 'target_id', 'actor.name as actor_name'])
      .where((eb) =>
        eb.or([
          // The console's actions on this membership (invited, roles, access), by whoever did them.
          eb.and([eb('organisation_id', '=', orgCtx.organisationId), eb('target_type', '=', 'membership'), eb('target_id', '=', m.id)]),
          // The person's own sign-ins, sign-outs and sessions, and what they did in this organisation.
          ...(accountId
            ? [
                eb.and([
                  eb('account_id', '=', accountId),
                  eb.or([
                    eb('organisation_id', '=', orgCtx.organisationId),
                    eb.and([eb('organisation_id', 'is', null), eb('action', 'in', ['account.sign_in', 'account.sign_out', 'session.replaced', 'session.expired', 'account.sign_in_failed', 'session.reported_not_me'])]),
                  ]),
                ]),
              ]
            : []),
        ]),
      )
      .orderBy('audit_log.id', 'desc')
      .limit(100)
      .execute();
    return {
      member: toMemberView(m, org.owner_account_id),
      accessLog: accessLog.map((r) => ({ id: r.id, at: r.at.toISOString(), action: r.action, outcome: r.outcome, actorName: r.actor_name, ip: r.ip, userAgent: r.user_agent, targetType: r.target_type, targetId: r.target_id })),
    };
  }

  /** Open invitations addressed to the signed-in person (the prompt at sign-in, R-PRA-1). */
  async function invitationsFor(person: { accountId: string; email: string; emailVerified: boolean }) {
    // Only a confirmed address sees them (R-ACC-3): anyone could sign up with the address.
    if (!person.emailVerified) return [];
    const email = person.email;
    const rows = await db
      .selectFrom('memberships as m')
      .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
      .leftJoin('accounts as inviter', 'inviter.id', 'm.invited_by')
      .select(['m.id', 'o.id as organisation_id', 'o.name as organisation', 'o.kind', 'inviter.name as inviter', 'm.invitation_expires_at', 'm.practitioner'])
      .where('m.email', '=', email)
      .where('m.state', '=', 'invited')
      .where('m.invitation_expires_at', '>', clock.now())
      .orderBy('m.invited_at')
      .execute();
    // R-PRA-7: the prompt says when accepting ends the person's own subscription.
    const standing = rows.some((r) => r.kind === 'organisation' && r.practitioner) ? await licenceStanding(db, person.accountId, clock.now()) : null;
    const ownLive = standing?.sources.find((s) => s.own && s.subscription && s.subscription.state !== 'ended') ?? null;
    return rows.map((r) => ({
      id: r.id,
      organisationId: r.organisation_id,
      organisation: r.organisation,
      kind: r.kind,
      inviter: r.inviter,
      practitioner: r.practitioner,
      expiresAt: r.invitation_expires_at!.toISOString(),
      endsOwnSubscription: ownLive !== null && r.kind === 'organisation' && r.practitioner,
    }));
  }

  return { invite, inviteLocked, resend, revoke, setPractitioner, invitationByToken, acceptByToken, acceptById, decline, removeAccess, grantAccess, removeFromOrganisation, setRoles, list, detail, invitationsFor, expireAllOverdue };
}

function use(state: MembershipState, practitioner: boolean) {
  return { assigned: practitioner && state === 'active' ? 1 : 0, reserved: practitioner && state === 'invited' ? 1 : 0 };
}

export type MembershipService = ReturnType<typeof createMembershipService>;

