import type { EmailMessage } from '../mail/outbox.ts';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function message(to: string, subject: string, lines: string[], link: { url: string; label: string }): EmailMessage {
  const text = [...lines, '', `${link.label}: ${link.url}`, '', '— Motus'].join('\n');
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1f2933;line-height:1.5">
${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
<p><a href="${escapeHtml(link.url)}" style="display:inline-block;padding:10px 18px;background:#0b7285;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(link.label)}</a></p>
<p style="color:#52606d;font-size:13px">If the button does not work, open this address: ${escapeHtml(link.url)}</p>
<p>— Motus</p></body></html>`;
  return { to, subject, text, html };
}

export function verifyEmailMessage(to: string, name: string, url: string): EmailMessage {
  return message(to, 'Confirm your email address for Motus', [
    `Hello ${name},`,
    'Please confirm that this is your email address. The link works once and expires in 7 days.',
  ], { url, label: 'Confirm email address' });
}

export function resetPasswordMessage(to: string, name: string, url: string): EmailMessage {
  return message(to, 'Reset your Motus password', [
    `Hello ${name},`,
    'Someone (hopefully you) asked to reset the password of your Motus account. The link works once and expires in 1 hour.',
    'If you did not ask for this, you can ignore this email: your password stays as it is.',
  ], { url, label: 'Choose a new password' });
}

export function notMeMessage(to: string, name: string, url: string): EmailMessage {
  return message(to, 'Your Motus account was secured', [
    `Hello ${name},`,
    'You reported a sign-in to your account that was not yours. We signed out every session of the account, and it needs a new password before anyone can sign in again.',
    'Choose a new password with the link below. It works once and expires in 1 hour.',
  ], { url, label: 'Choose a new password' });
}
