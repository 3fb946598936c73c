import { recordAudit } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import type { LicenceService } from '../licences/service.ts';
import { orgScope } from '../organisations/scope.ts';
import { inTransaction, type Tx } from '../platform/db/database.ts';
import type { MembershipEvents } from './events.ts';

/**
 * R-PRA-2: an invitation past its deadline expires and frees the licence it reserved. Runs under
 * the organisation's row lock, before anything reads or changes its pool, so that nobody sees an
 * expired invitation still holding a licence.
 */
export function createInvitationExpiry({ db, clock }: Deps, events: MembershipEvents) {
  async function expireOverdue(tx: Tx, organisationId: string): Promise<number> {
    const now = clock.now();
    const expired = await orgScope(tx, organisationId)
      .updateMemberships()
      .set({ state: 'expired', ended_at: now, invitation_token_hash: null, updated_at: now })
      .where('state', '=', 'invited')
      .where('invitation_expires_at', '<=', now)
      .returning(['id', 'account_id'])
      .execute();
    for (const m of expired) {
      const system = { accountId: null, sessionId: null, organisationId, ip: null, userAgent: 'motus', requestId: null };
      await recordAudit(tx, clock, system, {
        action: 'membership.invitation_expired',
        targetType: 'membership',
        targetId: m.id,
      });
      await events.publish(tx, { type: 'membership.changed', organisationId, membershipId: m.id, accountId: m.account_id, from: 'invited', to: 'expired', audit: system });
    }
    return expired.length;
  }

  /** A cheap check, so that reads take the lock only when something is due. */
  async function hasOverdue(organisationId: string): Promise<boolean> {
    const row = await orgScope(db, organisationId)
      .memberships()
      .select('memberships.id')
      .where('memberships.state', '=', 'invited')
      .where('memberships.invitation_expires_at', '<=', clock.now())
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Organisations with overdue invitations (the periodic sweep). */
  async function organisationsWithOverdue(): Promise<string[]> {
    const rows = await db.selectFrom('memberships').select('organisation_id').distinct().where('state', '=', 'invited').where('invitation_expires_at', '<=', clock.now()).execute();
    return rows.map((r) => r.organisation_id);
  }

  return { expireOverdue, hasOverdue, organisationsWithOverdue };
}

export type InvitationExpiry = ReturnType<typeof createInvitationExpiry>;

/**
 * The expiry run where nobody is changing the pool: each organisation is locked first, as any
 * change of its pool would be (docs/decisions/0006).
 */
export function createExpirySweeps({ db }: Deps, licences: Pick<LicenceService, 'lock' | 'lockFresh'>, expiry: InvitationExpiry) {
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

  return { expireAllOverdue, expireIfOverdue };
}
