import { z } from 'zod';
import { emailSchema, NAME_MAX, practiceSchema } from '../accounts/schemas.ts';
import { isValidTimeZone } from '../licences/proration.ts';

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
