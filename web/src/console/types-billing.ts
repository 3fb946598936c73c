/** Shapes of the console's billing answers (src/licences, src/billing). */
import type { BillingMode } from './types-org.ts';
/** GET …/licences/quote: what adding practitioners or buying licences costs this month (R-LIC-2, R-LIC-4). */
export interface Quote {
  /** Licences that would be bought (0 when a free one is used). */
  quantity: number;
  currency: string;
  unitPriceMinor: number;
  amountMinor: number;
  /** "2026-11-22" in the organisation's billing time zone. */
  localDate: string;
  daysInMonth: number;
  daysCharged: number;
  freeLicences: number;
  paymentMethodRequired: boolean;
  paymentMethodOnFile: boolean;
}

export interface LedgerEntry {
  id: string;
  kind: 'charge' | 'credit';
  quantity: number;
  unitPriceMinor: number;
  amountMinor: number;
  currency: string;
  localDate: string;
  daysInMonth: number;
  cause: 'invitation' | 'access_granted' | 'bulk_purchase' | 'licences_removed';
  membershipId?: string | null;
  description: string;
  createdAt: string;
}

export interface PaymentMethod {
  id: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  role: 'primary' | 'backup';
  createdAt?: string;
}

/** Answers of the requests that may buy a licence. */
export interface Purchase {
  licenceBought: boolean;
  chargeMinor: number;
}

export type InvoiceStatus = 'due' | 'paid' | 'failed' | 'nothing_due';

/** GET …/invoices: one invoice of the organisation (R-LIC-5, R-LIC-6). */
export interface Invoice {
  id: string;
  number: number;
  /** monthly: issued on the 1st; interim: pending charges invoiced on request. */
  kind: 'monthly' | 'interim';
  /** "2026-11" for a monthly invoice, null for pending charges invoiced on request. */
  period: string | null;
  issuedAt: string;
  /** The issue date in the organisation's billing time zone, "2026-12-01". */
  localDate: string;
  currency: string;
  subtotalMinor: number;
  creditAppliedMinor: number;
  totalMinor: number;
  creditCarriedMinor: number;
  collection: BillingMode;
  status: InvoiceStatus;
  paidAt: string | null;
}

export interface InvoiceLine {
  kind: 'licences' | 'charge' | 'credit' | 'credit_applied';
  description: string;
  quantity: number | null;
  unitPriceMinor: number | null;
  /** Signed: credits are negative. */
  amountMinor: number;
  localDate: string | null;
}

export interface PaymentAttempt {
  attempt: number;
  status: 'started' | 'succeeded' | 'failed';
  failureReason: string | null;
  at: string;
}

/** GET …/invoices/:invoiceId */
export interface InvoiceDetail extends Invoice {
  lines: InvoiceLine[];
  payments: PaymentAttempt[];
}

/** POST …/invoices/:invoiceId/pay */
export interface PayAnswer {
  outcome: 'paid' | 'failed' | 'skipped';
  invoice: InvoiceDetail;
}

