import { actionMessage } from '../mail/template.ts';
import type { EmailMessage } from '../mail/outbox.ts';

export function verifyEmailMessage(to: string, name: string, url: string): EmailMessage {
  return actionMessage(to, 'Confirm your email address for Motus', [
    `Hello ${name},`,
    'Please confirm that this is your email address. The link works once and expires in 7 days.',
  ], { url, label: 'Confirm email address' });
}

export function resetPasswordMessage(to: string, name: string, url: string): EmailMessage {
  return actionMessage(to, 'Reset your Motus password', [
    `Hello ${name},`,
    'Someone (hopefully you) asked to reset the password of your Motus account. The link works once and expires in 1 hour.',
    'If you did not ask for this, you can ignore this email: your password stays as it is.',
  ], { url, label: 'Choose a new password' });
}

export function notMeMessage(to: string, name: string, url: string): EmailMessage {
  return actionMessage(to, 'Your Motus account was secured', [
    `Hello ${name},`,
    'You reported a sign-in to your account that was not yours. We signed out every session of the account, and it needs a new password before anyone can sign in again.',
    'Choose a new password with the link below. It works once and expires in 1 hour.',
  ], { url, label: 'Choose a new password' });
}

export function notMeOwnerMessage(to: string, ownerName: string, person: string, personEmail: string, organisation: string, url: string): EmailMessage {
  return actionMessage(to, `${person} reported a sign-in that was not theirs`, [
    `Hello ${ownerName},`,
    `${person} (${personEmail}), a member of ${organisation}, reported that someone else signed in to their Motus account.`,
    'Motus ended every session of that account and requires a new password, set from a link sent to their email address. Their access log in the organisation console shows the sign-ins.',
  ], { url, label: 'Open the organisation console' });
}
