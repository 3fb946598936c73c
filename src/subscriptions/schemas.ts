import { z } from 'zod';
import { emailSchema, personNameSchema } from '../accounts/schemas.ts';
import { addCardBody, addCardExample, invoiceAnswer, invoiceDocument, invoicesAnswer, paymentMethodAnswer, paymentMethodsAnswer, payAnswer } from '../billing/schemas.ts';
import { confirmedCharge, memberView } from '../memberships/schemas.ts';
import { licenceStandingView, organisationStatusSchema, poolSummaryView, subscriptionEndReasonSchema, subscriptionStateSchema } from '../organisations/schemas.ts';
import { defineContract } from '../platform/http/contract.ts';

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

/** The person's own individual subscription (SPEC section 7). */
export const subscriptionView = z.object({
  id: z.uuid(),
  name: z.string(),
  state: subscriptionStateSchema,
  endReason: subscriptionEndReasonSchema.nullable(),
  /** payment_required while an invoice stays unpaid after its retries (R-LIC-7). */
  status: organisationStatusSchema,
  trialEndsAt: z.iso.datetime().nullable(),
  /** The local date from which the current paid period runs; null during the trial. */
  paidFrom: z.iso.date().nullable(),
  /** The first local date no longer covered, once cancelled or ended. */
  endsOn: z.iso.date().nullable(),
  /** The last day covered, inclusive ("until 31 March"). */
  lastDay: z.iso.date().nullable(),
  creditMinor: z.number().int(),
  licences: poolSummaryView,
  timeZone: z.string(),
  startedAt: z.iso.datetime(),
});
export type SubscriptionView = z.infer<typeof subscriptionView>;

/** The subscription page: the person's own subscription (if any) and where their licences come from. */
export const mySubscriptionView = z.object({
  subscription: subscriptionView.nullable(),
  standing: licenceStandingView,
  trialDays: z.number().int(),
});
export type MySubscriptionView = z.infer<typeof mySubscriptionView>;

/** What starting, restarting or adding colleagues costs this month (R-LIC-4). */
export const subscriptionQuoteView = z.object({
  currency: z.string(),
  unitPriceMinor: z.number().int(),
  /** Today in the subscription's billing time zone. */
  localDate: z.iso.date(),
  daysInMonth: z.number().int(),
  daysCharged: z.number().int(),
  /** Licences whose paid period starts now (a trial turning paid, a restart), and what that costs. */
  startLicences: z.number().int(),
  startChargeMinor: z.number().int(),
  /** Licences bought for the colleagues asked about (none when enough are free). */
  colleagueLicences: z.number().int(),
  colleagueChargeMinor: z.number().int(),
  totalMinor: z.number().int(),
  paymentMethodOnFile: z.boolean(),
});
export type SubscriptionQuoteView = z.infer<typeof subscriptionQuoteView>;

const oneSubscription = z.object({ subscription: subscriptionView });

/** A colleague invited (R-SUB-2): a licence bought for them, and the start of the paid period when a trial turned paid with it. */
export const colleagueAddedView = z.object({
  member: memberView,
  licenceBought: z.boolean(),
  /** Everything charged by this step: the colleague's licence and the paid period's start. */
  chargeMinor: z.number().int(),
  startChargeMinor: z.number().int(),
});
export type ColleagueAddedView = z.infer<typeof colleagueAddedView>;

const tags = ['subscription'];
const base = '/api/me/subscription';

/**
 * The subscription page's API (SPEC section 7). Every route but the first two acts on the caller's
 * own subscription ("subscriber" access): nobody else's can be named, so none can leak.
 */
export const subscriptionContracts = {
  mine: defineContract({
    method: 'GET',
    path: base,
    access: 'signedIn',
    tags,
    summary: 'Your subscription (if any) and where your licences come from (R-SUB-1, R-SUB-4)',
    response: mySubscriptionView,
  }),
  startTrial: defineContract({
    method: 'POST',
    path: `${base}/trial`,
    access: 'signedIn',
    tags,
    summary: 'Start the free trial (R-SUB-1)',
    status: 201,
    response: oneSubscription,
  }),
  quote: defineContract({
    method: 'GET',
    path: `${base}/quote`,
    access: 'subscriber',
    tags,
    summary: 'What continuing, restarting or adding colleagues costs this month (R-LIC-4)',
    query: quoteQuery,
    response: subscriptionQuoteView,
  }),
  start: defineContract({
    method: 'POST',
    path: `${base}/start`,
    access: 'subscriber',
    tags,
    summary: 'Continue after the trial, or restart an ended subscription (R-SUB-1, R-SUB-3)',
    body: startBody,
    example: { confirmedChargeMinor: 1500 },
    response: z.object({ chargeMinor: z.number().int(), subscription: subscriptionView }),
  }),
  cancel: defineContract({
    method: 'POST',
    path: `${base}/cancel`,
    access: 'subscriber',
    tags,
    summary: 'Cancel at the end of this month (R-SUB-3)',
    response: oneSubscription,
  }),
  undoCancel: defineContract({
    method: 'DELETE',
    path: `${base}/cancel`,
    access: 'subscriber',
    tags,
    summary: 'Undo a cancellation before it takes effect (R-SUB-3)',
    response: oneSubscription,
  }),
  colleagues: defineContract({
    method: 'GET',
    path: `${base}/colleagues`,
    access: 'subscriber',
    tags,
    summary: 'Colleagues on your subscription (R-SUB-2)',
    response: z.object({ colleagues: z.array(memberView) }),
  }),
  addColleague: defineContract({
    method: 'POST',
    path: `${base}/colleagues`,
    access: 'subscriber',
    tags,
    summary: 'Add a colleague by email, acknowledging the extra cost (R-SUB-2)',
    body: colleagueBody,
    example: { name: 'Jonas Berg', email: 'jonas.berg@example.org', acknowledgeCost: true, confirmedChargeMinor: 1500 },
    status: 201,
    response: colleagueAddedView,
  }),
  resendInvitation: defineContract({
    method: 'POST',
    path: `${base}/colleagues/:memberId/resend`,
    access: 'subscriber',
    tags,
    summary: "Re-send a colleague's invitation",
    params: colleagueParams,
    response: z.object({ member: memberView }),
  }),
  removeColleague: defineContract({
    method: 'DELETE',
    path: `${base}/colleagues/:memberId`,
    access: 'subscriber',
    tags,
    summary: 'Remove a colleague; the licence count stays (R-SUB-2)',
    params: colleagueParams,
    // An open invitation is revoked (no credit); a colleague who joined is removed (credit 0: the licence stays).
    response: z.object({ member: memberView, creditMinor: z.number().int().optional() }),
  }),
  removeLicences: defineContract({
    method: 'POST',
    path: `${base}/licences/remove`,
    access: 'subscriber',
    tags,
    summary: 'Lower the licence count by free licences (R-SUB-2, R-LIC-3)',
    body: removeLicencesBody,
    example: { quantity: 1 },
    response: z.object({ creditMinor: z.number().int(), subscription: subscriptionView }),
  }),
  paymentMethods: defineContract({
    method: 'GET',
    path: `${base}/payment-methods`,
    access: 'subscriber',
    tags,
    summary: 'Cards on file (R-LIC-7)',
    response: paymentMethodsAnswer,
  }),
  addCard: defineContract({
    method: 'POST',
    path: `${base}/payment-methods`,
    access: 'subscriber',
    tags,
    summary: 'Add a card (primary, then backup)',
    body: addCardBody,
    example: addCardExample,
    status: 201,
    response: paymentMethodAnswer,
  }),
  removeCard: defineContract({
    method: 'DELETE',
    path: `${base}/payment-methods/:paymentMethodId`,
    access: 'subscriber',
    tags,
    summary: 'Remove a card',
    params: subscriptionPaymentMethodParams,
    response: paymentMethodsAnswer,
  }),
  invoices: defineContract({
    method: 'GET',
    path: `${base}/invoices`,
    access: 'subscriber',
    tags,
    summary: 'Your invoices, newest first (R-LIC-6)',
    response: invoicesAnswer,
  }),
  issuePending: defineContract({
    method: 'POST',
    path: `${base}/invoices/pending`,
    access: 'subscriber',
    tags,
    summary: 'Invoice pending charges and credits now (R-LIC-5)',
    status: 201,
    response: invoiceAnswer,
  }),
  invoice: defineContract({
    method: 'GET',
    path: `${base}/invoices/:invoiceId`,
    access: 'subscriber',
    tags,
    summary: 'One invoice with its lines and payments',
    params: subscriptionInvoiceParams,
    response: invoiceAnswer,
  }),
  invoiceDocument: defineContract({
    method: 'GET',
    path: `${base}/invoices/:invoiceId/document`,
    access: 'subscriber',
    tags,
    summary: 'The invoice as a printable page (R-LIC-6)',
    params: subscriptionInvoiceParams,
    response: invoiceDocument,
  }),
  pay: defineContract({
    method: 'POST',
    path: `${base}/invoices/:invoiceId/pay`,
    access: 'subscriber',
    tags,
    summary: 'Retry the payment now (R-LIC-7)',
    params: subscriptionInvoiceParams,
    response: payAnswer,
  }),
};
