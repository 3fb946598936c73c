import type { ExpressionBuilder } from 'kysely';
import type { Queryable, Tx } from '../platform/db/database.ts';
import type { Database } from '../platform/db/schema.ts';

/**
 * The memberships of one organisation: the tenant filter is part of every query built on it
 * (orgScope hands it to services).
 */
export function organisationMemberships(q: Queryable, organisationId: string) {
  return q.selectFrom('memberships').where('memberships.organisation_id', '=', organisationId);
}

/** An update of memberships of one organisation only. */
export function updateOrganisationMemberships(q: Queryable, organisationId: string) {
  return q.updateTable('memberships').where('memberships.organisation_id', '=', organisationId);
}

/** A member's state and practitioner access in the organisation; undefined for someone not in it. */
export async function memberStanding(q: Queryable, organisationId: string, membershipId: string) {
  return q.selectFrom('memberships').select(['id', 'state', 'practitioner']).where('organisation_id', '=', organisationId).where('id', '=', membershipId).executeTakeFirst();
}

/** The account behind a member of the organisation, with its state and practitioner access. */
export async function memberAccountStanding(q: Queryable, organisationId: string, membershipId: string) {
  return q.selectFrom('memberships').select(['account_id', 'state', 'practitioner']).where('organisation_id', '=', organisationId).where('id', '=', membershipId).executeTakeFirst();
}

/** The account behind a member of the organisation (null until an invitation is accepted). */
export async function memberIdentity(q: Queryable, organisationId: string, membershipId: string) {
  return q.selectFrom('memberships').select(['id', 'account_id']).where('organisation_id', '=', organisationId).where('id', '=', membershipId).executeTakeFirst();
}

/** A member's state in the organisation; undefined for someone not in it. */
export async function memberState(q: Queryable, organisationId: string, membershipId: string) {
  return q.selectFrom('memberships').select('state').where('id', '=', membershipId).where('organisation_id', '=', organisationId).executeTakeFirst();
}

/** A membership known to exist (named by a job or an event): its account, state and practitioner access. */
export async function membershipStanding(tx: Tx, membershipId: string) {
  return tx.selectFrom('memberships').select(['account_id', 'state', 'practitioner']).where('id', '=', membershipId).executeTakeFirstOrThrow();
}

/** Whether a membership known to exist holds practitioner access. */
export async function membershipPractitioner(tx: Tx, membershipId: string) {
  return tx.selectFrom('memberships').select('practitioner').where('id', '=', membershipId).executeTakeFirstOrThrow();
}

/**
 * Holds the account's active memberships for the rest of the transaction (shared): a removal of its
 * access that commits meanwhile waits for the work the transaction does as that practitioner (R-PRA-3).
 */
export async function holdActiveMemberships(tx: Tx, accountId: string): Promise<void> {
  await tx.selectFrom('memberships').select('id').where('account_id', '=', accountId).where('state', '=', 'active').forShare().execute();
}

/**
 * The first organisation (or subscription) where both accounts are active practitioners; undefined
 * when there is none.
 */
export async function firstCommonPractice(q: Queryable, accountId: string, colleagueId: string) {
  return q
    .selectFrom('memberships as mine')
    .innerJoin('memberships as theirs', 'theirs.organisation_id', 'mine.organisation_id')
    .select('mine.organisation_id')
    .where('mine.account_id', '=', accountId)
    .where('mine.state', '=', 'active')
    .where('mine.practitioner', '=', true)
    .where('theirs.account_id', '=', colleagueId)
    .where('theirs.state', '=', 'active')
    .where('theirs.practitioner', '=', true)
    .orderBy('mine.organisation_id')
    .executeTakeFirst();
}

/** Which of `accountIds` are active practitioners of the organisation. */
export async function activePractitionersAmong(q: Queryable, organisationId: string, accountIds: string[]) {
  return q
    .selectFrom('memberships')
    .select('account_id')
    .where('organisation_id', '=', organisationId)
    .where('account_id', 'in', accountIds)
    .where('state', '=', 'active')
    .where('practitioner', '=', true)
    .execute();
}

/** A member who leaves the organisation leaves its share group and stops receiving its content (R-SHR-1). */
export async function leaveSharing(tx: Tx, membershipId: string): Promise<void> {
  await tx.updateTable('memberships').set({ in_share_group: false, receives_content: false }).where('id', '=', membershipId).execute();
}

/**
 * The practices (organisations or subscriptions) whose patients an account may still reach as their
 * owner: where the account holds practitioner access now (`working`), and those it was removed from
 * and has not rejoined (`left`; R-PRA-6: a practitioner removed from an organisation keeps their own
 * remaining patients). A practice where their access was removed, or where they are an admin only,
 * is in neither (R-PRA-3, R-PRA-4). A subquery, built on the caller's query (the patient rule R-PAT-2).
 */
export function ownerPractices(eb: ExpressionBuilder<Database, 'patients'>, accountId: string, which: 'working' | 'left') {
  const own = eb.selectFrom('memberships as own').select('own.organisation_id').where('own.account_id', '=', accountId);
  if (which === 'working') return own.where('own.state', '=', 'active').where('own.practitioner', '=', true);
  return own
    .where('own.state', '=', 'removed')
    .where((w) =>
      w.not(
        w.exists(
          w
            .selectFrom('memberships as again')
            .select('again.id')
            .where('again.account_id', '=', accountId)
            .whereRef('again.organisation_id', '=', 'own.organisation_id')
            .where('again.state', 'in', ['active', 'access_removed']),
        ),
      ),
    );
}

/** The membership ids of accounts in the organisation (active or with access removed), by account. */
export async function memberIdsOfAccounts(q: Queryable, organisationId: string, accountIds: string[]): Promise<Map<string, string>> {
  if (accountIds.length === 0) return new Map();
  const rows = await q.selectFrom('memberships').select(['id', 'account_id']).where('organisation_id', '=', organisationId).where('account_id', 'in', accountIds).where('state', 'in', ['active', 'access_removed']).execute();
  return new Map(rows.map((r) => [r.account_id!, r.id]));
}
