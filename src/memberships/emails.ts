import type { EmailMessage } from '../mail/outbox.ts';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function invitationMessage(input: { to: string; name: string; organisation: string; inviter: string; url: string; hasAccount: boolean; expiresAt: Date }): EmailMessage {
  const action = input.hasAccount ? 'Accept or decline the invitation' : 'Set your password and join';
  const lines = [
    `Hello ${input.name},`,
    `${input.inviter} invited you to use Motus with ${input.organisation}.`,
    input.hasAccount
      ? 'You already have a Motus account with this email address: sign in and accept (or decline) the invitation. You will also see it at your next sign-in.'
      : 'Choose a password to create your personal Motus account. Accounts are personal: please do not share yours.',
    `The invitation is valid until ${input.expiresAt.toUTCString()}.`,
  ];
  const text = [...lines, '', `${action}: ${input.url}`, '', '— Motus'].join('\n');
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1f2933;line-height:1.5">
${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
<p><a href="${escapeHtml(input.url)}" style="display:inline-block;padding:10px 18px;background:#0b7285;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(action)}</a></p>
<p style="color:#52606d;font-size:13px">If the button does not work, open this address: ${escapeHtml(input.url)}</p>
<p>— Motus</p></body></html>`;
  return { to: input.to, subject: `${input.inviter} invited you to ${input.organisation} on Motus`, text, html };
}

export function ownershipOfferMessage(input: { to: string; name: string; organisation: string; from: string; url: string }): EmailMessage {
  const text = [
    `Hello ${input.name},`,
    `${input.from} wants to hand the ownership of ${input.organisation} on Motus to you. As owner you would also manage payments and billing.`,
    '',
    `Review the request: ${input.url}`,
    '',
    '— Motus',
  ].join('\n');
  return { to: input.to, subject: `Ownership of ${input.organisation} on Motus`, text };
}
