/** Where a signed-in person lands and what the home page must tell them (R-PRA-4). */
import type { Workspace, WorkspaceOrganisation } from './types.ts';

export type Landing = { kind: 'home' } | { kind: 'console'; organisationId: string };

/** Organisations whose console this person can open (active admins and owners). */
export function consoleOrganisations(workspace: Workspace): WorkspaceOrganisation[] {
  return workspace.organisations.filter((o) => o.state === 'active' && o.admin);
}

/**
 * A person with practitioner access lands in the practitioner view (home); an admin without
 * practitioner access lands in the console. Someone whose access was removed lands at home, where
 * the notice explains it.
 */
export function landingFor(workspace: Workspace): Landing {
  if (workspace.organisations.some((o) => o.practitioner)) return { kind: 'home' };
  if (workspace.organisations.some((o) => o.state === 'access_removed')) return { kind: 'home' };
  const admin = consoleOrganisations(workspace)[0];
  return admin ? { kind: 'console', organisationId: admin.id } : { kind: 'home' };
}

export type HomeNotice =
  | { kind: 'access_removed'; organisations: WorkspaceOrganisation[] }
  | { kind: 'subscription_required' }
  | { kind: 'no_practitioner_access'; organisations: WorkspaceOrganisation[] }
  | null;

/** The notice at the top of home for a person without a licence (R-PRA-4). */
export function homeNoticeFor(workspace: Workspace): HomeNotice {
  if (workspace.hasLicence || workspace.organisations.some((o) => o.practitioner)) return null;
  const removed = workspace.organisations.filter((o) => o.state === 'access_removed');
  if (removed.length > 0) return { kind: 'access_removed', organisations: removed };
  if (workspace.organisations.length === 0) return { kind: 'subscription_required' };
  return { kind: 'no_practitioner_access', organisations: workspace.organisations };
}

/**
 * Organisations flagged "payment required" that stop this person working: where they practise, and
 * where they are the owner who can pay (R-LIC-7).
 */
export function paymentRequiredOrganisations(workspace: Workspace): WorkspaceOrganisation[] {
  return workspace.organisations.filter((o) => o.state === 'active' && o.status === 'payment_required' && (o.practitioner || o.owner));
}
