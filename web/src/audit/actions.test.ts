import { describe, expect, it } from 'vitest';
import { actionLabel, outcomeLabel } from './actions.ts';

describe('actionLabel', () => {
  it('reads known actions as sentences', () => {
    expect(actionLabel('account.sign_in', 'success')).toBe('Signed in');
    expect(actionLabel('account.sign_in', 'failure')).toBe('Sign-in attempt');
    expect(actionLabel('session.replaced', 'success')).toBe('Signed out by a newer sign-in');
  });

  it('reads organisation console actions', () => {
    expect(actionLabel('membership.access_removed', 'success')).toBe("Removed a user's access");
    expect(actionLabel('licences.purchased', 'success')).toBe('Bought licences');
  });

  it('spells out actions it does not know', () => {
    expect(actionLabel('patient.record_opened', 'success')).toBe('Record opened');
  });

  it('names outcomes', () => {
    expect(outcomeLabel('success').label).toBe('Succeeded');
    expect(outcomeLabel('denied').label).toBe('Refused');
  });
});
