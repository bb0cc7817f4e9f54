/* The portal's service worker (hub/app_views.py). Version {{ version }}.
   It keeps the static shell and one offline page per language read here, and nothing else: pages of the portal
   (cases, messages, anything signed in) always come from the network and are never stored here. */
"use strict";
const CONFIG = {{ config|safe }};
const CACHE = "shell-{{ version }}";

// Only what the server lets anyone keep: a plain same-origin answer, no private or no-store page.
function storable(response) {
  const control = (response.headers.get("Cache-Control") || "").toLowerCase();
  return response.ok && response.type === "basic" && !/no-store|private/.test(control);
}

async function keep(cache, url) {
  // Without cookies: the offline page is the one an anonymous visitor gets, whoever installs.
  const response = await fetch(url, { credentials: "omit", cache: "no-cache" });
  if (!storable(response)) throw new Error("not storable: " + url);
  await cache.put(url, response);
}

// The offline page of a language is fetched when a page in that language is first opened (not all
// eight at once: each is a page render, and most people read in one or two languages).
async function keepOfflinePage(language) {
  // No cache any more means someone emptied it (quick exit's Clear-Site-Data): never bring it back.
  if (!(await caches.has(CACHE))) return;
  const cache = await caches.open(CACHE);
  const url = CONFIG.offline[language];
  if (!(await cache.match(url))) await keep(cache, url);
}

async function precache() {
  const cache = await caches.open(CACHE);
  const pages = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const languages = new Set([CONFIG.default].concat(pages.map((page) => languageOf(page.url))));
  const urls = CONFIG.shell.concat(Array.from(languages, (language) => CONFIG.offline[language]));
  await Promise.all(urls.map((url) => keep(cache, url)));
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== CACHE) await caches.delete(name);
    }
    if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
    await self.clients.claim();
  })());
});

function languageOf(url) {
  const first = new URL(url).pathname.split("/")[1];
  return CONFIG.languages.includes(first) ? first : CONFIG.default;
}

async function offlinePage(url) {
  const cache = await caches.open(CACHE);
  const page = (await cache.match(CONFIG.offline[languageOf(url)])) || (await cache.match(CONFIG.offline[CONFIG.default]));
  return page || Response.error();
}

const SHELL = new Set(CONFIG.shell);

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Network only; the offline page when there is none. Nothing of the answer is kept.
    event.respondWith((async () => {
      try {
        const response = (await event.preloadResponse) || (await fetch(request));
        event.waitUntil(keepOfflinePage(languageOf(request.url)).catch(() => undefined));
        return response;
      } catch (error) {
        return offlinePage(request.url);
      }
    })());
  } else if (SHELL.has(url.pathname)) {
    // The network first (so a changed file shows at once); the kept copy only without a connection.
    event.respondWith(fetch(request).catch(async () => (await caches.match(url.pathname, { cacheName: CACHE })) || Response.error()));
  }
});

// A push carries no text: {"t":"new","l":"<language>"} at most. The words are ours, always the same.
self.addEventListener("push", (event) => {
  let language = CONFIG.default;
  try {
    const data = event.data ? event.data.json() : {};
    if (CONFIG.languages.includes(data.l)) language = data.l;
  } catch (error) { /* no or unreadable data: the generic notice in the default language */ }
  const notice = CONFIG.notice[language];
  event.waitUntil(self.registration.showNotification(notice.title, {
    body: notice.body, icon: CONFIG.icon, tag: "new-message", lang: language,
    dir: CONFIG.rtl.includes(language) ? "rtl" : "ltr", data: { url: notice.url },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(event.notification.data.url, self.location.origin).href;
  event.waitUntil((async () => {
    for (const client of await self.clients.matchAll({ type: "window" })) {
      if (client.url === target && "focus" in client) return client.focus();
    }
    return self.clients.openWindow(target);
  })());
});
