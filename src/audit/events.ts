/**
 * Every action the audit trail knows (R-AUD-1). Adding an action here is the only way to record it,
 * so a reviewer can read the whole vocabulary in one place. Details never hold clinical free text
 * or secrets (R-AUD-2).
 */
export type AuditEvent =
  | { action: 'account.signed_up'; targetType: 'account'; targetId: string }
  | { action: 'account.sign_in'; targetType: 'session'; targetId: string }
  | { action: 'account.sign_in_failed'; details: { reason: 'invalid_credentials' | 'throttled' | 'password_reset_required' } }
  | { action: 'account.sign_out'; targetType: 'session'; targetId: string }
  | { action: 'session.replaced'; targetType: 'session'; targetId: string; details: { replacedBy: string } }
  | { action: 'session.expired'; targetType: 'session'; targetId: string; details: { kind: 'idle' | 'absolute' } }
  | { action: 'session.reported_not_me'; targetType: 'account'; targetId: string; details: { sessionsEnded: number; ownersNotified: number } }
  | { action: 'account.verification_sent'; targetType: 'account'; targetId: string }
  | { action: 'account.email_verified'; targetType: 'account'; targetId: string }
  | { action: 'account.password_changed'; targetType: 'account'; targetId: string }
  | { action: 'account.password_reset_requested'; targetType: 'account'; targetId: string }
  | { action: 'account.password_reset'; targetType: 'account'; targetId: string; details: { sessionsEnded: number } }
  | { action: 'account.profile_updated'; targetType: 'account'; targetId: string; details: { fields: string[] } }
  | { action: 'account.logo_updated'; targetType: 'account'; targetId: string }
  | { action: 'account.logo_removed'; targetType: 'account'; targetId: string }
  | { action: 'operator.account_created'; targetType: 'account'; targetId: string }
  | { action: 'access.denied'; details: { method: string; route: string; code: string } }
  // Organisation console (R-AUD-1: every console action, licence, charge, credit and payment-method change)
  | { action: 'organisation.created'; targetType: 'organisation'; targetId: string; details: { billingMode: 'card' | 'manual' } }
  | { action: 'organisation.updated'; targetType: 'organisation'; targetId: string; details: { fields: string[] } }
  | { action: 'organisation.defaults_updated'; targetType: 'organisation'; targetId: string; details: { fields: string[]; practitionersUpdated: number } }
  | { action: MembershipAction; targetType: 'membership'; targetId: string; details?: Record<string, string | number | boolean | string[] | null> }
  | { action: OwnershipAction; targetType: 'ownership_transfer'; targetId: string; details: { from: string; to: string } }
  | { action: 'licences.purchased'; targetType: 'organisation'; targetId: string; details: LedgerDetails }
  | { action: 'licences.removed'; targetType: 'organisation'; targetId: string; details: LedgerDetails }
  | { action: 'payment_method.added' | 'payment_method.removed' | 'payment_method.promoted'; targetType: 'payment_method'; targetId: string; details: { brand: string; last4: string; role: string } }
  // Billing (R-LIC-5..7)
  | { action: 'invoice.issued' | 'invoice.requested'; targetType: 'invoice'; targetId: string; details: { number: number; kind: string; period: string | null; totalMinor: number; currency: string } }
  | { action: 'invoice.paid' | 'invoice.marked_paid' | 'payment.failed'; targetType: 'invoice'; targetId: string; details: { number: number; attempt?: number; amountMinor: number; reason?: string } }
  | { action: 'organisation.payment_required' | 'organisation.payment_restored'; targetType: 'organisation'; targetId: string; details: { invoiceNumber: number } };

export type MembershipAction =
  | 'membership.invited'
  | 'membership.invitation_resent'
  | 'membership.invitation_revoked'
  | 'membership.invitation_declined'
  | 'membership.invitation_expired'
  | 'membership.accepted'
  | 'membership.access_removed'
  | 'membership.access_granted'
  | 'membership.removed'
  | 'membership.roles_changed';

export type OwnershipAction = 'ownership.transfer_offered' | 'ownership.transfer_accepted' | 'ownership.transfer_declined' | 'ownership.transfer_cancelled';

export interface LedgerDetails {
  quantity: number;
  amountMinor: number;
  currency: string;
  ledgerId: string;
  localDate: string;
  cause?: string;
}

export type AuditAction = AuditEvent['action'];
export type AuditOutcome = 'success' | 'failure' | 'denied';

/** Who did it, from where: taken from the request (or the operator tool) that caused the change. */
export interface AuditActor {
  accountId: string | null;
  sessionId: string | null;
  organisationId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}
