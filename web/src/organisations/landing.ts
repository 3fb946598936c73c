/** Where a signed-in person lands and what the home page must tell them (R-PRA-4, R-SUB-1). */
import type { LicenceSourceView, OwnerContact, WorkspaceOrganisationView, WorkspaceView } from '../../../src/organisations/schemas.ts';

export type Landing = { kind: 'home' } | { kind: 'console'; organisationId: string };

/** Organisations whose console this person can open (active admins and owners). */
export function consoleOrganisations(workspace: WorkspaceView): WorkspaceOrganisationView[] {
  return workspace.organisations.filter((o) => o.state === 'active' && o.admin);
}

/**
 * A person with practitioner access lands in the practitioner view (home); an admin without
 * practitioner access lands in the console. Someone whose access was removed, or who has (or had)
 * a licence from an individual subscription, lands at home, where the notice explains what is wrong.
 */
export function landingFor(workspace: WorkspaceView): Landing {
  if (workspace.organisations.some((o) => o.practitioner)) return { kind: 'home' };
  if (workspace.licence.sources.some((s) => s.kind === 'subscription')) return { kind: 'home' };
  if (workspace.organisations.some((o) => o.state === 'access_removed')) return { kind: 'home' };
  const admin = consoleOrganisations(workspace)[0];
  return admin ? { kind: 'console', organisationId: admin.id } : { kind: 'home' };
}

export type HomeNotice =
  | { kind: 'access_removed'; organisations: WorkspaceOrganisationView[] }
  | {
      kind: 'subscription_required';
      /** The server's sentence (why, and what to do), when it gave one. */
      message: string | null;
      /** Whom to ask when the licence came from a colleague's subscription that ended. */
      contact: OwnerContact | null;
      /** The person's own subscription, ended (restart it), or null (a free trial is on offer). */
      own: LicenceSourceView | null;
    }
  /** An individual subscription (the person's own or a colleague's) has an unpaid invoice (R-LIC-7). */
  | { kind: 'subscription_payment_required'; source: LicenceSourceView; message: string }
  | { kind: 'no_practitioner_access'; organisations: WorkspaceOrganisationView[] }
  | null;

/**
 * The notice at the top of home for a person without a working licence (R-PRA-4, R-SUB-1, R-SUB-4).
 * An organisation's unpaid invoice has notices of its own (`paymentRequiredOrganisations`).
 */
export function homeNoticeFor(workspace: WorkspaceView): HomeNotice {
  const { licence } = workspace;
  if (licence.canWork || workspace.organisations.some((o) => o.practitioner)) return null;
  const notice = licence.notice;
  if (notice?.code === 'payment_required') {
    const unpaid = licence.sources.find((s) => s.kind === 'subscription' && s.blocked === 'payment_required');
    if (unpaid) return { kind: 'subscription_payment_required', source: unpaid, message: notice.message };
  }
  const removed = workspace.organisations.filter((o) => o.state === 'access_removed');
  if (removed.length > 0) return { kind: 'access_removed', organisations: removed };
  const own = licence.sources.find((s) => s.own) ?? null;
  const fromColleague = licence.sources.some((s) => s.kind === 'subscription' && !s.own);
  // A member of an organisation without practitioner access (an admin, an owner) is told how to get it there.
  if (!own && !fromColleague && workspace.organisations.length > 0) return { kind: 'no_practitioner_access', organisations: workspace.organisations };
  return { kind: 'subscription_required', message: notice?.message ?? null, contact: notice?.contact ?? null, own };
}

/**
 * Organisations flagged "payment required" that stop this person working: where they practise, and
 * where they are the owner who can pay (R-LIC-7).
 */
export function paymentRequiredOrganisations(workspace: WorkspaceView): WorkspaceOrganisationView[] {
  return workspace.organisations.filter((o) => o.state === 'active' && o.status === 'payment_required' && (o.practitioner || o.owner));
}
