// The till's service worker (scope /pos/): keeps the app shell so that the till
// opens — and keeps selling — while the server cannot be reached.
//
// - The till page (/pos/till/): network first (a short timeout), the last till
//   page seen as the fallback. Only a real till page is kept (it carries the
//   `id="till-config"` block): a sign-in keypad never replaces it.
// - Static files, the JavaScript translation catalog and product thumbnails:
//   served from the cache at once and refreshed in the background
//   (stale-while-revalidate). Hashed static names make stale copies harmless.
// - Everything else (the API, sign-in, WebSockets) goes to the network untouched:
//   the page itself queues sales in IndexedDB when that fails.
//
// The page sends {type: "warm", urls} after registration, so the files it loaded
// before this worker existed are cached too.
"use strict";

const VERSION = "2";
const CACHE = `hanout-till-v${VERSION}`;
const TILL_PATH = "/pos/till/";
const PAGE_TIMEOUT_MS = 4000;
const MARKER = 'id="till-config"';

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names.filter((n) => n.startsWith("hanout-till-") && n !== CACHE).map((n) => caches.delete(n))
      );
      await self.clients.claim();
    })()
  );
});

function isAsset(url) {
  return (
    url.pathname.startsWith("/static/") ||
    url.pathname.startsWith("/jsi18n/") ||
    /^\/catalog\/products\/[^/]+\/thumbnail\/$/.test(url.pathname)
  );
}

function isTillPage(url) {
  return url.pathname === TILL_PATH || url.pathname === TILL_PATH.slice(0, -1);
}

async function keepIfTill(response) {
  if (!response || response.status !== 200 || response.redirected) return false;
  if (!(response.headers.get("Content-Type") || "").includes("text/html")) return false;
  const text = await response.clone().text();
  if (!text.includes(MARKER)) return false;
  const cache = await caches.open(CACHE);
  await cache.put(TILL_PATH, response.clone());
  return true;
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      }
    );
  });
}

async function tillPage(request) {
  try {
    const response = await withTimeout(fetch(request), PAGE_TIMEOUT_MS);
    keepIfTill(response.clone()).catch(() => {});
    return response;
  } catch (err) {
    const cached = await caches.match(TILL_PATH, { cacheName: CACHE });
    if (cached) return cached;
    return new Response(
      "<!doctype html><meta charset=utf-8><title>Hanout</title>" +
        "<p style='font:1.2rem sans-serif;margin:2rem'>The server cannot be reached and this " +
        "register has no offline copy of the till yet. Check the network and reload.</p>",
      { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } }
    );
  }
}

async function asset(event) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(event.request);
  const refresh = fetch(event.request)
    .then((response) => {
      if (response.ok && response.type === "basic") cache.put(event.request, response.clone());
      return response;
    })
    .catch(() => null);
  if (cached) {
    event.waitUntil(refresh);
    return cached;
  }
  const fresh = await refresh;
  return fresh || Response.error();
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    if (isTillPage(url)) event.respondWith(tillPage(request));
    return;
  }
  if (isAsset(url)) event.respondWith(asset(event));
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "warm" || !Array.isArray(data.urls)) return;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await Promise.all(
        data.urls.map(async (path) => {
          try {
            const url = new URL(path, self.location.origin);
            if (url.origin !== self.location.origin) return;
            if (isTillPage(url)) {
              const response = await fetch(url.href, { credentials: "same-origin", cache: "no-store" });
              await keepIfTill(response);
            } else if (isAsset(url) && !(await cache.match(url.href))) {
              const response = await fetch(url.href, { credentials: "same-origin" });
              if (response.ok) await cache.put(url.href, response);
            }
          } catch (e) {
            /* offline or gone: the next visit tries again */
          }
        })
      );
      if (event.source) event.source.postMessage({ type: "warmed", count: data.urls.length });
    })()
  );
});
