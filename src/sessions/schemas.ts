import { z } from 'zod';
import { messageView, signedInView } from '../accounts/schemas.ts';
import { defineContract } from '../platform/http/contract.ts';

/**
 * R-SES-1: the details of a `session_replaced` refusal, naming the newer sign-in that ended the
 * session (when, from which address and browser) so the person can tell whether it was theirs.
 */
export const sessionReplacedDetails = z.object({
  replacedAt: z.iso.datetime().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  browser: z.string(),
});
export type SessionReplacedDetails = z.infer<typeof sessionReplacedDetails>;

const tags = ['sessions'];

/** Who is signed in, signing out, and "this wasn't me" (R-SES-1, R-SES-3). */
export const sessionContracts = {
  current: defineContract({
    method: 'GET',
    path: '/api/session',
    access: 'signedIn',
    tags,
    summary: 'Who is signed in; 401 says why not (e.g. session_replaced)',
    response: signedInView,
  }),
  signOut: defineContract({
    method: 'POST',
    path: '/api/auth/sign-out',
    access: 'signedIn',
    tags,
    summary: 'Sign out',
    status: 204,
    response: null,
  }),
  reportNotMe: defineContract({
    method: 'POST',
    path: '/api/sessions/report-not-me',
    access: 'endedSession',
    tags,
    summary: '"This wasn\'t me", from the browser a newer sign-in signed out, with that session\'s x-csrf-token (409 for a live session): end every session and require a new password',
    response: messageView,
  }),
};
