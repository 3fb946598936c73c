import { z } from 'zod';
import { emailSchema, NAME_MAX, practiceSchema, practiceView } from '../accounts/schemas.ts';
import { isValidTimeZone } from '../licences/proration.ts';
import { defineContract } from '../platform/http/contract.ts';

export const orgParams = z.strictObject({ orgId: z.string().max(64) });

export const timeZoneSchema = z.string().max(64).refine(isValidTimeZone, { message: 'Use an IANA time zone such as Europe/Berlin.' });

export const createOrganisationBody = z.strictObject({
  name: z.string().trim().min(1, { message: 'Enter the organisation name.' }).max(NAME_MAX),
  billingTimeZone: timeZoneSchema.optional(),
  billingContactEmail: emailSchema.nullable().optional(),
});

export const updateOrganisationBody = z.strictObject({
  name: z.string().trim().min(1).max(NAME_MAX).optional(),
  billingTimeZone: timeZoneSchema.optional(),
  billingContactEmail: emailSchema.nullable().optional(),
});

export const defaultsBody = practiceSchema;

export const ownershipOfferBody = z.strictObject({ membershipId: z.uuid() });
export const transferParams = z.strictObject({ transferId: z.uuid() });

export type NewOrganisation = z.infer<typeof createOrganisationBody>;
export type OrganisationSettings = z.infer<typeof updateOrganisationBody>;
export type PracticeDefaults = z.infer<typeof defaultsBody>;

/** Console sections an admin can hold (R-ORG-3). Payments & billing is the owner's alone. */
export const adminSectionSchema = z.enum(['users', 'sharing', 'defaults', 'security', 'import', 'audit']);
export type AdminSection = z.infer<typeof adminSectionSchema>;

export const billingModeSchema = z.enum(['card', 'manual']);
export type BillingMode = z.infer<typeof billingModeSchema>;

/** R-LIC-7: payment_required while an invoice stays unpaid after its retries. */
export const organisationStatusSchema = z.enum(['active', 'payment_required']);

/** Whom to ask: an organisation's owner, or the subscriber whose subscription it is (R-SUB-4). */
export const ownerContactView = z.object({ name: z.string(), email: z.string() });
export type OwnerContact = z.infer<typeof ownerContactView>;

/** R-LIC-1: the counts of a licence pool, as whoever adds users sees them. */
export const poolCountsView = z.object({
  purchased: z.number().int(),
  assigned: z.number().int(),
  reserved: z.number().int(),
  free: z.number().int(),
  currency: z.string(),
});
export type PoolCountsView = z.infer<typeof poolCountsView>;

/** The pool with what it costs a month: the owner's (R-ORG-3). */
export const poolSummaryView = poolCountsView.extend({
  unitPriceMinor: z.number().int(),
  monthlyTotalMinor: z.number().int(),
});
export type PoolSummaryView = z.infer<typeof poolSummaryView>;

/** R-ORG-1: an organisation with its settings, its practice defaults (R-ORG-4) and its pool. */
export const organisationView = z.object({
  id: z.uuid(),
  name: z.string(),
  owner: ownerContactView.extend({ accountId: z.uuid() }),
  billingMode: billingModeSchema,
  billingTimeZone: z.string(),
  billingContactEmail: z.string().nullable(),
  status: organisationStatusSchema,
  practice: practiceView,
  /** R-ORG-4: a logo is set in Practice defaults (read it with the defaults' logo route). */
  hasLogo: z.boolean(),
  licences: poolSummaryView,
});
export type OrganisationView = z.infer<typeof organisationView>;

/**
 * The organisation as a member sees it in the console: prices and the billing contact are the
 * owner's alone; the pool's counts are for those who add users, null for everyone else (R-ORG-3).
 */
export const consoleOrganisationView = organisationView.extend({
  licences: z.union([poolSummaryView, poolCountsView]).nullable(),
});
export type ConsoleOrganisationView = z.infer<typeof consoleOrganisationView>;

/** The caller's own rights in the organisation (R-ORG-3). */
export const myRightsView = z.object({
  membershipId: z.uuid(),
  owner: z.boolean(),
  admin: z.boolean(),
  sections: z.array(adminSectionSchema),
  practitioner: z.boolean(),
});
export type MyRightsView = z.infer<typeof myRightsView>;

export const organisationAnswer = z.object({ organisation: consoleOrganisationView, me: myRightsView });
export type OrganisationAnswer = z.infer<typeof organisationAnswer>;

const oneOrganisation = z.object({ organisation: organisationView });

/** Where the signed-in person stands in one organisation (R-PRA-1, R-PRA-4). */
export const workspaceOrganisationView = z.object({
  id: z.uuid(),
  name: z.string(),
  membershipId: z.uuid(),
  state: z.enum(['active', 'access_removed']),
  status: organisationStatusSchema,
  owner: z.boolean(),
  admin: z.boolean(),
  sections: z.array(adminSectionSchema),
  practitioner: z.boolean(),
  contact: ownerContactView,
});
export type WorkspaceOrganisationView = z.infer<typeof workspaceOrganisationView>;

/** An open invitation addressed to the signed-in person (R-PRA-1). */
export const openInvitationView = z.object({
  id: z.uuid(),
  organisationId: z.uuid(),
  organisation: z.string(),
  kind: z.enum(['organisation', 'subscription']),
  inviter: z.string().nullable(),
  practitioner: z.boolean(),
  expiresAt: z.iso.datetime(),
  /** R-PRA-7: accepting ends the person's own individual subscription. */
  endsOwnSubscription: z.boolean(),
});
export type OpenInvitationView = z.infer<typeof openInvitationView>;

/** R-ORG-2: an offer of ownership waiting for the signed-in person's answer. */
export const ownershipOfferView = z.object({
  id: z.uuid(),
  organisationId: z.uuid(),
  organisation: z.string(),
  from: z.string(),
});
export type OwnershipOfferView = z.infer<typeof ownershipOfferView>;

export const subscriptionStateSchema = z.enum(['trial', 'paid', 'cancelling', 'ended']);
export type SubscriptionStateName = z.infer<typeof subscriptionStateSchema>;
export const subscriptionEndReasonSchema = z.enum(['trial_ended', 'cancelled', 'joined_organisation']);
export type SubscriptionEndReason = z.infer<typeof subscriptionEndReasonSchema>;

/** One place a practitioner's licence comes from: an organisation, or an individual subscription. */
export const licenceSourceView = z.object({
  kind: z.enum(['organisation', 'subscription']),
  organisationId: z.uuid(),
  name: z.string(),
  /** The person's own subscription (they manage it); false for an organisation or a colleague's. */
  own: z.boolean(),
  /** Who manages it (R-SUB-4): the organisation's owner or the subscriber. */
  managedBy: ownerContactView,
  /** Why it does not let them work now; null when it does. */
  blocked: z.enum(['access_removed', 'payment_required', 'subscription_ended']).nullable(),
  subscription: z
    .object({
      state: subscriptionStateSchema,
      trialEndsAt: z.iso.datetime().nullable(),
      endsOn: z.iso.date().nullable(),
      /** The last day covered, inclusive. */
      lastDay: z.iso.date().nullable(),
      endReason: subscriptionEndReasonSchema.nullable(),
    })
    .nullable(),
});
export type LicenceSourceView = z.infer<typeof licenceSourceView>;

/** What a person without a working licence is told, and whom to ask. */
export const licenceNoticeView = z.object({
  code: z.enum(['payment_required', 'access_removed', 'subscription_required']),
  /** The sentence shown as it is. */
  message: z.string(),
  contact: ownerContactView.nullable(),
  /** About the person's own subscription (which they can restart or pay). */
  ownSubscription: z.boolean(),
});
export type LicenceNoticeView = z.infer<typeof licenceNoticeView>;

/** Where a person's practitioner licences come from and whether they can work now (R-PRA-4, R-SUB-1, R-LIC-7). */
export const licenceStandingView = z.object({
  canWork: z.boolean(),
  sources: z.array(licenceSourceView),
  /** Null when they can work. */
  notice: licenceNoticeView.nullable(),
});
export type LicenceStandingView = z.infer<typeof licenceStandingView>;

/** What a person sees at sign-in (R-PRA-1, R-PRA-4, R-ORG-2). */
export const workspaceView = z.object({
  /** Real organisations only: individual subscriptions are in `licence.sources`. */
  organisations: z.array(workspaceOrganisationView),
  invitations: z.array(openInvitationView),
  ownershipOffers: z.array(ownershipOfferView),
  /** Whether an organisation or a subscription lets this person work now (`licence.canWork`). */
  hasLicence: z.boolean(),
  licence: licenceStandingView,
});
export type WorkspaceView = z.infer<typeof workspaceView>;

const tags = ['organisations'];

/** Organisations, their settings and defaults, and the move of ownership (R-ORG-1..4). */
export const organisationContracts = {
  create: defineContract({
    method: 'POST',
    path: '/api/organisations',
    access: 'signedIn',
    tags,
    summary: 'Create an organisation; you become its owner (R-ORG-1)',
    body: createOrganisationBody,
    example: { name: 'Riverside Physiotherapy', billingTimeZone: 'Europe/London', billingContactEmail: 'accounts@riverside.example' },
    status: 201,
    response: oneOrganisation,
  }),
  workspace: defineContract({
    method: 'GET',
    path: '/api/me/workspace',
    access: 'signedIn',
    tags,
    summary: 'Your organisations, open invitations and ownership offers (shown at sign-in)',
    response: workspaceView,
  }),
  get: defineContract({
    method: 'GET',
    path: '/api/organisations/:orgId',
    access: 'org:member',
    tags,
    summary: 'The organisation and your rights in it',
    params: orgParams,
    response: organisationAnswer,
  }),
  practitioner: defineContract({
    method: 'GET',
    path: '/api/organisations/:orgId/practitioner',
    access: 'org:practitioner',
    tags,
    summary: 'Your practitioner workspace here (refused while access is removed or payment is required)',
    params: orgParams,
    response: organisationAnswer,
  }),
  update: defineContract({
    method: 'PATCH',
    path: '/api/organisations/:orgId',
    access: 'org:owner',
    tags,
    summary: 'Name and billing settings (owner)',
    params: orgParams,
    body: updateOrganisationBody,
    example: { name: 'Riverside Physiotherapy & Sports', billingContactEmail: null },
    response: oneOrganisation,
  }),
  setDefaults: defineContract({
    method: 'PUT',
    path: '/api/organisations/:orgId/defaults',
    access: 'org:defaults',
    tags,
    summary: 'Practice defaults, applied to every practitioner (R-ORG-4)',
    params: orgParams,
    body: defaultsBody,
    example: { name: 'Riverside Physiotherapy', address: '1 River Street, Riverside', phone: '+44 20 7946 0000', website: 'https://riverside.example' },
    // Answered as GET shows it to this caller: an admin with Defaults sees no prices (R-ORG-3).
    response: z.object({ organisation: consoleOrganisationView }),
  }),
  setLogo: defineContract({
    method: 'PUT',
    path: '/api/organisations/:orgId/defaults/logo',
    access: 'org:defaults',
    tags,
    summary: 'The practice logo, a Practice default printed on handouts and shown to patients (R-ORG-4; PNG, JPEG or WebP, at most 2 MB; multipart field "logo")',
    params: orgParams,
    body: 'multipart',
    response: z.object({ organisation: consoleOrganisationView }),
  }),
  logo: defineContract({
    method: 'GET',
    path: '/api/organisations/:orgId/defaults/logo',
    access: 'org:defaults',
    tags,
    summary: 'The practice logo set in Practice defaults',
    params: orgParams,
    response: { raw: 'image/*', description: 'The logo as stored: PNG, JPEG or WebP' },
  }),
  removeLogo: defineContract({
    method: 'DELETE',
    path: '/api/organisations/:orgId/defaults/logo',
    access: 'org:defaults',
    tags,
    summary: "Remove the practice logo: patients see each practitioner's own logo instead (R-ORG-4)",
    params: orgParams,
    response: z.object({ organisation: consoleOrganisationView }),
  }),
  offerOwnership: defineContract({
    method: 'POST',
    path: '/api/organisations/:orgId/ownership-transfers',
    access: 'org:owner',
    tags,
    summary: 'Offer ownership to a member (R-ORG-2)',
    params: orgParams,
    body: ownershipOfferBody,
    example: { membershipId: '0190a3b2-7c4d-7e5f-8a6b-9c0d1e2f3a4b' },
    status: 201,
    response: z.object({ transferId: z.uuid() }),
  }),
  acceptOwnership: defineContract({
    method: 'POST',
    path: '/api/ownership-transfers/:transferId/accept',
    access: 'signedIn',
    tags,
    summary: 'Accept ownership of an organisation',
    params: transferParams,
    response: oneOrganisation,
  }),
  declineOwnership: defineContract({
    method: 'POST',
    path: '/api/ownership-transfers/:transferId/decline',
    access: 'signedIn',
    tags,
    summary: 'Decline ownership of an organisation',
    params: transferParams,
    status: 204,
    response: null,
  }),
};
