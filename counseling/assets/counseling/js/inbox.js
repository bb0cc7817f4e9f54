/* The live inbox. Progressive enhancement: without this file a reload shows the same rows and marks.
 *
 * The notification socket says only "case X changed for you" (counseling/inbox.py); the row is then
 * fetched over HTTP with this page's box and filters, where the server decides whether this person sees
 * it: a row comes back (replace it, or add it on top), or a 404 (remove it). After a dropped
 * connection every row is fetched again, since events sent meanwhile are lost. */
(function () {
  "use strict";
  var inbox = document.querySelector("[data-inbox]");
  if (!inbox || !window.WebSocket || !window.fetch) return;
  var rows = inbox.querySelector("[data-inbox-rows]");
  var announcer = document.querySelector("[data-inbox-announce]");
  var PLACEHOLDER = "00000000-0000-0000-0000-000000000000";
  var CASE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  var baseTitle = document.title;
  var everConnected = false;

  function get(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } }).then(function (response) {
      if (response.status === 404) return "";  // not (or no longer) in this box for me
      return response.ok ? response.text() : null;
    });
  }

  function showUnreadInTitle() {
    var unread = rows.querySelectorAll("tr.unread").length;
    document.title = (unread ? "(" + unread + ") " : "") + baseTitle;
    document.dispatchEvent(new CustomEvent("inbox:changed"));
  }

  function announce(row) {
    if (!announcer || !row.classList.contains("unread")) return;
    var name = row.querySelector("th a, th");
    announcer.textContent = announcer.dataset.text + " " + (name ? name.textContent.trim() : "");
  }

  function placeRow(id, html) {
    var current = document.getElementById("case-" + id);
    var holder = document.createElement("tbody");
    holder.innerHTML = html.trim();
    var row = holder.querySelector("tr[data-case]");
    if (!row) {
      if (current) current.remove();
    } else if (current) {
      if (current.classList.contains("current")) row.classList.add("current");
      current.replaceWith(row);
    } else {
      var empty = rows.querySelector("[data-inbox-empty]");
      if (empty) empty.remove();
      rows.insertBefore(row, rows.firstChild);
    }
    if (row) announce(row);
    showUnreadInTitle();
  }

  function refreshRow(id) {
    if (!CASE_ID.test(id)) return;
    get(inbox.dataset.rowUrl.replace(PLACEHOLDER, id) + window.location.search).then(function (html) {
      if (html !== null) placeRow(id, html);
    });
  }

  function refreshApprovals() {
    var link = document.querySelector("[data-inbox-approvals]");
    if (!link || !inbox.dataset.approvalsUrl) return;
    get(inbox.dataset.approvalsUrl).then(function (html) {
      if (!html) return;
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      if (holder.firstElementChild) link.replaceWith(holder.firstElementChild);
    });
  }

  function refreshAll() {
    get(window.location.href).then(function (html) {
      if (!html) return;
      var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-inbox-rows]");
      if (!fresh) return;
      var current = rows.querySelector("tr.current");
      rows.innerHTML = fresh.innerHTML;
      if (current) {
        var again = document.getElementById(current.id);
        if (again) again.classList.add("current");
      }
      showUnreadInTitle();
    });
    refreshApprovals();
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/notifications/");
    socket.onopen = function () {
      inbox.dataset.live = "true";
      if (everConnected) refreshAll();
      everConnected = true;
    };
    socket.onmessage = function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message.kind === "inbox" || message.kind === "case") refreshRow(String(message.case));
      if (message.change === "approval") refreshApprovals();
    };
    // 4xxx: access ended (signed out, session over); the page itself then says why.
    socket.onclose = function (event) {
      inbox.dataset.live = "false";
      if (event.code >= 4000) window.location.reload();
      else setTimeout(connect, 3000);
    };
  }

  showUnreadInTitle();
  connect();
})();
