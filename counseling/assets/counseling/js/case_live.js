/* The young person's case page, live. The notification socket (/ws/notifications/) says only that
 * something happened to a case ({kind, case}); the page then fetches itself over HTTP, where access is
 * checked, and takes over what changed: new messages are appended (marked unread, counted in the title
 * as "(1) …" until the person is back on the page), the status card (absence notice) and the actions
 * (the video call's "Join") are replaced. After a reconnect it fetches once, as an event may have been
 * missed meanwhile (the channel layer delivers at most once). */
(function () {
  "use strict";
  var root = document.querySelector("[data-case-live-root]");
  if (!root || !window.WebSocket || !window.fetch || !window.DOMParser) return;
  var note = root.querySelector("[data-case-live-note]");
  var title = document.title, unread = 0, retry = 0, opened = false, busy = false, again = false;

  function showUnread() { document.title = unread ? "(" + unread + ") " + title : title; }

  function seen() {
    if (!unread || document.hidden) return;
    unread = 0;
    showUnread();
    document.querySelectorAll("[data-case-live=thread] .unread").forEach(function (item) {
      item.classList.remove("unread");
    });
  }

  // Compared without what this page's scripts filled in (the visitor's local time).
  function plain(element) {
    var copy = element.cloneNode(true);
    copy.querySelectorAll("[data-local-time]").forEach(function (node) { node.remove(); });
    return copy.innerHTML.replace(/\s+/g, " ");
  }

  function takeOver(fresh) {
    ["status", "actions"].forEach(function (name) {
      var here = document.querySelector("[data-case-live=" + name + "]");
      var there = fresh.querySelector("[data-case-live=" + name + "]");
      if (here && there && plain(here) !== plain(there)) here.innerHTML = there.innerHTML;
    });
    var thread = document.querySelector("[data-case-live=thread]");
    var answers = 0;
    fresh.querySelectorAll("[data-case-live=thread] > [data-message]").forEach(function (item) {
      if (thread.querySelector("[data-message='" + item.dataset.message + "']")) return;
      item.removeAttribute("id");
      if (item.classList.contains("from-staff")) { item.classList.add("unread"); answers += 1; }
      thread.appendChild(document.importNode(item, true));
    });
    return answers;
  }

  function refresh(kind) {
    if (busy) { again = true; return; }
    busy = true;
    fetch(window.location.pathname, {
      credentials: "same-origin", cache: "no-store", headers: { "X-Hub-Background": "1" },
    }).then(function (response) {
      return response.ok && !response.redirected ? response.text() : null;  // signed out: nothing to show
    }).then(function (html) {
      if (html === null) return;
      var answers = takeOver(new DOMParser().parseFromString(html, "text/html"));
      if (answers) {
        unread += answers;
        showUnread();
        note.textContent = root.dataset.textReply;
      } else if (kind === "video") {
        note.textContent = root.dataset.textVideo;
      }
    }).catch(function () { /* offline: the next event or reconnect fetches again */ }).then(function () {
      busy = false;
      if (again) { again = false; refresh(); }
    });
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/notifications/");
    socket.onopen = function () {
      retry = 0;
      if (opened) refresh();
      opened = true;
      root.dataset.connected = "true";
    };
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.case === root.dataset.case) refresh(message.kind);
    };
    socket.onclose = function (event) {
      root.dataset.connected = "false";
      if (event.code >= 4400 && event.code < 4500) return;  // signed out or no longer allowed: stop
      setTimeout(connect, Math.min(1000 * Math.pow(2, retry++), 15000));
    };
  }

  ["pointerdown", "keydown", "focus"].forEach(function (name) { window.addEventListener(name, seen); });
  document.addEventListener("visibilitychange", seen);
  connect();
})();
