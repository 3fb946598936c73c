import { z } from 'zod';
import { orgParams } from '../organisations/schemas.ts';
import { API_SCOPES, PRACTITIONER_SCOPES, defineContract, type ApiScope } from '../platform/http/contract.ts';

/**
 * Integrations (SPEC section 10): API keys (R-INT-3) and the link of a practitioner's account to
 * the practice's PMS (R-INT-1). Keys are shown once, when they are made; lists show their prefix.
 */

export const apiScopeSchema = z.enum(API_SCOPES as [ApiScope, ...ApiScope[]]);
export const practitionerScopeSchema = z.enum(PRACTITIONER_SCOPES as [ApiScope, ...ApiScope[]]);

/** Plain words for each scope, as the screens and the OpenAPI description show them. */
export const SCOPE_LABELS: Record<ApiScope, string> = {
  'patients.read': 'Read patients',
  'patients.write': 'Add and change patients',
  'programmes.assign': 'Assign programmes and print handouts',
  'engagement.read': 'Read what patients recorded and their messages',
  'console.read': 'Read the organisation console',
};

const keyName = z.string().trim().min(1, { message: 'Give the key a name, such as the system that will use it.' }).max(100);
const expiresAt = z.iso.datetime({ offset: true, message: 'A date and time, such as 2027-06-30T00:00:00Z.' }).nullable().default(null);

export const apiKeyView = z.object({
  id: z.uuid(),
  kind: z.enum(['practitioner', 'organisation']),
  name: z.string(),
  /** The visible start of the key; the rest is never shown again. */
  prefix: z.string(),
  scopes: z.array(apiScopeSchema),
  /** The practice the key works in (null: every practice of its owner). */
  organisationId: z.uuid().nullable(),
  /** Who the key acts as: its owner (a practitioner key) or who made it (an organisation key). */
  ownerName: z.string(),
  /** Issued for a PMS link (R-INT-1): unlinking revokes it. */
  forPmsLink: z.boolean(),
  expiresAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  lastUsedIp: z.string().nullable(),
  revokedAt: z.iso.datetime().nullable(),
  /** active, expired or revoked, by the clock of the answer. */
  status: z.enum(['active', 'expired', 'revoked']),
});
export type ApiKeyView = z.infer<typeof apiKeyView>;

/** A new key: its one and only showing. */
export const createdKeyView = z.object({
  key: apiKeyView,
  /** The key itself, shown once: store it in the system that uses it. */
  token: z.string(),
});

export const createOwnKeyBody = z.strictObject({
  name: keyName,
  scopes: z.array(practitionerScopeSchema).min(1, { message: 'Choose at least one thing the key may do.' }).max(4),
  expiresAt,
  /** Limit the key to one practice you work in; without it the key works in all of them. */
  organisationId: z.uuid({ message: 'Not a practice id.' }).nullable().default(null),
});
export type CreateOwnKeyInput = z.infer<typeof createOwnKeyBody>;

export const createOrgKeyBody = z.strictObject({ name: keyName, expiresAt });
export type CreateOrgKeyInput = z.infer<typeof createOrgKeyBody>;

export const keyParams = z.strictObject({ keyId: z.uuid({ message: 'Not a key id.' }) });
export const orgKeyParams = z.strictObject({ orgId: z.string().max(64), keyId: z.uuid({ message: 'Not a key id.' }) });
const orgMemberParams = z.strictObject({ orgId: z.string().max(64), memberId: z.uuid({ message: 'Not a member id.' }) });

export const pmsLinkView = z.object({
  id: z.uuid(),
  organisationId: z.uuid(),
  memberId: z.uuid(),
  practitionerName: z.string(),
  pmsName: z.string(),
  /** The PMS's token is kept encrypted and never shown; this says one is stored. */
  tokenStored: z.literal(true),
  apiKey: apiKeyView,
  createdAt: z.iso.datetime(),
});
export type PmsLinkView = z.infer<typeof pmsLinkView>;

export const linkBody = z.strictObject({
  pmsName: z.string().trim().min(1, { message: 'Name the practice management system.' }).max(100),
  /** The token Motus uses to call the PMS; stored encrypted, never shown again. */
  pmsToken: z.string().trim().min(8, { message: 'The PMS token is at least 8 characters.' }).max(4000),
  /** What the key issued for the PMS may do (default: everything a PMS needs). */
  scopes: z.array(practitionerScopeSchema).min(1).max(4).default(['patients.read', 'patients.write', 'programmes.assign', 'engagement.read']),
  expiresAt,
});
export type LinkInput = z.infer<typeof linkBody>;

export const createdLinkView = z.object({ link: pmsLinkView, token: z.string() });

const keyExample = { name: 'Practice PMS', scopes: ['patients.read', 'patients.write', 'programmes.assign', 'engagement.read'], expiresAt: null, organisationId: null };
const linkExample = { pmsName: 'Medatixx', pmsToken: 'pms-token-0123456789', scopes: ['patients.read', 'patients.write', 'programmes.assign', 'engagement.read'], expiresAt: null };

export const integrationContracts = {
  ownKeys: defineContract({
    method: 'GET',
    path: '/api/me/api-keys',
    access: 'signedIn',
    tags: ['integrations'],
    summary: 'Your API keys (R-INT-3)',
    response: z.object({ keys: z.array(apiKeyView) }),
  }),
  createOwnKey: defineContract({
    method: 'POST',
    path: '/api/me/api-keys',
    access: 'practitioner',
    tags: ['integrations'],
    summary: 'Make an API key that acts as you (shown once; R-INT-3)',
    body: createOwnKeyBody,
    example: keyExample,
    status: 201,
    response: createdKeyView,
  }),
  revokeOwnKey: defineContract({
    method: 'DELETE',
    path: '/api/me/api-keys/:keyId',
    access: 'signedIn',
    tags: ['integrations'],
    summary: 'Revoke one of your API keys: it stops working at once',
    params: keyParams,
    response: z.object({ key: apiKeyView }),
  }),
  orgKeys: defineContract({
    method: 'GET',
    path: '/api/organisations/:orgId/api-keys',
    access: 'org:users',
    tags: ['integrations'],
    summary: "The organisation's keys and its practitioners' keys for this practice",
    params: orgParams,
    response: z.object({ keys: z.array(apiKeyView) }),
  }),
  createOrgKey: defineContract({
    method: 'POST',
    path: '/api/organisations/:orgId/api-keys',
    access: 'org:users',
    tags: ['integrations'],
    summary: 'Make an organisation key that reads the console (shown once; R-INT-3)',
    params: orgParams,
    body: createOrgKeyBody,
    example: { name: 'Reporting', expiresAt: null },
    status: 201,
    response: createdKeyView,
  }),
  revokeOrgKey: defineContract({
    method: 'DELETE',
    path: '/api/organisations/:orgId/api-keys/:keyId',
    access: 'org:users',
    tags: ['integrations'],
    summary: 'Revoke a key of the organisation or of one of its practitioners for this practice',
    params: orgKeyParams,
    response: z.object({ key: apiKeyView }),
  }),
  ownLink: defineContract({
    method: 'GET',
    path: '/api/organisations/:orgId/pms-link',
    access: 'org:member',
    tags: ['integrations'],
    summary: 'Your PMS link in this practice, if there is one (R-INT-1)',
    params: orgParams,
    response: z.object({ link: pmsLinkView.nullable() }),
  }),
  linkOwn: defineContract({
    method: 'PUT',
    path: '/api/organisations/:orgId/pms-link',
    access: 'org:member',
    tags: ['integrations'],
    summary: 'Link your account to the practice management system (after accepting the invitation; R-INT-1)',
    description: 'Stores the PMS name and its token (encrypted) and issues a Motus API key for the PMS, shown once. A link made again replaces the one before, whose key is revoked.',
    params: orgParams,
    body: linkBody,
    example: linkExample,
    response: createdLinkView,
  }),
  unlinkOwn: defineContract({
    method: 'DELETE',
    path: '/api/organisations/:orgId/pms-link',
    access: 'org:member',
    tags: ['integrations'],
    summary: 'Remove your PMS link: its API key is revoked at once',
    params: orgParams,
    status: 204,
    response: null,
  }),
  links: defineContract({
    method: 'GET',
    path: '/api/organisations/:orgId/pms-links',
    access: 'org:users',
    tags: ['integrations'],
    summary: "The practitioners' PMS links in the organisation",
    params: orgParams,
    response: z.object({ links: z.array(pmsLinkView) }),
  }),
  linkMember: defineContract({
    method: 'PUT',
    path: '/api/organisations/:orgId/members/:memberId/pms-link',
    access: 'org:users',
    tags: ['integrations'],
    summary: "Link a practitioner's account to the PMS (after they accepted the invitation; R-INT-1)",
    params: orgMemberParams,
    body: linkBody,
    example: linkExample,
    response: createdLinkView,
  }),
  unlinkMember: defineContract({
    method: 'DELETE',
    path: '/api/organisations/:orgId/members/:memberId/pms-link',
    access: 'org:users',
    tags: ['integrations'],
    summary: "Remove a practitioner's PMS link: its API key is revoked at once",
    params: orgMemberParams,
    status: 204,
    response: null,
  }),
} as const;
