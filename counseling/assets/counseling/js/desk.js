/* The counselor's chat desk: a heartbeat keeps them online while the page is open (saying whether they
 * did anything since the last beat, so an idle desk goes offline), and the waiting list refreshes when
 * the server says it changed. */
(function () {
  "use strict";
  var desk = document.querySelector("[data-chat-desk]");
  if (!desk || !window.WebSocket) return;
  var lists = document.querySelector("[data-desk-lists]");
  var active = true, socket, beat;

  ["pointerdown", "keydown", "scroll", "focus"].forEach(function (name) {
    window.addEventListener(name, function () { active = true; }, { passive: true });
  });

  function refresh() {
    fetch(location.pathname + "?part=list", { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null) lists.innerHTML = html; });
  }

  function heartbeat() {
    if (desk.dataset.online !== "true" || !socket || socket.readyState !== WebSocket.OPEN) return;
    socket.send(JSON.stringify({ type: "heartbeat", active: active }));
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
