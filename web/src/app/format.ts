const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'long' });

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "12 Nov 2026, 10:42" in the person's own locale and time zone. */
export function formatDateTime(iso: string | null | undefined): string {
  const date = parse(iso);
  return date ? dateTimeFormat.format(date) : 'an unknown time';
}

export function formatDate(iso: string | null | undefined): string {
  const date = parse(iso);
  return date ? dateFormat.format(date) : '';
}

/** "today at 10:42", "yesterday at 18:05", or a full date and time. */
export function formatWhen(iso: string | null | undefined, now: Date = new Date()): string {
  const date = parse(iso);
  if (!date) return 'an unknown time';
  const startOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  const day = 24 * 60 * 60 * 1000;
  if (date.getTime() >= startOfToday && date.getTime() < startOfToday + day) return `today at ${timeFormat.format(date)}`;
  if (date.getTime() >= startOfToday - day && date.getTime() < startOfToday) return `yesterday at ${timeFormat.format(date)}`;
  return dateTimeFormat.format(date);
}

/** A short description of a browser from its user agent, e.g. "Chrome on Linux". */
export function describeUserAgent(userAgent: string | null | undefined): string {
  if (!userAgent) return 'Unknown browser';
  const ua = userAgent;
  let browser = 'Unknown browser';
  if (/Edg\//.test(ua)) browser = 'Edge';
  else if (/OPR\/|Opera/.test(ua)) browser = 'Opera';
  else if (/Firefox\//.test(ua)) browser = 'Firefox';
  else if (/HeadlessChrome/.test(ua)) browser = 'Headless Chrome';
  else if (/Chrome\/|CriOS\//.test(ua)) browser = 'Chrome';
  else if (/Safari\//.test(ua) && /Version\//.test(ua)) browser = 'Safari';
  else if (/curl\//i.test(ua)) browser = 'curl';
  let system = '';
  if (/Android/.test(ua)) system = 'Android';
  else if (/iPhone|iPad|iPod/.test(ua)) system = 'iOS';
  else if (/Windows/.test(ua)) system = 'Windows';
  else if (/Mac OS X|Macintosh/.test(ua)) system = 'macOS';
  else if (/CrOS/.test(ua)) system = 'ChromeOS';
  else if (/Linux/.test(ua)) system = 'Linux';
  return system ? `${browser} on ${system}` : browser;
}

/** "12 seconds", "3 minutes": how long to wait after being rate limited. */
export function describeWait(seconds: unknown): string {
  const s = typeof seconds === 'number' && Number.isFinite(seconds) ? Math.max(1, Math.ceil(seconds)) : null;
  if (s === null) return 'a little while';
  if (s < 60) return `${s} second${s === 1 ? '' : 's'}`;
  const minutes = Math.ceil(s / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/**
 * A calendar day ("2026-11-22") as the person's locale writes it ("22 Nov 2026", or with `long`
 * "22 November 2026"), without shifting it by time zone; anything else comes back unchanged.
 */
export function formatLocalDate(localDate: string, locale?: string, dateStyle: 'medium' | 'long' = 'medium'): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(localDate);
  if (!match) return localDate;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(locale, { dateStyle, timeZone: 'UTC' }).format(date);
}

/** "1 patient", "3 patients". */
export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
