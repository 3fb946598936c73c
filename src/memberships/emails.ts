import type { EmailMessage } from '../mail/outbox.ts';
import { actionMessage } from '../mail/template.ts';

export function invitationMessage(input: { to: string; name: string; organisation: string; inviter: string; url: string; hasAccount: boolean; expiresAt: Date }): EmailMessage {
  const action = input.hasAccount ? 'Accept or decline the invitation' : 'Set your password and join';
  return actionMessage(input.to, `${input.inviter} invited you to ${input.organisation} on Motus`, [
    `Hello ${input.name},`,
    `${input.inviter} invited you to use Motus with ${input.organisation}.`,
    input.hasAccount
      ? 'You already have a Motus account with this email address: sign in and accept (or decline) the invitation. You will also see it at your next sign-in.'
      : 'Choose a password to create your personal Motus account. Accounts are personal: please do not share yours.',
    `The invitation is valid until ${input.expiresAt.toUTCString()}.`,
  ], { url: input.url, label: action });
}

export function ownershipOfferMessage(input: { to: string; name: string; organisation: string; from: string; url: string }): EmailMessage {
  return actionMessage(input.to, `Ownership of ${input.organisation} on Motus`, [
    `Hello ${input.name},`,
    `${input.from} wants to hand the ownership of ${input.organisation} on Motus to you. As owner you would also manage payments and billing.`,
  ], { url: input.url, label: 'Review the request' });
}
