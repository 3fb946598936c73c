import { z } from 'zod';

export const quoteQuery = z.strictObject({
  quantity: z.coerce.number().int().min(1).max(10_000).default(1),
  bulk: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});

export const purchaseBody = z.strictObject({
  quantity: z.number().int().min(1).max(10_000),
  confirmedChargeMinor: z.number().int().min(0).max(1_000_000_000),
});

export const removeLicencesBody = z.strictObject({ quantity: z.number().int().min(1).max(10_000) });

export const ledgerQuery = z.strictObject({
  pending: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
