import type { SessionEndCode } from '../app/api.ts';

/** Why the person is no longer signed in, remembered so the next screen can say so. */
export interface SessionEnd {
  code: SessionEndCode;
  /** The refusal's details (for a replaced session: the newer sign-in). */
  details: unknown;
  /** The page the person was on (path + search) when the session ended. */
  path: string;
  at: string;
  /**
   * The ended session's own CSRF token, which the server asks of "this wasn't me" (R-SES-3): only
   * the page that held the session has it, so another site cannot send the report.
   */
  csrfToken?: string | null;
}

/** Why the sign-in page is shown, carried in its `reason` query parameter. */
export type SignInReason =
  | 'session_expired'
  | 'password_reset'
  | 'password_changed'
  | 'reported_not_me'
  | 'signed_out'
  | 'reset_done'
  | 'invitation';

export const SIGN_IN_NOTICES: Record<SignInReason, { title: string; message: string; tone: 'info' | 'success' | 'warning' }> = {
  session_expired: {
    title: 'Your session expired',
    message: 'To keep patient data safe, Motus signs you out after a while without activity. Sign in again to carry on.',
    tone: 'warning',
  },
  password_reset: {
    title: 'You were signed out',
    message: 'The password of this account was reset, which signs it out everywhere. Sign in with the new password.',
    tone: 'warning',
  },
  password_changed: {
    title: 'You were signed out',
    message: 'The password of this account was changed, which signs it out everywhere. Sign in with the new password.',
    tone: 'warning',
  },
  reported_not_me: {
    title: 'All sessions were ended',
    message:
      'Someone reported that this account was used by another person. Check your email for a link to set a new password before signing in.',
    tone: 'warning',
  },
  signed_out: {
    title: 'You have signed out',
    message: 'See you next time.',
    tone: 'info',
  },
  reset_done: {
    title: 'Your password has been reset',
    message: 'Sign in with your new password.',
    tone: 'success',
  },
  invitation: {
    title: 'Sign in to answer your invitation',
    message: 'Once you are signed in, the invitation is shown for you to accept or decline.',
    tone: 'info',
  },
};

export function isSignInReason(value: string | null): value is SignInReason {
  return value !== null && Object.hasOwn(SIGN_IN_NOTICES, value);
}

/** The sign-in notice that explains an ended session (a replaced session has its own screen). */
export function reasonForSessionEnd(end: SessionEnd): SignInReason | null {
  if (end.code === 'session_expired') return 'session_expired';
  if (end.code === 'session_ended') {
    const reason = (end.details as { reason?: unknown } | null)?.reason;
    if (reason === 'password_reset' || reason === 'password_changed' || reason === 'reported_not_me') return reason;
    return 'session_expired';
  }
  return null;
}
