import { z } from 'zod';
import { billingModeSchema, orgParams, poolSummaryView } from '../organisations/schemas.ts';
import { defineContract } from '../platform/http/contract.ts';

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

export type PurchaseInput = z.infer<typeof purchaseBody>;

/** R-LIC-1: the pool with how it is paid for. */
export const poolView = poolSummaryView.extend({ billingMode: billingModeSchema });
export type PoolView = z.infer<typeof poolView>;

/** What adding practitioners or buying licences costs this month (R-LIC-2, R-LIC-4). */
export const quoteView = z.object({
  /** Licences that would be bought (0 when a free one is used). */
  quantity: z.number().int(),
  currency: z.string(),
  unitPriceMinor: z.number().int(),
  /** The exact prorated charge for the rest of this month; 0 when nothing is bought. */
  amountMinor: z.number().int(),
  /** Today in the organisation's billing time zone. */
  localDate: z.iso.date(),
  daysInMonth: z.number().int(),
  daysCharged: z.number().int(),
  freeLicences: z.number().int(),
  /** Without a card on file (and not billed manually) the purchase is refused (R-LIC-2). */
  paymentMethodRequired: z.boolean(),
  paymentMethodOnFile: z.boolean(),
});
export type QuoteView = z.infer<typeof quoteView>;

export const ledgerCauseSchema = z.enum(['invitation', 'access_granted', 'bulk_purchase', 'licences_removed', 'subscription_started', 'subscription_credit']);

/** R-LIC-4: one prorated charge or credit, with the arithmetic an invoice shows. */
export const ledgerEntryView = z.object({
  id: z.uuid(),
  kind: z.enum(['charge', 'credit']),
  quantity: z.number().int(),
  unitPriceMinor: z.number().int(),
  amountMinor: z.number().int(),
  currency: z.string(),
  localDate: z.iso.date(),
  daysInMonth: z.number().int(),
  cause: ledgerCauseSchema,
  membershipId: z.uuid().nullable(),
  description: z.string(),
  createdAt: z.iso.datetime(),
});
export type LedgerEntryView = z.infer<typeof ledgerEntryView>;

/** What a request that may buy a licence did (R-LIC-2). */
export const purchaseOutcome = z.object({ licenceBought: z.boolean(), chargeMinor: z.number().int() });
export type PurchaseOutcome = z.infer<typeof purchaseOutcome>;

const tags = ['licences'];

/** The licence pool of an organisation (R-LIC-1..4), each change under its row lock. */
export const licenceContracts = {
  pool: defineContract({
    method: 'GET',
    path: '/api/organisations/:orgId/licences',
    access: 'org:users',
    tags,
    summary: 'Purchased, assigned, reserved and free licences (R-LIC-1)',
    params: orgParams,
    response: z.object({ pool: poolView }),
  }),
  quote: defineContract({
    method: 'GET',
    path: '/api/organisations/:orgId/licences/quote',
    access: 'org:users',
    tags,
    summary: 'The exact prorated price of adding practitioners or buying licences (R-LIC-2, R-LIC-4)',
    params: orgParams,
    query: quoteQuery,
    response: z.object({ quote: quoteView }),
  }),
  purchase: defineContract({
    method: 'POST',
    path: '/api/organisations/:orgId/licences/purchase',
    access: 'org:owner',
    tags,
    summary: 'Buy licences in bulk (R-LIC-3)',
    params: orgParams,
    body: purchaseBody,
    example: { quantity: 2, confirmedChargeMinor: 3000 },
    response: z.object({ pool: poolView, chargeMinor: z.number().int() }),
  }),
  remove: defineContract({
    method: 'POST',
    path: '/api/organisations/:orgId/licences/remove',
    access: 'org:owner',
    tags,
    summary: 'Remove free licences, with a prorated credit (R-LIC-3)',
    params: orgParams,
    body: removeLicencesBody,
    example: { quantity: 1 },
    response: z.object({ pool: poolView, creditMinor: z.number().int() }),
  }),
  ledger: defineContract({
    method: 'GET',
    path: '/api/organisations/:orgId/ledger',
    access: 'org:owner',
    tags,
    summary: 'Prorated charges and credits (pending ones by default)',
    params: orgParams,
    query: ledgerQuery,
    response: z.object({ entries: z.array(ledgerEntryView), netMinor: z.number().int() }),
  }),
};
