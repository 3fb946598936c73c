import type { MembershipAction } from '../audit/events.ts';
import { recordAudit } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import { orgScope } from '../organisations/scope.ts';
import type { Tx } from '../platform/db/database.ts';
import type { MembershipState, MembershipsTable } from '../platform/db/schema.ts';
import { auditActorOf, type RequestContext } from '../platform/http/context.ts';
import type { MembershipEvents } from './events.ts';
import type { MembershipRow } from './store.ts';

/** Columns a state change may set along with the state. */
type StateExtras = Partial<Pick<MembershipsTable, 'account_id' | 'joined_at' | 'ended_at' | 'access_removed_at' | 'invitation_token_hash'>>;

/**
 * Moves memberships between states (R-PRA-1..6). The licence-pool trigger on `memberships` moves
 * the organisation's assigned and reserved counts with the row (docs/decisions/0006); whoever needs
 * the counts afterwards reads them again under the lock.
 */
export function createTransitions({ clock }: Deps, events: MembershipEvents) {
  async function setState(
    tx: Tx,
    ctx: RequestContext,
    organisationId: string,
    m: MembershipRow,
    to: MembershipState,
    extra: StateExtras,
    action: MembershipAction,
    details?: Record<string, string | number | boolean | null>,
    options: { reactivateProgrammes?: boolean } = {},
  ): Promise<void> {
    await orgScope(tx, organisationId).updateMemberships().set({ state: to, updated_at: clock.now(), ...extra }).where('memberships.id', '=', m.id).execute();
    const audit = auditActorOf(ctx, { organisationId });
    await recordAudit(tx, clock, audit, { action, targetType: 'membership', targetId: m.id, ...(details ? { details } : {}) });
    await events.publish(tx, {
      type: 'membership.changed',
      organisationId,
      membershipId: m.id,
      accountId: extra.account_id ?? m.account_id,
      from: m.state,
      to,
      audit,
      ...options,
    });
  }

  return { setState };
}

export type Transitions = ReturnType<typeof createTransitions>;
