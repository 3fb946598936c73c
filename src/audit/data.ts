import { joinActingAccount } from '../accounts/data.ts';
import { apiKeyPrefixOf } from '../integrations/keys.ts';
import type { Queryable } from '../platform/db/database.ts';

/**
 * R-AUD-4: the records of one account's own actions, newest first; `before` (a record id) pages
 * back from there.
 */
export async function accountAuditRecords(q: Queryable, accountId: string, limit: number, before?: number) {
  let query = q
    .selectFrom('audit_log')
    .select(['id', 'at', 'action', 'outcome', 'ip', 'user_agent', 'target_type', 'target_id'])
    .select((eb) => apiKeyPrefixOf(eb.ref('audit_log.api_key_id')).as('api_key_prefix'))
    .where('account_id', '=', accountId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit);
  if (before) query = query.where('id', '<', before);
  return query.execute();
}

/**
 * R-ORG-5: a member's access log as their organisation sees it, newest first: the console's actions
 * on the membership, by whoever did them, and, once the invitation was accepted (`accountId`), the
 * person's own actions in the organisation and their own `sessionActions` outside any organisation.
 */
export async function memberAccessLog(q: Queryable, organisationId: string, membershipId: string, accountId: string | null, sessionActions: readonly string[]) {
  return joinActingAccount(q.selectFrom('audit_log'))
    .select(['audit_log.id', 'at', 'action', 'outcome', 'ip', 'user_agent', 'target_type', 'target_id', 'actor.name as actor_name'])
    .select((eb) => apiKeyPrefixOf(eb.ref('audit_log.api_key_id')).as('api_key_prefix'))
    .where((eb) =>
      eb.or([
        eb.and([eb('organisation_id', '=', organisationId), eb('target_type', '=', 'membership'), eb('target_id', '=', membershipId)]),
        ...(accountId
          ? [
              eb.and([
                eb('account_id', '=', accountId),
                eb.or([eb('organisation_id', '=', organisationId), eb.and([eb('organisation_id', 'is', null), eb('action', 'in', sessionActions)])]),
              ]),
            ]
          : []),
      ]),
    )
    .orderBy('audit_log.id', 'desc')
    .limit(100)
    .execute();
}
