import { z } from 'zod';
import { emailSchema, passwordSchema, personNameSchema } from '../accounts/schemas.ts';

export const sectionSchema = z.enum(['users', 'sharing', 'defaults', 'security', 'import', 'audit']);

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

export const membersQuery = z.strictObject({
  search: z.string().trim().max(200).optional(),
  /** current (the default) = unconfirmed, active and access removed; closed invitations can be listed too. */
  status: z.enum(['current', 'unconfirmed', 'active', 'access_removed', 'removed', 'expired', 'declined', 'revoked']).optional(),
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

export const idempotencyHeaders = z.object({ 'idempotency-key': z.string().max(200).optional() });
