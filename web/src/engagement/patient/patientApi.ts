/** The patient device's calls (R-PRG-2, R-ENG-1..5): each carries the device's token, never a cookie or CSRF header. */
import { engagementContracts, type ReminderInput } from '../../../../src/engagement/schemas.ts';
import { programmeContracts } from '../../../../src/programmes/schemas.ts';
import { call, isApiError } from '../../app/api.ts';

export const patientApi = {
  open: (code: string, yearOfBirth: number) =>
    call(programmeContracts.openAsPatient, { body: { code, yearOfBirth } }, { csrf: false, reportSessionEnd: false }),
  home: (token: string, day: string) => call(engagementContracts.home, { query: { day } }, { bearer: token }),
  messages: (token: string) => call(engagementContracts.patientMessages, {}, { bearer: token }),
  setReminder: (token: string, body: ReminderInput) => call(engagementContracts.setReminder, { body }, { bearer: token }),
  clearReminder: (token: string) => call(engagementContracts.clearReminder, {}, { bearer: token }),
  calendar: (token: string) => call(engagementContracts.calendar, {}, { bearer: token }),
  signOut: (token: string) => call(engagementContracts.signOutDevice, {}, { bearer: token }),
  unsubscribe: (token: string) => call(engagementContracts.unsubscribe, { query: { token } }, { csrf: false, reportSessionEnd: false }),
};

/** The device's token no longer opens the programme: signed out here, or by the practice (R-PRG-2). */
export function isSignedOut(error: unknown): boolean {
  return isApiError(error) && error.status === 401;
}

/** The server could not be reached (no connection, or it did not answer). */
export function isUnreachable(error: unknown): boolean {
  return isApiError(error) && (error.status === 0 || error.status >= 500);
}
