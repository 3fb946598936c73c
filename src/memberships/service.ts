import type { AccountService } from '../accounts/service.ts';
import type { Deps } from '../deps.ts';
import type { LicenceService } from '../licences/service.ts';
import type { SessionService } from '../sessions/service.ts';
import { createAcceptance } from './acceptance.ts';
import { createAccess } from './access.ts';
import type { MembershipEvents } from './events.ts';
import { createExpirySweeps, type InvitationExpiry } from './expiry.ts';
import { createInvitations } from './invitations.ts';
import { createLists } from './lists.ts';
import { createRoles } from './roles.ts';
import { createTransitions } from './transitions.ts';

/**
 * Memberships of organisations and subscriptions (R-PRA-1..7, R-ORG-3, R-ORG-5): invitations, the
 * invitee's answer, access, roles and the Users page. Every change of a membership takes the
 * organisation's lock first, so the licence pool moves with it exactly (R-LIC-9).
 */
export function createMembershipService(
  deps: Deps,
  licences: LicenceService,
  accounts: AccountService,
  sessions: SessionService,
  events: MembershipEvents,
  expiry: InvitationExpiry,
) {
  const transitions = createTransitions(deps, events);
  const sweeps = createExpirySweeps(deps, licences, expiry);
  return {
    ...createInvitations(deps, licences, transitions, events),
    ...createAcceptance(deps, licences, transitions, accounts, sessions),
    ...createAccess(deps, licences, transitions),
    ...createRoles(deps, licences, events),
    ...createLists(deps, sweeps.expireIfOverdue),
    expireAllOverdue: sweeps.expireAllOverdue,
  };
}

export type MembershipService = ReturnType<typeof createMembershipService>;
