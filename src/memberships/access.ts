import type { Deps } from '../deps.ts';
import { freeLicences } from '../licences/pool.ts';
import type { LicenceService } from '../licences/service.ts';
import { inTransaction } from '../platform/db/database.ts';
import { ConflictError, ForbiddenError } from '../platform/errors.ts';
import { auditActorOf, type OrgRequestContext } from '../platform/http/context.ts';
import { idempotent } from '../platform/idempotency.ts';
import type { MemberView, MemberWithPurchase } from './schemas.ts';
import { lockMember, toMemberView } from './store.ts';
import type { Transitions } from './transitions.ts';

/** A member's access: removed (R-PRA-3), granted again (R-PRA-5), or the member removed (R-PRA-6). */
export function createAccess({ db, clock }: Deps, licences: LicenceService, transitions: Transitions) {
  /** R-PRA-3: frees the licence at once and keeps the person listed. */
  async function removeAccess(ctx: OrgRequestContext, membershipId: string): Promise<MemberView> {
    return inTransaction(db, async (tx) => {
      const org = await licences.lock(tx, ctx.org.organisationId);
      const m = await lockMember(tx, org.id, membershipId);
      if (m.account_id === org.ownerAccountId) throw new ConflictError('owner_access_kept', "The owner's access cannot be removed. Transfer ownership first.", { rule: 'R-ORG-2' });
      if (m.state !== 'active') throw new ConflictError('state_transition_not_allowed', `Access can only be removed from an active member (this one is ${m.state.replace('_', ' ')}).`, { rule: 'R-PRA-3', state: m.state });
      await transitions.setState(tx, ctx, org.id, m, 'access_removed', { access_removed_at: clock.now() }, 'membership.access_removed');
      return toMemberView(await lockMember(tx, org.id, m.id), org.ownerAccountId);
    });
  }

  /** R-PRA-5: needs a licence (free or bought after confirming its price); restores the previous roles. */
  async function grantAccess(ctx: OrgRequestContext, membershipId: string, confirmedChargeMinor: number | undefined, idempotencyKey: string | undefined, reactivateProgrammes = false) {
    const request = reactivateProgrammes ? { confirmedChargeMinor, reactivateProgrammes } : { confirmedChargeMinor };
    return idempotent(db, clock, { accountId: ctx.actor.accountId, key: idempotencyKey, scope: `grant:${ctx.org.organisationId}:${membershipId}`, request }, async (tx) => {
      const org = await licences.lockFresh(tx, ctx.org.organisationId);
      const m = await lockMember(tx, org.id, membershipId);
      if (m.state !== 'access_removed') throw new ConflictError('state_transition_not_allowed', 'Access can only be granted again to a member whose access was removed.', { rule: 'R-PRA-5', state: m.state });
      let charge = { bought: false, amountMinor: 0 };
      if (m.practitioner) {
        charge = await licences.secureOne(tx, org, auditActorOf(ctx), { confirmedChargeMinor, cause: 'access_granted', membershipId: m.id, description: `Licence for ${m.name} (access granted again)` });
      }
      await transitions.setState(tx, ctx, org.id, m, 'active', { access_removed_at: null }, 'membership.access_granted', { licenceBought: charge.bought, reactivateProgrammes }, { reactivateProgrammes });
      const body: MemberWithPurchase = { member: toMemberView(await lockMember(tx, org.id, m.id), org.ownerAccountId), licenceBought: charge.bought, chargeMinor: charge.amountMinor };
      return { status: 200, body };
    });
  }

  /** R-PRA-6: the account is kept; the licence is freed, and may be removed in the same step. */
  async function removeFromOrganisation(ctx: OrgRequestContext, membershipId: string, removeLicence: boolean, idempotencyKey: string | undefined) {
    if (removeLicence && !ctx.org.isOwner) {
      throw new ForbiddenError('owner_only', 'Only the owner can remove licences (Payments & billing).', { rule: 'R-ORG-3' });
    }
    return idempotent(db, clock, { accountId: ctx.actor.accountId, key: idempotencyKey, scope: `remove:${ctx.org.organisationId}:${membershipId}`, request: { removeLicence } }, async (tx) => {
      const org = await licences.lockFresh(tx, ctx.org.organisationId);
      const m = await lockMember(tx, org.id, membershipId);
      if (m.account_id === org.ownerAccountId) throw new ConflictError('owner_cannot_leave', 'The owner cannot be removed. Transfer ownership first.', { rule: 'R-ORG-2' });
      if (m.state !== 'active' && m.state !== 'access_removed') {
        throw new ConflictError('state_transition_not_allowed', 'Only a member can be removed from the organisation.', { rule: 'R-PRA-6', state: m.state });
      }
      await transitions.setState(tx, ctx, org.id, m, 'removed', { ended_at: clock.now() }, 'membership.removed', { licenceRemoved: removeLicence });
      let creditMinor = 0;
      if (removeLicence) {
        // The pool as the trigger left it once the member is gone; refusing rolls the removal back too.
        const after = await licences.lock(tx, org.id);
        if (freeLicences(after) < 1) {
          throw new ConflictError('no_free_licence', 'No licence would be free after this removal, so none can be removed with it.', { rule: 'R-LIC-3' });
        }
        creditMinor = (await licences.remove(tx, after, auditActorOf(ctx), 1, `Licence of ${m.name} removed`)).amountMinor;
      }
      return { status: 200, body: { member: toMemberView(await lockMember(tx, org.id, m.id), org.ownerAccountId), creditMinor } };
    });
  }

  return { removeAccess, grantAccess, removeFromOrganisation };
}
