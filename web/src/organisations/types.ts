/**
 * Shapes of GET /api/me/workspace: where the signed-in person stands in each organisation, and
 * where their practitioner licences come from (src/subscriptions/standing.ts).
 */

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

export type SubscriptionState = 'trial' | 'paid' | 'cancelling' | 'ended';
export type SubscriptionEndReason = 'trial_ended' | 'cancelled' | 'joined_organisation';

/** One place a practitioner's licence comes from: an organisation, or an individual subscription. */
export interface LicenceSource {
  kind: 'organisation' | 'subscription';
  organisationId: string;
  name: string;
  /** The person's own subscription (they manage it); false for an organisation or a colleague's subscription. */
  own: boolean;
  /** Who manages it (R-SUB-4): the organisation's owner, or the subscriber. */
  managedBy: OwnerContact;
  /** Why it does not let the person work now; null when it does. */
  blocked: null | 'access_removed' | 'payment_required' | 'subscription_ended';
  subscription: null | {
    state: SubscriptionState;
    trialEndsAt: string | null;
    endsOn: string | null;
    /** The last day covered, inclusive (YYYY-MM-DD). */
    lastDay: string | null;
    endReason: SubscriptionEndReason | null;
  };
}

export interface LicenceNotice {
  code: 'payment_required' | 'access_removed' | 'subscription_required';
  /** The server's own sentence. */
  message: string;
  /** Whom to ask: an organisation's owner or the colleague whose subscription it is. */
  contact: OwnerContact | null;
  /** Whether it is about the person's own subscription (which they can restart or pay). */
  ownSubscription: boolean;
}

/** Where the person's practitioner licences come from and whether they can work now (R-PRA-4, R-SUB-1, R-SUB-4). */
export interface LicenceStanding {
  canWork: boolean;
  sources: LicenceSource[];
  /** What the person is told when they cannot work; null when they can. */
  notice: LicenceNotice | null;
}

export interface Workspace {
  /** Real organisations only: individual subscriptions are in `licence.sources`. */
  organisations: WorkspaceOrganisation[];
  invitations: OpenInvitation[];
  ownershipOffers: OwnershipOffer[];
  /** Whether an organisation or a subscription lets this person work now (`licence.canWork`). */
  hasLicence: boolean;
  licence: LicenceStanding;
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
