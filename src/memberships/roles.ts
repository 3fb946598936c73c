import { recordAudit } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import type { LicenceService } from '../licences/service.ts';
import type { OrgContext } from '../organisations/access.ts';
import { orgScope } from '../organisations/scope.ts';
import { inTransaction } from '../platform/db/database.ts';
import type { AdminSection } from '../platform/db/schema.ts';
import { ConflictError, ForbiddenError } from '../platform/errors.ts';
import { auditActorOf, type OrgRequestContext } from '../platform/http/context.ts';
import { idempotent } from '../platform/idempotency.ts';
import type { MembershipEvents } from './events.ts';
import type { MemberView, MemberWithPurchase, RolesInput } from './schemas.ts';
import { lockMember, toMemberView } from './store.ts';

/** R-ORG-3: an admin grants (or takes away) only the console sections they hold themselves. */
export function checkGrantable(org: OrgContext, sections: readonly AdminSection[]): void {
  const beyond = sections.filter((s) => !org.sections.includes(s));
  if (beyond.length > 0) {
    throw new ForbiddenError('cannot_grant_unheld_right', `You cannot grant sections you do not hold: ${beyond.join(', ')}.`, { rule: 'R-ORG-3', sections: beyond });
  }
}

/** A member's roles: admin rights with their console sections, and practitioner access (a licence). */
export function createRoles({ db, clock }: Deps, licences: LicenceService, events: MembershipEvents) {
  /** R-ORG-3: admin rights; an admin grants only sections they hold. */
  async function setRoles(ctx: OrgRequestContext, membershipId: string, input: RolesInput): Promise<MemberView> {
    return inTransaction(db, async (tx) => {
      const org = await licences.lock(tx, ctx.org.organisationId);
      const m = await lockMember(tx, org.id, membershipId);
      if (m.account_id === org.ownerAccountId) throw new ConflictError('owner_roles_fixed', 'The owner always holds every section.', { rule: 'R-ORG-2' });
      if (!['active', 'access_removed', 'invited'].includes(m.state)) throw new ConflictError('state_transition_not_allowed', 'Roles can only be changed for current members.', { state: m.state });
      // Granting or taking away a section the caller does not hold is refused alike.
      const sections = input.admin ? input.sections : [];
      const before = m.is_admin ? m.admin_sections : [];
      const changed = [...new Set([...before, ...sections])].filter((s) => before.includes(s) !== sections.includes(s));
      checkGrantable(ctx.org, changed);
      if (m.account_id === ctx.actor.accountId) throw new ConflictError('own_roles', 'You cannot change your own admin rights.', { rule: 'R-ORG-3' });
      await orgScope(tx, org.id).updateMemberships().set({ is_admin: input.admin, admin_sections: sections, updated_at: clock.now() }).where('memberships.id', '=', m.id).execute();
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'membership.roles_changed', targetType: 'membership', targetId: m.id, details: { admin: input.admin, sections } });
      return toMemberView(await lockMember(tx, org.id, m.id), org.ownerAccountId);
    });
  }

  /**
   * Practitioner access for a current member, the owner included (an owner who treats patients holds
   * a licence too). Turning it on needs a licence, free or bought after confirming its price (R-LIC-2);
   * turning it off frees the licence. Asking for what the member has already changes nothing, and
   * is recorded as such.
   */
  async function setPractitioner(ctx: OrgRequestContext, membershipId: string, enabled: boolean, confirmedChargeMinor: number | undefined, idempotencyKey: string | undefined) {
    const { actor } = ctx;
    return idempotent(db, clock, { accountId: actor.accountId, key: idempotencyKey, scope: `practitioner:${ctx.org.organisationId}:${membershipId}`, request: { enabled, confirmedChargeMinor } }, async (tx) => {
      const org = await licences.lockFresh(tx, ctx.org.organisationId);
      const m = await lockMember(tx, org.id, membershipId);
      if (m.account_id === org.ownerAccountId && actor.accountId !== org.ownerAccountId) {
        throw new ForbiddenError('owner_only', "Only the owner changes the owner's own practitioner access.", { rule: 'R-ORG-2' });
      }
      if (m.state !== 'active') throw new ConflictError('state_transition_not_allowed', 'Practitioner access can be changed for active members only.', { rule: 'R-PRA-5', state: m.state });
      let charge = { bought: false, amountMinor: 0 };
      if (enabled && !m.practitioner) {
        charge = await licences.secureOne(tx, org, auditActorOf(ctx), { confirmedChargeMinor, cause: 'access_granted', membershipId: m.id, description: `Licence for ${m.name} (practitioner access)` });
      }
      if (enabled === m.practitioner) {
        await recordAudit(tx, clock, auditActorOf(ctx), { action: 'request.unchanged', targetType: 'membership', targetId: m.id, details: { reason: 'practitioner_access_unchanged' } });
      } else {
        await orgScope(tx, org.id).updateMemberships().set({ practitioner: enabled, updated_at: clock.now() }).where('memberships.id', '=', m.id).execute();
        await recordAudit(tx, clock, auditActorOf(ctx), { action: 'membership.roles_changed', targetType: 'membership', targetId: m.id, details: { practitioner: enabled, licenceBought: charge.bought } });
        await events.publish(tx, { type: 'membership.changed', organisationId: org.id, membershipId: m.id, accountId: m.account_id, from: m.state, to: m.state, practitioner: enabled, audit: auditActorOf(ctx, { organisationId: org.id }) });
      }
      const body: MemberWithPurchase = { member: toMemberView(await lockMember(tx, org.id, m.id), org.ownerAccountId), licenceBought: charge.bought, chargeMinor: charge.amountMinor };
      return { status: 200, body };
    });
  }

  return { setRoles, setPractitioner };
}
