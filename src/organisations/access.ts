import type { Db } from '../platform/db/database.ts';
import type { AdminSection } from '../platform/db/schema.ts';
import { ForbiddenError, NotFoundError, PaymentRequiredError } from '../platform/errors.ts';
import type { Actor } from '../platform/http/context.ts';

export const ADMIN_SECTIONS: readonly AdminSection[] = ['users', 'sharing', 'defaults', 'security', 'import', 'audit'];

/** The caller's standing in one organisation, read from the database on every request (R-SES-6). */
export interface OrgContext {
  organisationId: string;
  membershipId: string;
  isOwner: boolean;
  isAdmin: boolean;
  /** Sections the caller may use: all of them for the owner (R-ORG-3). */
  sections: AdminSection[];
  practitioner: boolean;
}

export type OrgRequirement = 'member' | 'practitioner' | 'owner' | AdminSection;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Resolves and checks the caller's membership. Someone who is not a member learns nothing: the
 * organisation is "not found", exactly like one that does not exist (SPEC section 12).
 */
export async function resolveOrgContext(db: Db, actor: Actor, organisationId: string, need: OrgRequirement): Promise<OrgContext> {
  if (!UUID.test(organisationId)) throw new NotFoundError('organisation');
  const row = await db
    .selectFrom('memberships as m')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .leftJoin('accounts as owner', 'owner.id', 'o.owner_account_id')
    .select(['m.id', 'm.state', 'm.practitioner', 'm.is_admin', 'm.admin_sections', 'o.owner_account_id', 'o.status', 'o.name as org_name', 'owner.name as owner_name', 'owner.email as owner_email'])
    .where('m.organisation_id', '=', organisationId)
    .where('m.account_id', '=', actor.accountId)
    .where('m.state', 'in', ['active', 'access_removed'])
    // An individual subscription is managed from its own page, never through the console's routes.
    .where('o.kind', '=', 'organisation')
    .executeTakeFirst();
  if (!row) throw new NotFoundError('organisation');
  const isOwner = row.owner_account_id === actor.accountId;
  if (row.state === 'access_removed' && !isOwner) {
    throw new ForbiddenError('access_removed', `${row.org_name} removed your access to Motus. Contact ${row.owner_name} (${row.owner_email}) if you think this is a mistake.`, {
      rule: 'R-PRA-4',
      organisation: row.org_name,
      contact: { name: row.owner_name, email: row.owner_email },
    });
  }
  const ctx: OrgContext = {
    organisationId,
    membershipId: row.id,
    isOwner,
    isAdmin: isOwner || row.is_admin,
    sections: isOwner ? [...ADMIN_SECTIONS] : row.is_admin ? row.admin_sections : [],
    practitioner: row.practitioner && row.state === 'active',
  };
  switch (need) {
    case 'member':
      return ctx;
    case 'practitioner':
      if (!ctx.practitioner) throw new ForbiddenError('practitioner_access_required', 'You do not have practitioner access in this organisation.');
      if (row.status === 'payment_required') {
        // R-LIC-7: practitioners cannot work until the owner pays; the console stays open to sort it out.
        throw new PaymentRequiredError('payment_required', `${row.org_name} has an unpaid invoice. Motus is paused for its practitioners until ${row.owner_name} pays it; your patients can still read their programmes.`, {
          rule: 'R-LIC-7',
          contact: { name: row.owner_name, email: row.owner_email },
        });
      }
      return ctx;
    case 'owner':
      if (!isOwner) throw new ForbiddenError('owner_only', 'Only the organisation owner can use Payments & billing.', { rule: 'R-ORG-3' });
      return ctx;
    default:
      if (!ctx.sections.includes(need)) {
        throw new ForbiddenError('section_required', `You need the "${need}" section of the organisation console for this.`, { rule: 'R-ORG-3', section: need });
      }
      return ctx;
  }
}

/**
 * The caller's own individual subscription, as the context its billing services run in: the
 * subscriber is its owner (R-SUB-2). Without one, the subscription is "not found".
 */
export async function resolveSubscriptionContext(db: Db, actor: Actor): Promise<OrgContext> {
  const row = await db
    .selectFrom('organisations as o')
    .innerJoin('memberships as m', (j) => j.onRef('m.organisation_id', '=', 'o.id').onRef('m.account_id', '=', 'o.owner_account_id'))
    .select(['o.id', 'm.id as membership_id', 'm.practitioner', 'm.state'])
    .where('o.owner_account_id', '=', actor.accountId)
    .where('o.kind', '=', 'subscription')
    .where('m.state', '=', 'active')
    .executeTakeFirst();
  if (!row) throw new NotFoundError('subscription');
  return { organisationId: row.id, membershipId: row.membership_id, isOwner: true, isAdmin: false, sections: [], practitioner: row.practitioner };
}
