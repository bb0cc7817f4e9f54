/* The counselor's chat desk: a heartbeat keeps them online while the page is open (saying whether they
 * did anything since the last beat, so an idle desk goes offline; sent at once on every reconnect, so
 * presence lost in a Redis restart comes back by itself), and the waiting list refreshes when
 * the server says it changed; its count is announced to screen readers. */
(function () {
  "use strict";
  var desk = document.querySelector("[data-chat-desk]");
  if (!desk || !window.WebSocket) return;
  var lists = document.querySelector("[data-desk-lists]");
  var active = true, socket, beat;

  ["pointerdown", "keydown", "scroll", "focus"].forEach(function (name) {
    window.addEventListener(name, function () { active = true; }, { passive: true });
  });

  // The waiting count is said aloud (a polite live region outside the replaced lists) when it changes.
  var announce = document.querySelector("[data-desk-announce]");
  function waitingText() {
    var section = lists.querySelector("[data-waiting-text]");
    return section ? section.dataset.waitingText : "";
  }
  var announced = waitingText();

  function refresh() {
    // A background request: it does not keep an unattended session signed in (hub/staff_session.py).
    fetch(location.pathname + "?part=list", { credentials: "same-origin", headers: { "X-Hub-Background": "1" } })
      .then(function (response) {
        if (response.status === 401 || response.redirected) { location.reload(); return null; }  // signed out
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html === null) return;
        lists.innerHTML = html;
        if (waitingText() !== announced) { announced = waitingText(); announce.textContent = announced; }
      });
  }

  function heartbeat() {
    if (desk.dataset.online !== "true" || !socket || socket.readyState !== WebSocket.OPEN) return;
    // "online": this page shows the counselor online, so an entry Redis lost (a restart) comes back.
    socket.send(JSON.stringify({ type: "heartbeat", active: active, online: true }));
    active = false;
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/ws/chat-desk/");
    socket.onopen = function () { heartbeat(); refresh(); };
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.type === "queue") refresh();
      // Gone offline (idle, or from another tab): show the switch as it now is.
      if (message.type === "presence" && !message.online && desk.dataset.online === "true") location.reload();
    };
    // Access ended (signed out, no longer a counselor): the page itself then says why (login, 403).
    socket.onclose = function (event) { if (event.code < 4000) setTimeout(connect, 3000); else location.reload(); };
  }

  connect();
  beat = setInterval(heartbeat, 15000);
})();
