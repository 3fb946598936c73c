import { z } from 'zod';
import { emailSchema, personNameSchema } from '../accounts/schemas.ts';
import { confirmedCharge } from '../memberships/schemas.ts';

export const startBody = z.strictObject({ confirmedChargeMinor: confirmedCharge });

/** R-SUB-2: a colleague is added only once the subscriber ticked the acknowledgement of the extra cost. */
export const colleagueBody = z.strictObject({
  name: personNameSchema,
  email: emailSchema,
  acknowledgeCost: z.literal(true, { message: 'Tick the box to confirm that each colleague adds a licence to your monthly bill.' }),
  confirmedChargeMinor: confirmedCharge,
});

export const colleagueParams = z.strictObject({ memberId: z.uuid({ message: 'Not a colleague id.' }) });
export const quoteQuery = z.strictObject({ colleagues: z.coerce.number().int().min(0).max(100).default(0) });
export const removeLicencesBody = z.strictObject({ quantity: z.number().int().min(1).max(1000) });
export const subscriptionInvoiceParams = z.strictObject({ invoiceId: z.uuid({ message: 'Not an invoice id.' }) });
export const subscriptionPaymentMethodParams = z.strictObject({ paymentMethodId: z.uuid({ message: 'Not a payment method id.' }) });
