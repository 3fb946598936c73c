/**
 * R-LIC-7: an organisation whose invoice stays unpaid after its retries refuses its practitioners
 * (402 payment_required) until the owner pays. What the notice shown then says, and to whom.
 */
import type { OwnerContact, WorkspaceOrganisationView } from '../../../src/organisations/schemas.ts';

export interface PaymentRequiredState {
  organisationId: string | null;
  /** The organisation's name, when known. */
  organisation: string | null;
  /** Whom to contact: the owner. */
  contact: OwnerContact | null;
  /** Whether the person reading is that owner (and can pay). */
  owner: boolean;
  /** The server's own sentence, used when the details are missing. */
  message: string;
  /** The path of the page whose request was refused. */
  path: string;
}

/** "/api/organisations/<id>/…" → "<id>". */
export function organisationIdOf(requestPath: string): string | null {
  const match = /^\/api\/organisations\/([^/?#]+)/.exec(requestPath);
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

function contactFrom(value: unknown): OwnerContact | null {
  if (!value || typeof value !== 'object') return null;
  const { name, email } = value as { name?: unknown; email?: unknown };
  return typeof name === 'string' && typeof email === 'string' ? { name, email } : null;
}

/**
 * The notice for a refused request: the organisation comes from the answer's details when it names
 * it, or else from the person's workspace (matched by the organisation in the request's path).
 */
export function paymentRequiredFrom(
  error: { message: string; details?: unknown },
  requestPath: string,
  pagePath: string,
  organisations: readonly WorkspaceOrganisationView[] = [],
): PaymentRequiredState {
  const details = (error.details && typeof error.details === 'object' ? error.details : {}) as { organisation?: unknown; contact?: unknown };
  const organisationId = organisationIdOf(requestPath);
  const known = organisationId ? organisations.find((o) => o.id === organisationId) : undefined;
  return {
    organisationId,
    organisation: typeof details.organisation === 'string' ? details.organisation : (known?.name ?? null),
    contact: contactFrom(details.contact) ?? known?.contact ?? null,
    owner: known?.owner ?? false,
    message: error.message,
    path: pagePath,
  };
}

/** The notice at home for an organisation flagged "payment required" where this person practises. */
export function paymentRequiredFor(organisation: WorkspaceOrganisationView, pagePath: string): PaymentRequiredState {
  return {
    organisationId: organisation.id,
    organisation: organisation.name,
    contact: organisation.contact,
    owner: organisation.owner,
    message: `${organisation.name} has an unpaid invoice.`,
    path: pagePath,
  };
}
