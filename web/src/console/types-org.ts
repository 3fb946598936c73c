/** Shapes of the organisation console's organisation and member answers (src/organisations, memberships, licences). */
import type { AdminSection, OwnerContact } from '../organisations/types.ts';

export interface Practice {
  name?: string | null;
  address?: string | null;
  phone?: string | null;
  email?: string | null;
  website?: string | null;
}

export interface PoolSummary {
  purchased: number;
  assigned: number;
  reserved: number;
  free: number;
  currency: string;
  unitPriceMinor: number;
  monthlyTotalMinor: number;
}

export interface Pool extends PoolSummary {
  billingMode: BillingMode;
}

export type BillingMode = 'card' | 'manual';

export interface Organisation {
  id: string;
  name: string;
  owner: OwnerContact & { accountId: string };
  billingMode: BillingMode;
  billingTimeZone: string;
  billingContactEmail: string | null;
  status: 'active' | 'payment_required';
  practice: Practice;
  licences: PoolSummary;
}

/** The caller's own rights in the organisation. */
export interface Me {
  membershipId: string;
  owner: boolean;
  admin: boolean;
  sections: AdminSection[];
  practitioner: boolean;
}

export interface OrganisationAnswer {
  organisation: Organisation;
  me: Me;
}

export type MemberStatus = 'unconfirmed' | 'active' | 'access_removed' | 'removed' | 'declined' | 'expired' | 'revoked';
export type MemberLicence = 'assigned' | 'reserved' | 'none';

export interface Member {
  id: string;
  accountId: string | null;
  name: string;
  email: string;
  status: MemberStatus;
  licence: MemberLicence;
  roles: { owner: boolean; practitioner: boolean; admin: boolean; sections: AdminSection[] };
  invitedAt: string;
  joinedAt: string | null;
  invitationExpiresAt: string | null;
  accessRemovedAt: string | null;
}

export interface AccessLogItem {
  id: string;
  at: string;
  action: string;
  outcome: string;
  /** Who acted (null for what Motus did by itself, such as an invitation expiring). */
  actorName: string | null;
  ip: string | null;
  userAgent: string | null;
  targetType: string | null;
  targetId: string | null;
}

