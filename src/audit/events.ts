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
  | { action: 'account.password_reset_not_sent'; details: { reason: 'unknown_address' | 'throttled' } }
  // An invitation or re-send refused because its recipient or organisation had all the mail an hour allows.
  | { action: 'mail.throttled'; details: { kind: 'invitation'; limit: string; membershipId?: string } }
  | { action: 'account.password_reset'; targetType: 'account'; targetId: string; details: { sessionsEnded: number } }
  | { action: 'account.profile_updated'; targetType: 'account'; targetId: string; details: { fields: string[] } }
  | { action: 'account.logo_updated'; targetType: 'account'; targetId: string }
  | { action: 'account.logo_removed'; targetType: 'account'; targetId: string }
  | { action: 'operator.account_created'; targetType: 'account'; targetId: string }
  // `origin`: the site a write refused for its origin came from (such refusals have no account).
  | { action: 'access.denied'; details: { method: string; route: string; code: string; origin?: string } }
  // Integrations (R-INT-1, R-INT-3): keys and links, never the key or the PMS token itself.
  | { action: 'api_key.created'; targetType: 'api_key'; targetId: string; details: { kind: 'practitioner' | 'organisation'; prefix: string; scopes: string[]; expiresAt: string | null; pmsLink?: boolean } }
  | { action: 'api_key.revoked'; targetType: 'api_key'; targetId: string; details: { prefix: string; reason: 'revoked' | 'unlinked' } }
  | { action: 'pms.linked' | 'pms.unlinked'; targetType: 'pms_link'; targetId: string; details: { membershipId: string; pmsName: string; apiKeyPrefix: string } }
  // Webhooks (R-INT-4): endpoints by their host only (a full address may carry a token), never a secret or an event's body.
  | { action: 'webhook.created' | 'webhook.deleted' | 'webhook.secret_rotated'; targetType: 'webhook_endpoint'; targetId: string; details: { owner: 'practitioner' | 'organisation'; host: string; events?: string[] } }
  | { action: 'webhook.updated'; targetType: 'webhook_endpoint'; targetId: string; details: { owner: 'practitioner' | 'organisation'; host: string; fields: string[]; enabled: boolean } }
  | { action: 'webhook.resent' | 'webhook.test_sent'; targetType: 'webhook_endpoint'; targetId: string; details: { owner: 'practitioner' | 'organisation'; deliveryId: string; eventId: string; eventType: string } }
  | { action: 'webhook.disabled_failing'; targetType: 'webhook_endpoint'; targetId: string; details: { owner: 'practitioner' | 'organisation'; host: string; failingSince: string } }
  // A write that found nothing to change (a second click, a repeat): still attributed to its caller (R-AUD-1).
  | { action: 'request.unchanged'; targetType: string; targetId: string; details: { reason: string; patientId?: string; programmeId?: string; deviceId?: string } }
  // Organisation console (R-AUD-1: every console action, licence, charge, credit and payment-method change)
  | { action: 'organisation.created'; targetType: 'organisation'; targetId: string; details: { billingMode: 'card' | 'manual' } }
  | { action: 'organisation.updated'; targetType: 'organisation'; targetId: string; details: { fields: string[] } }
  // The logo is no field of the practitioners' own copies, so a change of it alone names none (practitionersUpdated absent).
  | { action: 'organisation.defaults_updated'; targetType: 'organisation'; targetId: string; details: { fields: string[]; practitionersUpdated?: number } }
  | { action: MembershipAction; targetType: 'membership'; targetId: string; details?: Record<string, string | number | boolean | string[] | null> }
  | { action: OwnershipAction; targetType: 'ownership_transfer'; targetId: string; details: { from: string; to: string } }
  | { action: 'licences.purchased'; targetType: 'organisation'; targetId: string; details: LedgerDetails }
  | { action: 'licences.removed'; targetType: 'organisation'; targetId: string; details: LedgerDetails }
  | { action: 'payment_method.added' | 'payment_method.removed' | 'payment_method.promoted'; targetType: 'payment_method'; targetId: string; details: { brand: string; last4: string; role: string } }
  // Billing (R-LIC-5..7)
  | { action: 'invoice.issued' | 'invoice.requested'; targetType: 'invoice'; targetId: string; details: { number: number; kind: string; period: string | null; totalMinor: number; currency: string } }
  | { action: 'invoice.paid' | 'invoice.marked_paid' | 'payment.failed'; targetType: 'invoice'; targetId: string; details: { number: number; attempt?: number; amountMinor: number; reason?: string } }
  | { action: 'organisation.payment_required' | 'organisation.payment_restored'; targetType: 'organisation'; targetId: string; details: { invoiceNumber: number } }
  // Individual subscriptions (R-SUB-1..4, R-PRA-7)
  | { action: 'subscription.trial_started'; targetType: 'organisation'; targetId: string; details: { trialEndsAt: string } }
  | { action: 'subscription.started'; targetType: 'organisation'; targetId: string; details: { from: 'trial' | 'ended'; licences: number; amountMinor: number; paidFrom: string } }
  | { action: 'subscription.cancelled' | 'subscription.cancellation_undone'; targetType: 'organisation'; targetId: string; details: { endsOn: string | null } }
  | { action: 'subscription.ended_on_joining'; targetType: 'organisation'; targetId: string; details: { joinedOrganisationId: string; creditMinor: number; state: string } }
  | { action: 'licences.subscription_credited'; targetType: 'organisation'; targetId: string; details: LedgerDetails & { subscriptionId: string } }
  // Patients and programmes (R-AUD-1: every read, list and change; lists name the patients returned)
  | { action: 'patient.created' | 'patient.read' | 'patient.shares_read' | 'patient.archived' | 'patient.restored' | 'patient.deleted'; targetType: 'patient'; targetId: string }
  | { action: 'patient.updated'; targetType: 'patient'; targetId: string; details: { fields: string[] } }
  | { action: 'patient.listed'; details: { patientIds: string[]; total: number; searched: boolean } }
  | { action: 'programme.assigned' | 'programme.updated' | 'programme.ended' | 'programme.code_sent' | 'programme.read'; targetType: 'programme'; targetId: string; details: { patientId: string; emailed?: boolean } }
  | { action: 'programme.disabled' | 'programme.reactivated'; targetType: 'programme'; targetId: string; details: { patientId: string; membershipId: string } }
  | { action: 'programme.opened_by_patient'; targetType: 'programme'; targetId: string; details: { patientId: string; readOnly: boolean } }
  | { action: 'programme.code_guess_refused'; details: { reason: 'wrong' | 'throttled' } }
  // Patient engagement (R-ENG-7): a device's records carry its id; the actor has no account.
  | { action: 'programme.device_signed_in'; targetType: 'programme'; targetId: string; details: { patientId: string; deviceId: string } }
  | { action: 'programme.device_signed_out'; targetType: 'programme'; targetId: string; details: { patientId: string; deviceId: string; by: 'patient' | 'practitioner' } }
  | { action: 'programme.devices_read' | 'programme.handout_printed'; targetType: 'programme'; targetId: string; details: { patientId: string } }
  | { action: 'programme.read_by_patient'; targetType: 'programme'; targetId: string; details: { patientId: string; deviceId: string } }
  | { action: 'engagement.entry_recorded' | 'engagement.entry_changed' | 'engagement.entry_removed'; targetType: 'programme'; targetId: string; details: { patientId: string; deviceId: string; entryId: string; day: string } }
  | { action: 'engagement.entry_refused'; targetType: 'programme'; targetId: string; details: { patientId: string; deviceId: string; reason: string } }
  | { action: 'engagement.read'; targetType: 'programme'; targetId: string; details: { patientId: string; days: number } }
  | { action: 'engagement.alert_raised'; targetType: 'programme'; targetId: string; details: { patientId: string; alertId: string; kind: string } }
  | { action: 'engagement.alert_resolved'; targetType: 'programme'; targetId: string; details: { patientId: string; alertId: string } }
  | { action: 'engagement.attention_listed'; details: { patientIds: string[] } }
  | { action: 'engagement.organisation_counts_read'; targetType: 'organisation'; targetId: string }
  // The FHIR interface (R-INT-5): which resources a search returned, of which patients, and which one was read; never their content (R-AUD-2).
  | { action: 'fhir.searched'; details: { resource: 'CarePlan' | 'Observation' | 'Communication'; ids: string[]; patientIds: string[]; total: number } }
  | { action: 'fhir.read'; targetType: 'programme'; targetId: string; details: { resource: 'Observation' | 'Communication'; id: string; patientId: string } }
  | { action: 'message.sent'; targetType: 'programme'; targetId: string; details: { patientId: string; messageId: string; author: 'patient' | 'practice'; deviceId?: string } }
  | { action: 'message.thread_read'; targetType: 'programme'; targetId: string; details: { patientId: string; by: 'patient' | 'practice'; deviceId?: string } }
  | { action: 'reminder.set' | 'reminder.cleared' | 'reminder.unsubscribed' | 'reminder.sent' | 'calendar.feed_created' | 'calendar.feed_read'; targetType: 'programme'; targetId: string; details: { patientId: string; deviceId?: string } }
  | { action: 'template.created' | 'template.deleted'; targetType: 'template'; targetId: string; details?: { fromProgrammeId: string } }
  | { action: 'exercise.created' | 'exercise.updated' | 'exercise.archived'; targetType: 'exercise'; targetId: string }
  // Sharing and transfers (R-SHR-1..3, R-TRF-1: recorded per patient)
  | { action: 'patient.shared' | 'patient.share_ended'; targetType: 'patient'; targetId: string; details: { shareId: string; to: string } }
  | { action: 'sharing.updated'; targetType: 'organisation'; targetId: string; details: { sharePatients: boolean; shareContent: boolean; groupSize: number; contentAccount: string | null; recipients: number } }
  | { action: 'patient.transferred'; targetType: 'patient'; targetId: string; details: { from: string; to: string; transferId: string } }
  | { action: 'exercise.transferred' | 'template.transferred'; targetType: 'exercise' | 'template'; targetId: string; details: { from: string; to: string; transferId: string } }
  | { action: 'patient_import.requested'; targetType: 'patient_import'; targetId: string; details: { membershipId: string } }
  | { action: 'patient_import.finished'; targetType: 'patient_import'; targetId: string; details: { created: number; updated: number; rejected: number } }
  | { action: 'patient.listed_for_transfer'; targetType: 'membership'; targetId: string; details: { patientIds: string[] } }
  | { action: 'licences.lowered_unbilled'; targetType: 'organisation'; targetId: string; details: { quantity: number; reason: 'trial' | 'ended' } };

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
  /** The API key the request was made with (R-INT-3), if any. */
  apiKeyId?: string | null;
}
