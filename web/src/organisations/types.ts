/** Shapes of GET /api/me/workspace: where the signed-in person stands in each organisation. */

/** Console sections an admin can hold (R-ORG-3). Payments & billing is the owner's alone. */
export type AdminSection = 'users' | 'sharing' | 'defaults' | 'security' | 'import' | 'audit';

export interface OwnerContact {
  name: string;
  email: string;
}

export interface WorkspaceOrganisation {
  id: string;
  name: string;
  membershipId: string;
  state: 'active' | 'access_removed';
  status: 'active' | 'payment_required';
  owner: boolean;
  admin: boolean;
  sections: AdminSection[];
  practitioner: boolean;
  contact: OwnerContact;
}

export interface OpenInvitation {
  id: string;
  organisationId: string;
  organisation: string;
  inviter: string | null;
  practitioner: boolean;
  expiresAt: string;
}

export interface OwnershipOffer {
  id: string;
  organisationId: string;
  organisation: string;
  from: string;
}

export interface Workspace {
  organisations: WorkspaceOrganisation[];
  invitations: OpenInvitation[];
  ownershipOffers: OwnershipOffer[];
  /** Whether any organisation gives this person a practitioner licence (R-PRA-4). */
  hasLicence: boolean;
}

/** Details of a 403 access_removed answer. */
export interface AccessRemovedDetails {
  organisation?: string;
  contact?: Partial<OwnerContact>;
}

/** GET /api/invitations/by-token: the invitation behind an emailed link. */
export interface InvitationByToken {
  id: string;
  email: string;
  name: string;
  organisation: string;
  inviter: string | null;
  expiresAt: string;
  hasAccount: boolean;
}
