/**
 * R-PRA-4, R-SES-6: when any request is refused because an organisation removed the person's access
 * (403 access_removed), the page they were on is replaced by a notice saying so and whom to contact.
 * The notice belongs to that page: moving elsewhere dismisses it.
 */
import { onAccessRemoved, type ApiError } from '../app/api.ts';
import { refusalNotice } from './refusalNotice.tsx';
import type { OwnerContact } from '../../../src/organisations/schemas.ts';

/** The details of a 403 access_removed refusal (src/organisations/access.ts). */
interface AccessRemovedDetails {
  organisation?: string;
  contact?: Partial<OwnerContact>;
}

export interface AccessRemovedState {
  organisation: string | null;
  contact: { name: string; email: string } | null;
  message: string;
  /** The path of the page whose request was refused. */
  path: string;
}

export function accessRemovedFrom(error: ApiError, path: string): AccessRemovedState {
  const details = (error.details && typeof error.details === 'object' ? error.details : {}) as AccessRemovedDetails;
  const contact =
    details.contact && typeof details.contact.name === 'string' && typeof details.contact.email === 'string'
      ? { name: details.contact.name, email: details.contact.email }
      : null;
  return {
    organisation: typeof details.organisation === 'string' ? details.organisation : null,
    contact,
    message: error.message,
    path,
  };
}

const accessRemoved = refusalNotice(onAccessRemoved, (error) => accessRemovedFrom(error, window.location.pathname));

export const AccessRemovedProvider = accessRemoved.Provider;
export const useAccessRemoved = accessRemoved.useNotice;
