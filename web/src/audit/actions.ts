/** Readable names for audit actions; anything not listed is spelled out from its code. */
const ACTION_LABELS: Record<string, string> = {
  'account.signed_up': 'Created account',
  'account.sign_up': 'Created account',
  'account.created': 'Created account',
  'account.sign_in': 'Signed in',
  'account.sign_in_failed': 'Sign-in failed',
  'account.sign_out': 'Signed out',
  'account.session_replaced': 'Signed out by a newer sign-in',
  'session.replaced': 'Signed out by a newer sign-in',
  'session.expired': 'Session expired',
  'account.email_verified': 'Verified email address',
  'account.verify_email': 'Verified email address',
  'account.verification_sent': 'Verification email sent',
  'account.resend_verification': 'Verification email sent',
  'account.password_reset_requested': 'Asked for a password reset',
  'account.password_reset_not_sent': 'Password reset link not sent',
  'account.forgot_password': 'Asked for a password reset',
  'account.password_reset': 'Reset password',
  'account.reset_password': 'Reset password',
  'account.password_changed': 'Changed password',
  'account.change_password': 'Changed password',
  'account.password_change': 'Changed password',
  'account.update': 'Updated profile',
  'account.updated': 'Updated profile',
  'account.profile_updated': 'Updated profile',
  'account.logo_uploaded': 'Uploaded practice logo',
  'account.logo_updated': 'Uploaded practice logo',
  'account.logo_set': 'Uploaded practice logo',
  'account.logo_removed': 'Removed practice logo',
  'account.logo_deleted': 'Removed practice logo',
  'account.report_not_me': 'Reported "This wasn\'t me"',
  'account.reported_not_me': 'Reported "This wasn\'t me"',
  'session.report_not_me': 'Reported "This wasn\'t me"',
  'session.reported_not_me': 'Reported "This wasn\'t me"',
  'sessions.report_not_me': 'Reported "This wasn\'t me"',
  'operator.account_created': 'Account created by an operator',
  'access.denied': 'Refused: not allowed',
  // Organisation console: what the person did in an organisation.
  'organisation.created': 'Created the organisation',
  'organisation.updated': 'Changed organisation settings',
  'organisation.defaults_updated': 'Changed the practice defaults',
  'membership.invited': 'Invited a user',
  'membership.invitation_resent': 'Re-sent an invitation',
  'api_key.created': 'Created an API key',
  'api_key.revoked': 'Revoked an API key',
  'pms.linked': 'Linked to the practice management system',
  'pms.unlinked': 'Unlinked from the practice management system',
  'webhook.created': 'Added a webhook endpoint',
  'webhook.updated': 'Changed a webhook endpoint',
  'webhook.deleted': 'Deleted a webhook endpoint',
  'webhook.secret_rotated': 'Made a new webhook signing secret',
  'webhook.resent': 'Sent a webhook event again',
  'webhook.test_sent': 'Sent a test webhook event',
  'webhook.disabled_failing': 'Webhook endpoint switched off after failing',
  'fhir.searched': 'Searched records through FHIR',
  'fhir.read': 'Read a record through FHIR',
  'mail.throttled': 'Invitation email held back (hourly limit reached)',
  'membership.invitation_revoked': 'Revoked an invitation',
  'membership.invitation_declined': 'Declined an invitation',
  'membership.invitation_expired': 'Invitation expired',
  'membership.accepted': 'Accepted an invitation',
  'membership.access_removed': "Removed a user's access",
  'membership.access_granted': 'Granted a user access again',
  'membership.removed': 'Removed a user from the organisation',
  'membership.roles_changed': "Changed a user's admin rights",
  'ownership.transfer_offered': 'Offered ownership of the organisation',
  'ownership.transfer_accepted': 'Accepted ownership of the organisation',
  'ownership.transfer_declined': 'Declined ownership of the organisation',
  'ownership.transfer_cancelled': 'Ownership offer cancelled',
  'licences.purchased': 'Bought licences',
  'licences.removed': 'Removed licences',
  'payment_method.added': 'Added a card',
  'payment_method.removed': 'Removed a card',
  'payment_method.promoted': 'Backup card became the main card',
  'licences.lowered_unbilled': 'Removed licences not billed yet',
  'licences.subscription_credited': 'Credited unused days of a subscription',
  // Individual subscriptions (SPEC section 7).
  'subscription.trial_started': 'Started the free trial',
  'subscription.started': 'Started the paid subscription',
  'subscription.cancelled': 'Cancelled the subscription',
  'subscription.cancellation_undone': 'Undid the cancellation',
  'subscription.ended_on_joining': 'Subscription ended on joining an organisation',
  'request.unchanged': 'Asked for a change that was already made',
};

const FAILED_LABELS: Record<string, string> = {
  'account.sign_in': 'Sign-in attempt',
  'account.password_change': 'Password change attempt',
  'account.change_password': 'Password change attempt',
  'account.password_changed': 'Password change attempt',
};

export function isSuccessOutcome(outcome: string): boolean {
  return outcome === 'success' || outcome === 'succeeded' || outcome === 'ok';
}

export function actionLabel(action: string, outcome: string): string {
  if (!isSuccessOutcome(outcome) && FAILED_LABELS[action]) return FAILED_LABELS[action];
  const known = ACTION_LABELS[action];
  if (known) return known;
  // "account.email_change_requested" → "Email change requested"
  const parts = action.split('.');
  const tail = (parts.length > 1 ? parts.slice(1) : parts).join(' ').replace(/[_-]+/g, ' ').trim();
  return tail ? tail.charAt(0).toUpperCase() + tail.slice(1) : action;
}

export function outcomeLabel(outcome: string): { label: string; color: string } {
  if (isSuccessOutcome(outcome)) return { label: 'Succeeded', color: 'green' };
  if (outcome === 'failure' || outcome === 'failed' || outcome === 'error') return { label: 'Failed', color: 'red' };
  if (outcome === 'denied' || outcome === 'forbidden' || outcome === 'refused') return { label: 'Refused', color: 'orange' };
  return { label: outcome.charAt(0).toUpperCase() + outcome.slice(1).replace(/_/g, ' '), color: 'gray' };
}
