/** Shapes of the organisation console's API answers (src/organisations, memberships, licences, billing). */
import type { AdminSection, OwnerContact } from '../organisations/types.ts';

export interface Practice {
  name?: string | null;
  address?: string | null;
  phone?: string | null;
  email?: string | null;
  website?: string | null;
}

export interface PoolSummary {
  purchased: number;
  assigned: number;
  reserved: number;
  free: number;
  currency: string;
  unitPriceMinor: number;
  monthlyTotalMinor: number;
}

export interface Pool extends PoolSummary {
  billingMode: BillingMode;
}

export type BillingMode = 'card' | 'manual';

export interface Organisation {
  id: string;
  name: string;
  owner: OwnerContact & { accountId: string };
  billingMode: BillingMode;
  billingTimeZone: string;
  billingContactEmail: string | null;
  status: 'active' | 'payment_required';
  practice: Practice;
  licences: PoolSummary;
}

/** The caller's own rights in the organisation. */
export interface Me {
  membershipId: string;
  owner: boolean;
  admin: boolean;
  sections: AdminSection[];
  practitioner: boolean;
}

export interface OrganisationAnswer {
  organisation: Organisation;
  me: Me;
}

export type MemberStatus = 'unconfirmed' | 'active' | 'access_removed' | 'removed' | 'declined' | 'expired' | 'revoked';
export type MemberLicence = 'assigned' | 'reserved' | 'none';

export interface Member {
  id: string;
  accountId: string | null;
  name: string;
  email: string;
  status: MemberStatus;
  licence: MemberLicence;
  roles: { owner: boolean; practitioner: boolean; admin: boolean; sections: AdminSection[] };
  invitedAt: string;
  joinedAt: string | null;
  invitationExpiresAt: string | null;
  accessRemovedAt: string | null;
}

export interface AccessLogItem {
  id: string;
  at: string;
  action: string;
  outcome: string;
  /** Who acted (null for what Motus did by itself, such as an invitation expiring). */
  actorName: string | null;
  ip: string | null;
  userAgent: string | null;
  targetType: string | null;
  targetId: string | null;
}

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

/** GET …/members/:memberId/programme-counts: counts only, for the patients treated here (R-PRA-3, R-PRA-5). */
export interface ProgrammeCounts {
  activeProgrammes: number;
  /** Programmes paused when this member's access was removed. */
  disabledByRemoval: number;
  patients: number;
}

/** GET …/members/:memberId/transferable: names and year of birth only (R-PAT-2); the listing is audited. */
export interface TransferablePatient {
  id: string;
  firstName: string;
  lastName: string;
  yearOfBirth: number;
}

export interface Transferable {
  patients: TransferablePatient[];
  exercises: { id: string; name: string }[];
  templates: { id: string; title: string }[];
}

/** POST …/members/:memberId/transfer */
export interface TransferResult {
  transferId: string;
  patients: number;
  exercises: number;
  templates: number;
}

/** GET/PUT …/sharing (R-SHR-1, R-SHR-2); the PUT body has everything but `practitioners`. */
export interface SharingSettings {
  sharePatients: boolean;
  shareContent: boolean;
  groupMemberIds: string[];
  contentAccountMemberId: string | null;
  contentRecipientIds: string[];
  /** The organisation's active practitioners, who can be chosen. */
  practitioners: { id: string; name: string }[];
}

export type SharingBody = Omit<SharingSettings, 'practitioners'>;

/** GET …/patient-imports/:importId */
export interface PatientImport {
  id: string;
  status: 'pending' | 'done' | 'failed';
  fileName: string | null;
  practitioner: { membershipId: string; name: string | null };
  rows: number | null;
  created: number | null;
  updated: number | null;
  rejected: { line: number; reason: string }[];
  requestedAt: string;
  finishedAt: string | null;
}
