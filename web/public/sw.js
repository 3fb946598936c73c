/*
 * Motus service worker (R-ENG-2): the patient's page opens without a connection.
 *
 * - On install it keeps the app shell: the page /programme and the /assets/* files it references.
 * - Pages (navigations) come from the network first, the kept shell when there is none; every
 *   fresh page refreshes the shell and the assets it needs, and drops assets no longer needed.
 * - /assets/* files carry a content hash in their names: served from the cache first.
 * - /api/* answers are never kept here (the page keeps the last programme answer itself, and what
 *   the patient records waits in the page's own queue), with one exception: exercise pictures, which
 *   are no patient's data and make the programme readable offline, network first.
 *
 * Registered by the patient's page only (web/src/engagement/patient/serviceWorker.ts).
 */
/* global self, caches */

const VERSION = 'v1';
const SHELL_CACHE = `motus-shell-${VERSION}`;
const ASSET_CACHE = `motus-assets-${VERSION}`;
const PICTURE_CACHE = `motus-pictures-${VERSION}`;
const CACHES = [SHELL_CACHE, ASSET_CACHE, PICTURE_CACHE];
const SHELL_URL = '/programme';
/** Files of web/public the installed app shows (its icon, its manifest). */
const PUBLIC_FILES = ['/manifest.webmanifest', '/favicon.svg', '/icons/icon.svg', '/icons/icon-192.png', '/icons/icon-512.png', '/icons/icon-maskable-512.png', '/icons/apple-touch-icon.png'];
const PICTURE = /^\/api\/exercises\/[0-9a-f-]{36}\/illustration$/;
const MAX_PICTURES = 300;
/** How long a page waits for the network before the kept shell is shown (a weak signal). */
const NAVIGATION_TIMEOUT_MS = 4000;

/** The /assets/* files a page references (scripts, styles, preloads). */
function assetsOf(html) {
  const found = new Set();
  for (const match of html.matchAll(/(?:src|href)="(\/assets\/[^"?#]+)"/g)) found.add(match[1]);
  return [...found];
}

/** Keeps the shell and every asset it references; drops the assets it no longer references. */
async function keepShell(response) {
  const html = await response.clone().text();
  const assets = assetsOf(html);
  const assetCache = await caches.open(ASSET_CACHE);
  for (const asset of assets) {
    if (!(await assetCache.match(asset))) await assetCache.add(asset);
  }
  const shell = await caches.open(SHELL_CACHE);
  await shell.put(SHELL_URL, response);
  const wanted = new Set(assets.map((a) => new URL(a, self.location.origin).href));
  for (const request of await assetCache.keys()) {
    if (!wanted.has(request.url)) await assetCache.delete(request);
  }
}

async function precache() {
  const response = await fetch(SHELL_URL, { cache: 'no-cache', credentials: 'same-origin' });
  if (!response.ok) throw new Error(`The app shell answered ${response.status}.`);
  await keepShell(response);
  const shell = await caches.open(SHELL_CACHE);
  await Promise.all(PUBLIC_FILES.map((file) => shell.add(file).catch(() => undefined)));
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('motus-') && !CACHES.includes(name)) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

function offlinePage() {
  return new Response(
    '<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Offline</title>' +
      '<body style="font: 20px/1.5 system-ui, sans-serif; padding: 24px; color: #212529"><h1>You are offline</h1><p>Please try again when you have a connection.</p></body></html>',
    { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } },
  );
}

async function navigation(event) {
  const fromNetwork = fetch(event.request).then((response) => {
    const type = response.headers.get('content-type') ?? '';
    if (response.ok && type.includes('text/html')) event.waitUntil(keepShell(response.clone()).catch(() => undefined));
    return response;
  });
  const kept = await caches.match(SHELL_URL, { cacheName: SHELL_CACHE });
  if (!kept) return fromNetwork.catch(() => offlinePage());
  // With a kept shell, a slow network does not keep the patient waiting.
  let timer;
  const slow = new Promise((resolve) => {
    timer = setTimeout(() => resolve(kept), NAVIGATION_TIMEOUT_MS);
  });
  try {
    const response = await Promise.race([fromNetwork, slow]);
    // A failing server (or a proxy in front of it) shows the kept page rather than an error.
    return response.status >= 500 ? kept : response;
  } catch {
    return kept;
  } finally {
    clearTimeout(timer);
  }
}

async function cacheFirst(request, cacheName) {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function networkFirst(request, cacheName, limit, onlyPublic = false) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    // Only what the server marks public is kept: a practitioner's custom picture is private.
    if (response.ok && (!onlyPublic || /\bpublic\b/.test(response.headers.get('cache-control') ?? ''))) {
      await cache.put(request, response.clone());
      if (limit) {
        const keys = await cache.keys();
        for (const old of keys.slice(0, Math.max(0, keys.length - limit))) await cache.delete(old);
      }
    }
    return response;
  } catch (error) {
    const cached = await cache.match(request);
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) {
    if (PICTURE.test(url.pathname) && !url.search) event.respondWith(networkFirst(request, PICTURE_CACHE, MAX_PICTURES, true));
    return;
  }
  if (request.mode === 'navigate') {
    // Only the patient's page works offline; any other page of the app goes to the network.
    if (url.pathname !== '/programme') return;
    event.respondWith(navigation(event));
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request, ASSET_CACHE));
    return;
  }
  if (PUBLIC_FILES.includes(url.pathname)) event.respondWith(networkFirst(request, SHELL_CACHE));
});
