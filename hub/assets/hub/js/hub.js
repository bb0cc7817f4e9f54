// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Quick exit: leave no trace. Forget every draft this site keeps in the browser, end the session on
  // the server (a beacon survives the page going away), and replace this history entry with the neutral
  // page, so Back does not return here. Pressing Escape twice in a row does the same; an Escape that
  // closes an open menu does not count.
  function forgetDrafts() {
    document.documentElement.dataset.draftsForgotten = "true";  // and none is saved while leaving
    [window.sessionStorage, window.localStorage].forEach(function (store) {
      try { store.clear(); } catch (e) { /* storage disabled: nothing kept */ }
    });
    document.querySelectorAll("form").forEach(function (form) { form.reset(); });
  }
  function quickExit(link) {
    document.body.style.display = "none";
    forgetDrafts();
    var ended = false;
    try { ended = navigator.sendBeacon(link.dataset.quickExitEnd, ""); } catch (e) { ended = false; }
    // Without a beacon the link itself ends the session (a GET that signs out and redirects).
    window.location.replace(ended ? link.dataset.quickExitTo : link.href);
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-quick-exit]");
    if (!link) return;
    event.preventDefault();
    quickExit(link);
  });
  function closeOpenMenu() {
    // Menus only (the language menu in the header); an open answer in an article stays open.
    var menu = document.querySelector(".site-header details[open], nav details[open]");
    if (!menu) return false;
    menu.open = false;
    var summary = menu.querySelector("summary");
    if (summary) summary.focus();
    return true;
  }
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    if (closeOpenMenu()) { lastEscape = 0; return; }
    var link = document.querySelector("a[data-quick-exit]");
    var now = Date.now();
    if (link && now - lastEscape < 800) { quickExit(link); return; }
    lastEscape = now;
  });
  // A signed-in page restored from the back/forward cache would show what the session held; ask the
  // server again instead (signed-in pages are also sent with Cache-Control: no-store).
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.querySelector("form[action*='/accounts/logout/']")) window.location.reload();
  });
})();

// Times are rendered in German time with a label; where the browser is in another time zone, show the
// visitor's own time as well (e.g. a young person still in Almaty or Casablanca).
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone || zone === "Europe/Berlin") return;
  var lang = document.documentElement.lang || undefined;
  // As hub/dates.py writes dates on the server: British English, Arabic with Latin digits.
  lang = { en: "en-GB", ar: "ar-u-nu-latn" }[lang] || lang;
  var format = new Intl.DateTimeFormat(lang, { weekday: "long", hour: "2-digit", minute: "2-digit", timeZone: zone });
  document.querySelectorAll("time[data-local-time]").forEach(function (node) {
    var moment = new Date(node.getAttribute("datetime"));
    if (isNaN(moment)) return;
    node.textContent = " · " + format.format(moment) + " (" + (node.dataset.yourTime || zone) + ")";
    node.hidden = false;
  });
})();

// Site finder: "use my location" only on request; the position is sent with the search and not stored.
(function () {
  "use strict";
  var button = document.querySelector("[data-use-location]");
  if (!button || !navigator.geolocation) return;
  button.hidden = false;
  var note = document.querySelector("[data-location-note]");
  if (note) note.hidden = false;
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (position) {
      var form = button.form;
      form.elements.lat.value = position.coords.latitude.toFixed(4);
      form.elements.lon.value = position.coords.longitude.toFixed(4);
      form.submit();
    });
  });
})();

// Message drafts (hub/drafts.py names them): a text being typed survives a dropped connection, a reload
// and a session that ended (staff idle timeout) until the server confirms the message was stored
// (`data-draft-sent` on the page after). Young people's drafts stay in this tab (sessionStorage, gone when
// the tab closes – shared phones); staff drafts in localStorage (a closed tab or a crash at the desk
// loses nothing), for DRAFT_DAYS at most. Names carry the user's id, so a draft is offered only to the
// person who wrote it; signing out and the quick exit forget them all.
(function () {
  "use strict";
  var DRAFT_DAYS = 3;
  var stores = {};
  try { stores.session = window.sessionStorage; stores.local = window.localStorage; } catch (e) { return; }
  function forgetAll() {
    document.documentElement.dataset.draftsForgotten = "true";
    [stores.session, stores.local].forEach(function (store) {
      Object.keys(store).forEach(function (key) { if (key.indexOf("draft:") === 0) store.removeItem(key); });
    });
  }
  function read(store, key) {
    var raw = store.getItem(key);
    if (raw === null) return "";
    try {
      var draft = JSON.parse(raw);
      if (draft && typeof draft.text === "string") {
        if (Date.now() - draft.at > DRAFT_DAYS * 864e5) { store.removeItem(key); return ""; }
        return draft.text;
      }
    } catch (e) { /* a draft from before drafts carried their time */ }
    return raw;
  }
  // Old drafts go even if their page is never opened again (case content stays no longer than needed).
  Object.keys(stores.local).forEach(function (key) { if (key.indexOf("draft:") === 0) read(stores.local, key); });
  document.querySelectorAll("[data-draft-sent]").forEach(function (node) {
    node.dataset.draftSent.split(" ").forEach(function (name) {
      stores.session.removeItem("draft:" + name);
      stores.local.removeItem("draft:" + name);
    });
    // A reload of this page must not forget a new draft: drop the "sent" mark from the address.
    var url = new URL(window.location.href);
    if (url.searchParams.has("sent")) {
      url.searchParams.delete("sent");
      window.history.replaceState(window.history.state, "", url.toString());
    }
  });
  document.querySelectorAll("textarea[data-draft]").forEach(function (area) {
    var key = "draft:" + area.dataset.draft;
    var store = area.dataset.draftStore === "local" ? stores.local : stores.session;
    var kept = read(store, key);
    if (!area.value && kept) area.value = kept;
    function save() {
      if (document.documentElement.dataset.draftsForgotten) return;
      if (area.value) store.setItem(key, JSON.stringify({ text: area.value, at: Date.now() }));
      else store.removeItem(key);
    }
    area.addEventListener("input", save);
    // Text a script put in (a canned response) fires no input event: keep it when leaving the field or page.
    area.addEventListener("focusout", save);
    window.addEventListener("pagehide", save);
  });
  document.addEventListener("submit", function (event) {
    if (event.target.matches && event.target.matches("form[action*='/accounts/logout/']")) forgetAll();
  });
})();
