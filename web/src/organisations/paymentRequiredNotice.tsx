/**
 * R-LIC-7: when any request is refused because the organisation has an unpaid invoice (402
 * payment_required), the page it came from is replaced by a notice naming the organisation and the
 * owner to contact, like the access-removed notice. Moving to another page dismisses it.
 */
import { onPaymentRequired } from '../app/api.ts';
import { paymentRequiredFrom } from './paymentRequired.ts';
import { refusalNotice } from './refusalNotice.tsx';

const paymentRequired = refusalNotice(onPaymentRequired, (error, requestPath, workspace) => paymentRequiredFrom(error, requestPath, window.location.pathname, workspace?.organisations));

export const PaymentRequiredProvider = paymentRequired.Provider;
export const usePaymentRequired = paymentRequired.useNotice;
