import type { Account } from '../accounts/types.ts';

export interface SessionInfo {
  id: string;
  createdAt: string;
  csrfToken: string;
  idleExpiresAt: string;
  absoluteExpiresAt: string;
}

/** What sign-in, sign-up, a password change and GET /api/session answer. */
export interface SignedIn {
  account: Account;
  session: SessionInfo;
}

/** Details of a `session_replaced` refusal: the newer sign-in that ended this session. */
export interface ReplacedDetails {
  replacedAt?: string;
  ip?: string | null;
  userAgent?: string | null;
  browser?: string;
}

/** Why the person is no longer signed in, remembered so the next screen can say so. */
export interface SessionEnd {
  code: 'session_replaced' | 'session_expired' | 'session_ended';
  details: unknown;
  /** The page the person was on (path + search) when the session ended. */
  path: string;
  at: string;
}
