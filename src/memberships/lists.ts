import { memberAccessLog } from '../audit/data.ts';
import type { Deps } from '../deps.ts';
import { orgScope } from '../organisations/scope.ts';
import type { MembershipState } from '../platform/db/schema.ts';
import { containsPattern } from '../platform/db/search.ts';
import type { OrgRequestContext } from '../platform/http/context.ts';
import type { AccessLogItemView, MembersQuery, MemberView } from './schemas.ts';
import { findMember, MEMBER_COLUMNS, toMemberView } from './store.ts';

/** The audit actions of a person's own that every organisation they belong to may see in their log. */
const OWN_SESSION_ACTIONS = ['account.sign_in', 'account.sign_out', 'session.replaced', 'session.expired', 'account.sign_in_failed', 'session.reported_not_me'];

/** The Users page and a member's details (R-ORG-5). `expireIfOverdue` brings invitations up to date first (R-PRA-2). */
export function createLists({ db }: Deps, expireIfOverdue: (organisationId: string) => Promise<void>) {
  /** The Users page: every member with status, licence and roles (R-ORG-5), searchable, paged. */
  async function list(ctx: OrgRequestContext, q: MembersQuery): Promise<{ members: MemberView[]; total: number }> {
    const { organisationId } = ctx.org;
    await expireIfOverdue(organisationId);
    const scope = orgScope(db, organisationId);
    const org = await scope.organisation().select('owner_account_id').executeTakeFirstOrThrow();
    let query = scope.memberships().select(MEMBER_COLUMNS);
    const states: MembershipState[] = q.status === 'unconfirmed' ? ['invited'] : q.status && q.status !== 'current' ? [q.status] : ['invited', 'active', 'access_removed'];
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
  async function detail(ctx: OrgRequestContext, membershipId: string): Promise<{ member: MemberView; accessLog: AccessLogItemView[] }> {
    const { organisationId } = ctx.org;
    const org = await orgScope(db, organisationId).organisation().select('owner_account_id').executeTakeFirstOrThrow();
    const m = await findMember(db, organisationId, membershipId);
    const accountId = m.account_id;
    // The console's actions on this membership (invited, roles, access), and the person's own
    // sign-ins, sign-outs and sessions, and what they did in this organisation.
    const accessLog = await memberAccessLog(db, organisationId, m.id, accountId, OWN_SESSION_ACTIONS);
    return {
      member: toMemberView(m, org.owner_account_id),
      accessLog: accessLog.map((r) => ({ id: r.id, at: r.at.toISOString(), action: r.action, outcome: r.outcome, actorName: r.actor_name, ip: r.ip, userAgent: r.user_agent, targetType: r.target_type, targetId: r.target_id, apiKeyPrefix: r.api_key_prefix ?? null })),
    };
  }

  return { list, detail };
}
