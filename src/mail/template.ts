import type { EmailMessage } from './outbox.ts';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * One plain layout for every Motus email: paragraphs, one action button, and its address in text;
 * `footer` adds a small link under it (a reminder's "stop these reminders", R-ENG-4).
 */
export function actionMessage(to: string, subject: string, paragraphs: string[], action: { url: string; label: string }, footer?: { url: string; label: string }): EmailMessage {
  const text = [...paragraphs, '', `${action.label}: ${action.url}`, '', '— Motus', ...(footer ? ['', `${footer.label}: ${footer.url}`] : [])].join('\n');
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1f2933;line-height:1.5">
${paragraphs.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
<p><a href="${escapeHtml(action.url)}" style="display:inline-block;padding:10px 18px;background:#0b7285;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(action.label)}</a></p>
<p style="color:#52606d;font-size:13px">If the button does not work, open this address: ${escapeHtml(action.url)}</p>
<p>— Motus</p>${footer ? `\n<p style="color:#52606d;font-size:13px"><a href="${escapeHtml(footer.url)}" style="color:#52606d">${escapeHtml(footer.label)}</a></p>` : ''}</body></html>`;
  return { to, subject, text, html };
}
