/** How members, their status, licence and roles read in the console (R-ORG-5). */
import { actionLabel } from '../audit/actions.ts';
import { describeSections } from '../console/sections.ts';
import type { AccessLogItemView, MemberLicence, MemberStatus, MemberView } from '../../../src/memberships/schemas.ts';
import type { MyRightsView } from '../../../src/organisations/schemas.ts';

export const STATUS_LABELS: Record<MemberStatus, { label: string; color: string }> = {
  unconfirmed: { label: 'Unconfirmed', color: 'yellow' },
  active: { label: 'Active', color: 'green' },
  access_removed: { label: 'Access removed', color: 'red' },
  removed: { label: 'Removed', color: 'gray' },
  declined: { label: 'Declined', color: 'gray' },
  expired: { label: 'Expired', color: 'gray' },
  revoked: { label: 'Revoked', color: 'gray' },
};

export function statusLabel(status: string): { label: string; color: string } {
  return STATUS_LABELS[status as MemberStatus] ?? { label: status.replace(/_/g, ' '), color: 'gray' };
}

export function licenceLabel(licence: MemberLicence): string {
  return licence === 'assigned' ? 'Assigned' : licence === 'reserved' ? 'Reserved' : '—';
}

/** What the licence column means, for screen readers and tooltips. */
export function licenceDescription(licence: MemberLicence): string {
  if (licence === 'assigned') return 'Holds a licence';
  if (licence === 'reserved') return 'A licence is kept for them until they accept';
  return 'No licence';
}

/** "Owner", "Practitioner", "Admin" — the roles a member holds, most senior first. */
export function roleNames(roles: MemberView['roles']): string[] {
  const names: string[] = [];
  if (roles.owner) names.push('Owner');
  else if (roles.admin) names.push('Admin');
  if (roles.practitioner) names.push('Practitioner');
  return names;
}

export function adminSummary(roles: MemberView['roles']): string | null {
  if (roles.owner) return 'All sections and Payments & billing';
  if (!roles.admin) return null;
  return describeSections(roles.sections);
}

/** Possessive pronoun-free shorthand for a person: "Jane" from "Jane Doe". */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] || name;
}

export interface MemberActions {
  resend: boolean;
  revoke: boolean;
  removeAccess: boolean;
  grantAccess: boolean;
  removeFromOrganisation: boolean;
  makeOwner: boolean;
  editRoles: boolean;
  /** Why roles cannot be changed here, when they cannot. */
  rolesLockedReason: string | null;
  /** Why access cannot be removed, for an active member whose access stays. */
  accessLockedReason: string | null;
}

/** The actions the console offers for a member, by their state and who is looking (R-PRA-1..6, R-ORG-2/3). */
export function memberActions(member: MemberView, me: Pick<MyRightsView, 'membershipId' | 'owner'>): MemberActions {
  const self = member.id === me.membershipId;
  const owner = member.roles.owner;
  const current = member.status === 'active' || member.status === 'access_removed';
  let rolesLockedReason: string | null = null;
  if (owner) rolesLockedReason = 'The owner always holds every section.';
  else if (self) rolesLockedReason = 'You cannot change your own admin rights. Ask the owner or another admin.';
  else if (!current && member.status !== 'unconfirmed') rolesLockedReason = 'Roles can only be changed for current members.';
  let accessLockedReason: string | null = null;
  if (member.status === 'active' && owner) accessLockedReason = "The owner's access can't be removed. Ownership has to move to someone else first.";
  else if (member.status === 'active' && self) accessLockedReason = 'You cannot remove your own access. Ask the owner or another admin.';
  return {
    resend: member.status === 'unconfirmed',
    revoke: member.status === 'unconfirmed',
    removeAccess: member.status === 'active' && !owner && !self,
    grantAccess: member.status === 'access_removed',
    removeFromOrganisation: current && !owner && !self,
    makeOwner: me.owner && member.status === 'active' && !owner && member.accountId !== null,
    editRoles: rolesLockedReason === null,
    rolesLockedReason,
    accessLockedReason,
  };
}

/** What happened to the member themselves, whoever did it. */
const ABOUT_THE_MEMBER: Record<string, string> = {
  'membership.invited': 'Invited to the organisation',
  'membership.invitation_resent': 'Invitation re-sent',
  'membership.invitation_revoked': 'Invitation revoked',
  'membership.invitation_declined': 'Declined the invitation',
  'membership.invitation_expired': 'Invitation expired',
  'membership.accepted': 'Joined the organisation',
  'membership.access_removed': 'Access removed',
  'membership.access_granted': 'Access granted again',
  'membership.removed': 'Removed from the organisation',
  'membership.roles_changed': 'Console access changed',
};

/**
 * A line of a member's access log (R-ORG-5): things done to their membership read as what happened
 * to them ("Access removed"); their own actions read as what they did ("Invited a user").
 */
export function accessLogLabel(item: Pick<AccessLogItemView, 'action' | 'outcome' | 'targetType' | 'targetId'>, memberId: string): string {
  const aboutThem = item.targetType === 'membership' && item.targetId === memberId;
  const about = aboutThem ? ABOUT_THE_MEMBER[item.action] : undefined;
  return about ?? actionLabel(item.action, item.outcome);
}

/** Who made an access-log entry: "by Dana Demo", or "by Motus" for what happened by itself (an invitation expiring). */
export function actorPhrase(actorName: string | null | undefined): string {
  const name = actorName?.trim();
  return name ? `by ${name}` : 'by Motus';
}
