/**
 * R-PRA-4, R-SUB-1: when any request is refused because the person holds no licence that lets them
 * work (402 subscription_required: never had one, their trial or subscription ended, or a colleague's
 * subscription they were on ended), the page it came from is replaced by home's subscription-required
 * notice, with the way to a subscription. Moving to another page dismisses it.
 */
import { onSubscriptionRequired, type ApiError } from '../app/api.ts';
import { refusalNotice } from './refusalNotice.tsx';
import type { OwnerContact } from '../../../src/organisations/schemas.ts';

export interface SubscriptionRequiredState {
  /** The server's own sentence: why there is no licence, and what to do. */
  message: string;
  /** Whom to ask, when the licence came from a colleague's subscription. */
  contact: OwnerContact | null;
  /** The path of the page whose request was refused. */
  path: string;
}

export function subscriptionRequiredFrom(error: Pick<ApiError, 'message' | 'details'>, path: string): SubscriptionRequiredState {
  const details = (error.details && typeof error.details === 'object' ? error.details : {}) as { contact?: unknown };
  const contact = details.contact as Partial<OwnerContact> | null | undefined;
  return {
    message: error.message,
    contact: contact && typeof contact.name === 'string' && typeof contact.email === 'string' ? { name: contact.name, email: contact.email } : null,
    path,
  };
}

const subscriptionRequired = refusalNotice(onSubscriptionRequired, (error) => subscriptionRequiredFrom(error, window.location.pathname));

export const SubscriptionRequiredProvider = subscriptionRequired.Provider;
export const useSubscriptionRequired = subscriptionRequired.useNotice;
