/**
 * R-ENG-2: the patient's page is an installable web app that opens without a connection. Its
 * service worker (web/public/sw.js) is registered from the patient's page only; the practitioner's
 * app works online as before.
 */

/** The cache the service worker keeps exercise pictures in (see web/public/sw.js). */
const PICTURE_CACHE_PREFIX = 'motus-pictures-';

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/programme' }).catch(() => {
    // Without it the page still works online; nothing to tell the patient.
  });
}

/** Forgets the exercise pictures this phone keeps, when it signs out of its programmes. */
export async function forgetPictures(): Promise<void> {
  try {
    if (typeof caches === 'undefined') return;
    for (const name of await caches.keys()) {
      if (name.startsWith(PICTURE_CACHE_PREFIX)) await caches.delete(name);
    }
  } catch {
    // Storage unavailable: nothing kept.
  }
}

/**
 * Asks for the programme's pictures once, so the service worker keeps them for use without a
 * connection (a picture further down the page would otherwise wait until it is scrolled to).
 */
export function keepPictures(urls: readonly (string | null | undefined)[]): void {
  if (typeof navigator === 'undefined' || !navigator.serviceWorker?.controller) return;
  for (const url of new Set(urls.filter((u): u is string => typeof u === 'string' && u.startsWith('/api/exercises/')))) {
    fetch(url, { credentials: 'same-origin' }).catch(() => undefined);
  }
}
