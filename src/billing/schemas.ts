import { z } from 'zod';

export const addCardBody = z.strictObject({
  number: z.string().trim().min(12).max(23).regex(/^[0-9 -]+$/, { message: 'Digits only.' }),
  expMonth: z.number().int().min(1).max(12),
  expYear: z.number().int().min(2000).max(2100),
  cvc: z.string().regex(/^\d{3,4}$/, { message: 'Three or four digits.' }),
});

export const paymentMethodParams = z.strictObject({ orgId: z.string().max(64), paymentMethodId: z.uuid() });
