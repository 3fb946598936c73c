import { ADMIN_SECTIONS } from '../organisations/access.ts';
import { orgScope } from '../organisations/scope.ts';
import { newId } from '../platform/crypto.ts';
import type { Queryable, Tx } from '../platform/db/database.ts';
import type { AdminSection, MembershipsTable } from '../platform/db/schema.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { MemberView } from './schemas.ts';

/** A membership as the rules read it. */
export type MembershipRow = Pick<
  MembershipsTable,
  'id' | 'organisation_id' | 'account_id' | 'email' | 'name' | 'state' | 'practitioner' | 'invited_at' | 'joined_at' | 'invitation_expires_at' | 'access_removed_at'
> & { is_admin: boolean; admin_sections: AdminSection[] };

export const MEMBER_COLUMNS = [
  'memberships.id',
  'memberships.organisation_id',
  'memberships.account_id',
  'memberships.email',
  'memberships.name',
  'memberships.state',
  'memberships.practitioner',
  'memberships.is_admin',
  'memberships.admin_sections',
  'memberships.invited_at',
  'memberships.joined_at',
  'memberships.invitation_expires_at',
  'memberships.access_removed_at',
] as const;

export function toMemberView(m: MembershipRow, ownerAccountId: string): MemberView {
  const owner = m.account_id !== null && m.account_id === ownerAccountId;
  return {
    id: m.id,
    accountId: m.account_id,
    name: m.name,
    email: m.email,
    status: m.state === 'invited' ? 'unconfirmed' : m.state,
    licence: m.practitioner && m.state === 'active' ? 'assigned' : m.practitioner && m.state === 'invited' ? 'reserved' : 'none',
    roles: { owner, practitioner: m.practitioner, admin: owner || m.is_admin, sections: owner ? [...ADMIN_SECTIONS] : m.is_admin ? m.admin_sections : [] },
    invitedAt: m.invited_at.toISOString(),
    joinedAt: m.joined_at?.toISOString() ?? null,
    invitationExpiresAt: m.invitation_expires_at?.toISOString() ?? null,
    accessRemovedAt: m.access_removed_at?.toISOString() ?? null,
  };
}

/** A member of the organisation, locked for the change that follows (under the organisation's lock). */
export async function lockMember(tx: Tx, organisationId: string, membershipId: string): Promise<MembershipRow> {
  const m = await orgScope(tx, organisationId).memberships().select(MEMBER_COLUMNS).where('memberships.id', '=', membershipId).forUpdate().executeTakeFirst();
  if (!m) throw new NotFoundError('member');
  return m;
}

/** A member of the organisation, read without a lock. */
export async function findMember(db: Queryable, organisationId: string, membershipId: string): Promise<MembershipRow> {
  const m = await orgScope(db, organisationId).memberships().select(MEMBER_COLUMNS).where('memberships.id', '=', membershipId).executeTakeFirst();
  if (!m) throw new NotFoundError('member');
  return m;
}

export interface NewMembership {
  /** Given when something must name the membership before it exists (a licence bought for it). */
  id?: string;
  organisationId: string;
  email: string;
  name: string;
  practitioner: boolean;
  /** The console sections held as an admin; null for someone who is not one (R-ORG-3). */
  adminSections: AdminSection[] | null;
  /** An invitation waiting for its answer (R-PRA-1), or a person who is a member from the start. */
  joins: { invitedBy: string; tokenHash: Buffer; expiresAt: Date } | { accountId: string };
}

/**
 * The one place a membership row is created: an invitation, or the owner of a new organisation or
 * subscription. The licence-pool trigger counts it at once (docs/decisions/0006); the caller holds
 * the organisation's lock and writes the audit record and the event.
 */
export async function insertMembership(tx: Tx, now: Date, m: NewMembership): Promise<string> {
  const id = m.id ?? newId();
  const invitation = 'invitedBy' in m.joins ? m.joins : null;
  const accountId = 'accountId' in m.joins ? m.joins.accountId : null;
  await tx
    .insertInto('memberships')
    .values({
      id,
      organisation_id: m.organisationId,
      account_id: accountId,
      email: m.email,
      name: m.name,
      state: invitation ? 'invited' : 'active',
      practitioner: m.practitioner,
      is_admin: m.adminSections !== null,
      admin_sections: m.adminSections ?? [],
      invited_by: invitation?.invitedBy ?? null,
      invitation_token_hash: invitation?.tokenHash ?? null,
      invitation_expires_at: invitation?.expiresAt ?? null,
      invited_at: now,
      joined_at: invitation ? null : now,
      ended_at: null,
      access_removed_at: null,
      updated_at: now,
    })
    .execute();
  return id;
}
