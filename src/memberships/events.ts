import type { AuditActor } from '../audit/events.ts';
import type { Tx } from '../platform/db/database.ts';
import type { MembershipState } from '../platform/db/schema.ts';

/**
 * Published inside the transaction that changes a membership, so that modules acting on clinical
 * data (programmes, sharing) change together with it or not at all.
 */
export interface MembershipChanged {
  type: 'membership.changed';
  organisationId: string;
  membershipId: string;
  accountId: string | null;
  from: MembershipState | null;
  to: MembershipState;
  /** Set when practitioner access itself changed (the state stays the same). */
  practitioner?: boolean;
  /** R-PRA-5: access granted again with re-activation of the programmes the removal disabled. */
  reactivateProgrammes?: boolean;
  /** Who caused it, from where: for records that handlers write in the same transaction. */
  audit: AuditActor;
}

export type MembershipHandler = (tx: Tx, event: MembershipChanged) => Promise<void>;

export class MembershipEvents {
  readonly #handlers: MembershipHandler[] = [];
  subscribe(handler: MembershipHandler): void {
    this.#handlers.push(handler);
  }
  async publish(tx: Tx, event: MembershipChanged): Promise<void> {
    for (const handler of this.#handlers) await handler(tx, event);
  }
}
