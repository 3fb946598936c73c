import { z } from 'zod';
import { emailSchema, passwordSchema, personNameSchema, sessionView } from '../accounts/schemas.ts';
import { purchaseOutcome } from '../licences/schemas.ts';
import { adminSectionSchema, orgParams } from '../organisations/schemas.ts';
import { defineContract } from '../platform/http/contract.ts';

export const sectionSchema = adminSectionSchema;

export const memberParams = z.strictObject({ orgId: z.string().max(64), memberId: z.uuid({ message: 'Not a member id.' }) });
export const invitationParams = z.strictObject({ memberId: z.uuid({ message: 'Not an invitation id.' }) });

/** An amount in minor units that the admin was shown and confirms (R-LIC-2). */
export const confirmedCharge = z.number().int().min(0).max(100_000_000).optional();

export const inviteBody = z.strictObject({
  name: personNameSchema,
  email: emailSchema,
  practitioner: z.boolean().default(true),
  admin: z.strictObject({ sections: z.array(sectionSchema).max(6) }).optional(),
  confirmedChargeMinor: confirmedCharge,
});

export const grantAccessBody = z.strictObject({
  confirmedChargeMinor: confirmedCharge,
  /** R-PRA-5: re-activate the programmes that the removal of access disabled. */
  reactivateProgrammes: z.boolean().default(false),
});
export const removeMemberBody = z.strictObject({ removeLicence: z.boolean().default(false) });
export const practitionerBody = z.strictObject({ enabled: z.boolean(), confirmedChargeMinor: confirmedCharge });
export const rolesBody = z.strictObject({ admin: z.boolean(), sections: z.array(sectionSchema).max(6) });

export const memberStatusFilter = z.enum(['current', 'unconfirmed', 'active', 'access_removed', 'removed', 'expired', 'declined', 'revoked']);
export type MemberStatusFilter = z.infer<typeof memberStatusFilter>;

export const membersQuery = z.strictObject({
  search: z.string().trim().max(200).optional(),
  /** current (the default) = unconfirmed, active and access removed; closed invitations can be listed too. */
  status: memberStatusFilter.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const tokenQuery = z.strictObject({ token: z.string().min(10).max(200) });
export const acceptByTokenBody = z.strictObject({
  token: z.string().min(10).max(200),
  password: passwordSchema.optional(),
  name: personNameSchema.optional(),
});
export const declineByTokenBody = z.strictObject({ token: z.string().min(10).max(200) });

export type InviteInput = z.infer<typeof inviteBody>;
/** An invitation as a client sends it (before defaults). */
export type InviteRequest = z.input<typeof inviteBody>;
export type RolesInput = z.infer<typeof rolesBody>;
export type MembersQuery = z.infer<typeof membersQuery>;
export type AcceptByTokenInput = z.infer<typeof acceptByTokenBody>;

/** unconfirmed = invited and waiting for an answer (R-PRA-1). */
export const memberStatusSchema = z.enum(['unconfirmed', 'active', 'access_removed', 'removed', 'declined', 'expired', 'revoked']);
export type MemberStatus = z.infer<typeof memberStatusSchema>;
/** assigned to an active practitioner, reserved for an invited one (R-LIC-1). */
export const memberLicenceSchema = z.enum(['assigned', 'reserved', 'none']);
export type MemberLicence = z.infer<typeof memberLicenceSchema>;

/** R-ORG-5: a member with status, licence and roles, as the Users page lists them. */
export const memberView = z.object({
  id: z.uuid(),
  accountId: z.uuid().nullable(),
  name: z.string(),
  email: z.string(),
  status: memberStatusSchema,
  licence: memberLicenceSchema,
  roles: z.object({ owner: z.boolean(), practitioner: z.boolean(), admin: z.boolean(), sections: z.array(adminSectionSchema) }),
  invitedAt: z.iso.datetime(),
  joinedAt: z.iso.datetime().nullable(),
  invitationExpiresAt: z.iso.datetime().nullable(),
  accessRemovedAt: z.iso.datetime().nullable(),
});
export type MemberView = z.infer<typeof memberView>;

/** R-ORG-5: one line of a member's access log, read from the audit trail. */
export const accessLogItemView = z.object({
  id: z.number().int(),
  at: z.iso.datetime(),
  action: z.string(),
  outcome: z.enum(['success', 'failure', 'denied']),
  /** Who acted (null for what Motus did by itself, such as an invitation expiring). */
  actorName: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  /** The API key the request was made with (its prefix), if any (R-INT-3). */
  apiKeyPrefix: z.string().nullable(),
});
export type AccessLogItemView = z.infer<typeof accessLogItemView>;

/** The invitation behind an emailed link (R-PRA-1). */
export const invitationByTokenView = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  organisation: z.string(),
  inviter: z.string().nullable(),
  expiresAt: z.iso.datetime(),
  /** A person with an account signs in to accept; a new person sets a password. */
  hasAccount: z.boolean(),
});
export type InvitationByTokenView = z.infer<typeof invitationByTokenView>;

const oneMember = z.object({ member: memberView });
/** A change that may have bought a licence (R-LIC-2). */
const memberWithPurchase = oneMember.extend(purchaseOutcome.shape);
const acceptedView = z.object({ member: memberView, organisationId: z.uuid() });
export type MemberWithPurchase = z.infer<typeof memberWithPurchase>;

const tags = ['members'];
const invitationTags = ['invitations'];

/** Members of an organisation, their invitations, access and roles (R-PRA-1..6, R-ORG-3, R-ORG-5). */
export const membershipContracts = {
  list: defineContract({
    method: 'GET',
    path: '/api/organisations/:orgId/members',
    access: 'org:users',
    tags,
    summary: 'The Users page: members with status, licence and roles',
    params: orgParams,
    query: membersQuery,
    response: z.object({ members: z.array(memberView), total: z.number().int() }),
  }),
  detail: defineContract({
    method: 'GET',
    path: '/api/organisations/:orgId/members/:memberId',
    access: 'org:users',
    tags,
    summary: 'One member with their access log (R-ORG-5)',
    params: memberParams,
    response: z.object({ member: memberView, accessLog: z.array(accessLogItemView) }),
  }),
  invite: defineContract({
    method: 'POST',
    path: '/api/organisations/:orgId/invitations',
    access: 'org:users',
    tags,
    summary: 'Invite a practitioner or admin; buys a licence when none is free (R-PRA-1, R-LIC-2)',
    params: orgParams,
    body: inviteBody,
    example: { name: 'Sam Okafor', email: 'sam.okafor@example.org', practitioner: true },
    status: 201,
    response: memberWithPurchase,
  }),
  resend: defineContract({
    method: 'POST',
    path: '/api/organisations/:orgId/invitations/:memberId/resend',
    access: 'org:users',
    tags,
    summary: 'Re-send an invitation; the earlier link stops working (R-PRA-2)',
    params: memberParams,
    response: oneMember,
  }),
  revoke: defineContract({
    method: 'POST',
    path: '/api/organisations/:orgId/invitations/:memberId/revoke',
    access: 'org:users',
    tags,
    summary: 'Revoke an invitation; frees its licence (R-PRA-2)',
    params: memberParams,
    response: oneMember,
  }),
  removeAccess: defineContract({
    method: 'POST',
    path: '/api/organisations/:orgId/members/:memberId/remove-access',
    access: 'org:users',
    tags,
    summary: 'Remove practitioner access; frees the licence (R-PRA-3)',
    params: memberParams,
    response: oneMember,
  }),
  grantAccess: defineContract({
    method: 'POST',
    path: '/api/organisations/:orgId/members/:memberId/grant-access',
    access: 'org:users',
    tags,
    summary: 'Grant access again; buys a licence when none is free (R-PRA-5)',
    params: memberParams,
    body: grantAccessBody,
    example: { reactivateProgrammes: true },
    response: memberWithPurchase,
  }),
  remove: defineContract({
    method: 'POST',
    path: '/api/organisations/:orgId/members/:memberId/remove',
    access: 'org:users',
    tags,
    summary: 'Remove from the organisation; the account is kept (R-PRA-6)',
    params: memberParams,
    body: removeMemberBody,
    example: { removeLicence: false },
    response: z.object({ member: memberView, creditMinor: z.number().int() }),
  }),
  setPractitioner: defineContract({
    method: 'POST',
    path: '/api/organisations/:orgId/members/:memberId/practitioner',
    access: 'org:users',
    tags,
    summary: 'Give or take practitioner access (a licence); the owner may give it to themselves',
    params: memberParams,
    body: practitionerBody,
    example: { enabled: true },
    response: memberWithPurchase,
  }),
  setRoles: defineContract({
    method: 'PUT',
    path: '/api/organisations/:orgId/members/:memberId/roles',
    access: 'org:users',
    tags,
    summary: 'Admin rights and console sections (R-ORG-3)',
    params: memberParams,
    body: rolesBody,
    example: { admin: true, sections: ['users', 'defaults'] },
    response: oneMember,
  }),
  invitationByToken: defineContract({
    method: 'GET',
    path: '/api/invitations/by-token',
    access: 'public',
    tags: invitationTags,
    summary: 'The invitation behind an emailed link',
    query: tokenQuery,
    response: z.object({ invitation: invitationByTokenView }),
  }),
  acceptByToken: defineContract({
    method: 'POST',
    path: '/api/invitations/accept',
    access: 'optionalSession',
    tags: invitationTags,
    summary: 'Accept from the emailed link; a new person sets a password here',
    body: acceptByTokenBody,
    example: { token: 'k3P9xQ2mVb7Rt4Lw8Zs1Nd6Hf0Jc5Ya', password: 'river stones under a quiet bridge', name: 'Sam Okafor' },
    /** A new person is signed in at once: the session comes with its CSRF token (R-SES-1). */
    response: acceptedView.extend({ session: sessionView.optional() }),
  }),
  declineByToken: defineContract({
    method: 'POST',
    path: '/api/invitations/decline',
    access: 'public',
    tags: invitationTags,
    summary: 'Decline from the emailed link',
    body: declineByTokenBody,
    example: { token: 'k3P9xQ2mVb7Rt4Lw8Zs1Nd6Hf0Jc5Ya' },
    status: 204,
    response: null,
  }),
  accept: defineContract({
    method: 'POST',
    path: '/api/invitations/:memberId/accept',
    access: 'signedIn',
    tags: invitationTags,
    summary: 'Accept an invitation addressed to you',
    params: invitationParams,
    response: acceptedView,
  }),
  decline: defineContract({
    method: 'POST',
    path: '/api/invitations/:memberId/decline',
    access: 'signedIn',
    tags: invitationTags,
    summary: 'Decline an invitation addressed to you',
    params: invitationParams,
    status: 204,
    response: null,
  }),
};
