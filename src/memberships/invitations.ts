import { accountIdByEmail } from '../accounts/data.ts';
import { recordAudit } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import type { LicenceService, LockedOrganisation } from '../licences/service.ts';
import { queueEmail } from '../mail/outbox.ts';
import { claimMailAllowances, MailThrottledError, minutesText, type MailAllowance } from '../mail/throttle.ts';
import type { OpenInvitationView } from '../organisations/schemas.ts';
import { orgScope } from '../organisations/scope.ts';
import { newId, randomToken, sha256, sha256Hex } from '../platform/crypto.ts';
import { inTransaction, type Tx } from '../platform/db/database.ts';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import { auditActorOf, type OrgRequestContext, type SignedInContext } from '../platform/http/context.ts';
import { idempotent } from '../platform/idempotency.ts';
import { licenceStanding } from '../subscriptions/standing.ts';
import { invitationMessage } from './emails.ts';
import type { MembershipEvents } from './events.ts';
import { checkGrantable } from './roles.ts';
import type { InvitationByTokenView, InviteInput, MemberView, MemberWithPurchase } from './schemas.ts';
import { insertMembership, lockMember, toMemberView } from './store.ts';
import type { Transitions } from './transitions.ts';

/** Invitations: sent, re-sent, revoked, and found by their link or their addressee (R-PRA-1, R-PRA-2, R-LIC-2). */
export function createInvitations(deps: Deps, licences: LicenceService, transitions: Transitions, events: MembershipEvents) {
  const { db, clock, config, jobs } = deps;
  const ttlMs = config.invitationTtlDays * 24 * 60 * 60 * 1000;
  const acceptUrl = (token: string) => `${config.publicUrl}/invitations/accept?token=${encodeURIComponent(token)}`;
  const limits = config.mailLimits;

  /**
   * Invitation mail is limited per recipient (whoever invites them) and per organisation in any
   * hour, so that re-sending, or revoking and inviting again, cannot flood someone's mailbox. The
   * claim is made in the change's transaction, under the organisation's lock: a refused invitation
   * or re-send changes nothing and queues nothing.
   */
  function claimInvitationMail(tx: Tx, org: LockedOrganisation, email: string): Promise<void> {
    const allowances: MailAllowance[] = [
      {
        key: `invitation:to:${sha256Hex(email)}`,
        limit: limits.invitationsPerAddressPerHour,
        windowSeconds: 3600,
        scope: 'recipient',
        refusal: (minutes) =>
          `${email} has already been sent ${limits.invitationsPerAddressPerHour} invitation emails in the last hour. To protect their mailbox, another can be sent in ${minutesText(minutes)}.`,
      },
      {
        key: `invitation:org:${org.id}`,
        limit: limits.invitationsPerOrganisationPerHour,
        windowSeconds: 3600,
        scope: 'organisation',
        refusal: (minutes) =>
          `${org.name} has sent ${limits.invitationsPerOrganisationPerHour} invitation emails in the last hour, the most allowed. More can be sent in ${minutesText(minutes)}.`,
      },
    ];
    return claimMailAllowances(tx, clock, allowances);
  }

  /** A refused invitation rolled back with its transaction: its record is written on its own. */
  async function recordingThrottle<T>(ctx: OrgRequestContext, membershipId: string | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof MailThrottledError) {
        await inTransaction(db, (tx) =>
          recordAudit(tx, clock, auditActorOf(ctx), { action: 'mail.throttled', details: { kind: 'invitation', limit: err.limit, ...(membershipId ? { membershipId } : {}) } }, 'denied'),
        );
      }
      throw err;
    }
  }

  /** R-PRA-1, R-LIC-2: invite by name and email; buys a licence when none is free. */
  async function invite(ctx: OrgRequestContext, input: InviteInput, idempotencyKey: string | undefined) {
    if (input.admin) checkGrantable(ctx.org, input.admin.sections);
    const result = await recordingThrottle(ctx, undefined, () =>
      idempotent(db, clock, { accountId: ctx.actor.accountId, key: idempotencyKey, scope: `invite:${ctx.org.organisationId}`, request: input }, async (tx) => {
        const org = await licences.lockFresh(tx, ctx.org.organisationId);
        return { status: 201, body: await inviteLocked(tx, ctx, org, input) };
      }),
    );
    jobs.kick();
    return result;
  }

  /** The invitation itself, in the caller's transaction and under its organisation lock. */
  async function inviteLocked(tx: Tx, ctx: SignedInContext, org: LockedOrganisation, input: InviteInput): Promise<MemberWithPurchase> {
    const { actor } = ctx;
    const current = await orgScope(tx, org.id).memberships().select(['memberships.id', 'memberships.state']).where('memberships.email', '=', input.email).where('memberships.state', 'in', ['invited', 'active', 'access_removed']).executeTakeFirst();
    if (current) {
      throw new ConflictError(current.state === 'invited' ? 'already_invited' : 'already_member', current.state === 'invited' ? 'This person already has an open invitation. You can re-send it.' : 'This person is already a member of the organisation.', {
        rule: 'R-PRA-1',
        memberId: current.id,
      });
    }
    // Before any licence is bought: a refused invitation costs nothing and leaves nothing behind.
    await claimInvitationMail(tx, org, input.email);
    const audit = auditActorOf(ctx, { organisationId: org.id });
    const id = newId();
    let charge = { bought: false, amountMinor: 0 };
    if (input.practitioner) {
      charge = await licences.secureOne(tx, org, audit, {
        confirmedChargeMinor: input.confirmedChargeMinor,
        cause: 'invitation',
        membershipId: id,
        description: `Licence for ${input.name} (invitation)`,
      });
    }
    const token = randomToken();
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + ttlMs);
    await insertMembership(tx, now, {
      id,
      organisationId: org.id,
      email: input.email,
      name: input.name,
      practitioner: input.practitioner,
      adminSections: input.admin?.sections ?? null,
      joins: { invitedBy: actor.accountId, tokenHash: sha256(token), expiresAt },
    });
    const existing = await accountIdByEmail(tx, input.email);
    await queueEmail(tx, clock, invitationMessage({ to: input.email, name: input.name, organisation: org.name, inviter: actor.name, url: acceptUrl(token), hasAccount: existing !== undefined, expiresAt }));
    await recordAudit(tx, clock, audit, {
      action: 'membership.invited',
      targetType: 'membership',
      targetId: id,
      details: { practitioner: input.practitioner, admin: Boolean(input.admin), licenceBought: charge.bought },
    });
    await events.publish(tx, { type: 'membership.changed', organisationId: org.id, membershipId: id, accountId: null, from: null, to: 'invited', audit });
    const m = await lockMember(tx, org.id, id);
    return { member: toMemberView(m, org.ownerAccountId), licenceBought: charge.bought, chargeMinor: charge.amountMinor };
  }

  /** R-PRA-2: a new link with a new deadline; the earlier link stops working. */
  async function resend(ctx: OrgRequestContext, membershipId: string): Promise<MemberView> {
    const view = await recordingThrottle(ctx, membershipId, () => inTransaction(db, async (tx) => {
      const org = await licences.lockFresh(tx, ctx.org.organisationId);
      const m = await lockMember(tx, org.id, membershipId);
      if (m.state !== 'invited') throw new ConflictError('not_invited', 'Only an open invitation can be re-sent. Invite the person again.', { rule: 'R-PRA-2', state: m.state });
      // A refused re-send keeps the earlier link and its deadline.
      await claimInvitationMail(tx, org, m.email);
      const token = randomToken();
      const expiresAt = new Date(clock.now().getTime() + ttlMs);
      await orgScope(tx, org.id).updateMemberships().set({ invitation_token_hash: sha256(token), invitation_expires_at: expiresAt, updated_at: clock.now() }).where('memberships.id', '=', m.id).execute();
      const existing = await accountIdByEmail(tx, m.email);
      await queueEmail(tx, clock, invitationMessage({ to: m.email, name: m.name, organisation: org.name, inviter: ctx.actor.name, url: acceptUrl(token), hasAccount: existing !== undefined, expiresAt }));
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'membership.invitation_resent', targetType: 'membership', targetId: m.id });
      return toMemberView(await lockMember(tx, org.id, m.id), org.ownerAccountId);
    }));
    jobs.kick();
    return view;
  }

  /** R-PRA-2: revoking frees the licence the invitation reserved. */
  async function revoke(ctx: OrgRequestContext, membershipId: string): Promise<MemberView> {
    return inTransaction(db, async (tx) => {
      const org = await licences.lockFresh(tx, ctx.org.organisationId);
      const m = await lockMember(tx, org.id, membershipId);
      if (m.state !== 'invited') throw new ConflictError('not_invited', 'Only an open invitation can be revoked.', { rule: 'R-PRA-2', state: m.state });
      await transitions.setState(tx, ctx, org.id, m, 'revoked', { ended_at: clock.now(), invitation_token_hash: null }, 'membership.invitation_revoked');
      return toMemberView(await lockMember(tx, org.id, m.id), org.ownerAccountId);
    });
  }

  /** Finds an open invitation by its emailed token, for the accept page. */
  async function invitationByToken(token: string): Promise<InvitationByTokenView> {
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
    const account = await accountIdByEmail(db, m.email);
    return { id: m.id, email: m.email, name: m.name, organisation: m.organisation, inviter: m.inviter, expiresAt: m.invitation_expires_at.toISOString(), hasAccount: account !== undefined };
  }

  /** Open invitations addressed to the signed-in person (the prompt at sign-in, R-PRA-1). */
  async function invitationsFor(person: { accountId: string; email: string; emailVerified: boolean }): Promise<OpenInvitationView[]> {
    // Only a confirmed address sees them (R-ACC-3): anyone could sign up with the address.
    if (!person.emailVerified) return [];
    const rows = await db
      .selectFrom('memberships as m')
      .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
      .leftJoin('accounts as inviter', 'inviter.id', 'm.invited_by')
      .select(['m.id', 'o.id as organisation_id', 'o.name as organisation', 'o.kind', 'inviter.name as inviter', 'm.invitation_expires_at', 'm.practitioner'])
      .where('m.email', '=', person.email)
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

  return { invite, inviteLocked, resend, revoke, invitationByToken, invitationsFor };
}
