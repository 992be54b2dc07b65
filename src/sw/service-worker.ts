/// <reference lib="webworker" />
/**
 * Sift's service worker: the app shell, the bundles, the onnxruntime WASM
 * files and the embedded model are precached at install, so the app opens,
 * searches and reaches a local LLM with the origin server gone.
 *
 * Precached files are served cache-first: a running tab never gets code
 * swapped under it. A new version waits until the page asks it to take over
 * (the "reload to update" banner), which the page only does when no ingest
 * is running.
 */
declare const self: ServiceWorkerGlobalScope;
declare const __SIFT_PRECACHE__: string[];
declare const __SIFT_VERSION__: string;

const PRECACHE = __SIFT_PRECACHE__;
const VERSION = __SIFT_VERSION__;
const APP_CACHE = `sift-app-${VERSION}`;
const APP_CACHE_PREFIX = 'sift-app-';
const SHELL = 'index.html';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(APP_CACHE);
      // `reload` bypasses the HTTP cache, so a half-updated server never mixes versions into one precache.
      await cache.addAll(PRECACHE.map((path) => new Request(path, { cache: 'reload' })));
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith(APP_CACHE_PREFIX) && key !== APP_CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  const data = event.data as { type?: string } | undefined;
  if (data?.type === 'skip-waiting') void self.skipWaiting();
  if (data?.type === 'version') event.ports[0]?.postMessage({ version: VERSION });
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  event.respondWith(respond(request, url));
});

async function respond(request: Request, url: URL): Promise<Response> {
  const cache = await caches.open(APP_CACHE);
  const scope = new URL(self.registration.scope);
  const path = url.pathname.startsWith(scope.pathname) ? url.pathname.slice(scope.pathname.length) : url.pathname;
  const key = request.mode === 'navigate' ? SHELL : path;
  const cached = await cache.match(new URL(key, scope).href);
  if (cached) return cached;
  try {
    return await fetch(request);
  } catch (error) {
    if (request.mode === 'navigate') {
      const shell = await cache.match(new URL(SHELL, scope).href);
      if (shell) return shell;
    }
    throw error;
  }
}
