/* Live chat and chat rounds over the case's (or round's) websocket.
 *
 * Delivery (see counseling/chat.py): every line we send carries an id we chose; it stays in
 * sessionStorage until the server acknowledges it, and is sent again after a reconnect (the server
 * stores it once). The server numbers lines; we keep the highest number we have shown and, on connect
 * or whenever a number is skipped, ask for everything after it. So a line is shown once, in order,
 * whatever happens to the connection.
 */
(function () {
  "use strict";
  var root = document.querySelector("[data-live]");
  if (!root || !window.WebSocket) return;
  var text = JSON.parse(document.getElementById("live-strings").textContent);
  var meStaff = root.dataset.me === "staff";
  var list = root.querySelector("[data-live-lines]");
  var statusLine = root.querySelector("[data-live-status]");
  var typingLine = root.querySelector("[data-live-typing]");
  var peerLine = root.querySelector("[data-live-peer]");
  var form = root.querySelector("[data-live-compose]");
  var errorLine = root.querySelector("[data-live-error]");
  var textarea = form && form.querySelector("textarea");
  var lastSeq = Number(root.dataset.lastSeq || 0);
  var pendingKey = "live-pending:" + root.dataset.socket;
  var pending = JSON.parse(sessionStorage.getItem(pendingKey) || "[]");
  var socket = null, retry = 0, typingHide = 0, typingSent = 0;
  // A skipped number is nearly always the other side's line still on its way (two senders' lines cross):
  // a line that came early waits here, and the server is asked only if the gap is still open a moment
  // later (each "resume" is a read of the chat for the server; under load they added up).
  var early = {}, wantedSeq = 0, gapTimer = 0, GAP_WAIT_MS = 1000;
  // A page rendered after the end has nothing more to hear (and the server refuses a closed case).
  var finished = root.dataset.status === "ended" || root.dataset.status === "closed";

  function say(message) { statusLine.textContent = message; }
  function fill(template, value) { return template.replace("%s", value); }
  function savePending() { sessionStorage.setItem(pendingKey, JSON.stringify(pending)); }
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 15) | 64; bytes[8] = (bytes[8] & 63) | 128;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }
  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  function lineElement(line, mine) {
    var item = document.createElement("li");
    item.className = "message " + (mine ? "from-me" : "from-other");
    var meta = document.createElement("p");
    meta.className = "meta";
    var who = document.createElement("strong");
    who.textContent = mine ? text.you : line.author;
    who.dir = "auto"; // a name or a text in any script: isolated from the page (hub/bidi.py)
    meta.appendChild(who);
    var state = document.createElement("span");
    state.className = "line-state";
    meta.appendChild(state);
    var body = document.createElement("div");
    body.className = "body";
    body.dir = "auto";
    body.textContent = line.body;
    item.appendChild(meta);
    item.appendChild(body);
    if (line.voice && window.jmdVoicePlayer) item.appendChild(window.jmdVoicePlayer(line, mine)); // voice-recorder.js
    return item;
  }

  function awaitGap(seq) {
    wantedSeq = Math.max(wantedSeq, seq);
    if (gapTimer) return;
    gapTimer = setTimeout(function () {
      gapTimer = 0;
      if (lastSeq < wantedSeq) send({ type: "resume", after: lastSeq });
    }, GAP_WAIT_MS);
  }

  function show(line) {
    if (line.seq <= lastSeq) return;
    if (line.seq > lastSeq + 1) { early[line.seq] = line; awaitGap(line.seq); return; }
    var mine = line.mine;
    var item = list.querySelector("[data-client-id='" + line.client_id + "']");
    if (!item) { item = lineElement(line, mine); list.appendChild(item); }
    item.classList.remove("pending");
    item.dataset.seq = line.seq;
    item.dataset.clientId = line.client_id;
    item.querySelector(".line-state").textContent = "";
    lastSeq = line.seq;
    if (!mine) { typingLine.hidden = true; markRead(); }
    keepComposeClear();
    item.scrollIntoView({ block: "nearest" });
    var next = early[lastSeq + 1];
    delete early[lastSeq + 1];
    if (next) show(next);
  }

  function markRead() {
    if (!document.hidden && root.dataset.mode !== "round") send({ type: "read", seq: lastSeq });
  }

  function showRead(seq) {
    list.querySelectorAll(".from-me[data-seq]").forEach(function (item) {
      if (Number(item.dataset.seq) <= seq) item.querySelector(".line-state").textContent = " · " + text.read;
    });
  }

  function setState(status) {
    root.dataset.status = status;
    var active = status === "active" || status === "open";
    if (form) form.hidden = !active;
    if (status === "ended" || status === "closed") {
      finished = true;
      say(text.ended);
      root.querySelectorAll("[data-after-end]").forEach(function (el) { el.hidden = false; });
      root.querySelectorAll("[data-before-end]").forEach(function (el) { el.hidden = true; });
    } else if (status === "waiting") {
      say(text.waiting);
    } else if (status === "scheduled") {
      say(text.scheduled);
    } else if (active) {
      say(text.active);
    }
  }

  function receive(message) {
    switch (message.type) {
      case "hello":
        setState(message.status);
        if (message.position) say(fill(text.position, message.position));
        if (message.read) showRead(meStaff ? message.read.youth : message.read.staff);
        break;
      case "line": show(message); break;
      case "lines": message.lines.forEach(show); break;
      case "ack":
        pending = pending.filter(function (p) { return p.client_id !== message.client_id; });
        savePending();
        if (message.seq > lastSeq + 1) awaitGap(message.seq);
        break;
      case "refused": refused(message); break;
      case "position": say(fill(text.position, message.position)); break;
      case "accepted": setState("active"); say(fill(text.accepted, message.counselor)); break;
      case "opened": setState("open"); break;
      case "ended": case "closed":
        setState(message.type);
        if (message.reason === "abandoned") say(text.abandoned);
        if (peerLine) peerLine.hidden = true;
        break;
      case "peer": peer(message.present); break;
      case "converted": say(text.converted); break;
      case "read": if (message.by_staff !== meStaff) showRead(message.seq); break;
      case "removed": finished = true; say(text.removed); if (form) form.hidden = true; break;
      case "typing":
        if (message.by_staff === meStaff && root.dataset.mode !== "round") break;
        typingLine.hidden = false;
        clearTimeout(typingHide);
        typingHide = setTimeout(function () { typingLine.hidden = true; }, 4000);
        break;
    }
  }

  function refused(message) {
    var item = message.client_id && list.querySelector("[data-client-id='" + message.client_id + "']");
    var lost = pending.filter(function (p) { return p.client_id === message.client_id; })[0];
    pending = pending.filter(function (p) { return p.client_id !== message.client_id; });
    savePending();
    if (item) item.remove();
    // Nothing written is lost: the refused text goes back into the box.
    if (lost && textarea && !textarea.value) textarea.value = lost.body;
    errorLine.textContent = text.refused[message.reason] || text.refused.other;
    errorLine.hidden = false;
  }

  // The other side's connection dropped or came back (counseling/chat_presence.py). "Dropped" waits a
  // moment, so a page reload on the other side says nothing; "back" is only worth saying after it.
  var peerGoneTimer = 0;
  function peer(present) {
    if (!peerLine || finished) return;
    clearTimeout(peerGoneTimer);
    if (!present) {
      peerGoneTimer = setTimeout(function () {
        peerLine.textContent = text.peer_gone; peerLine.hidden = false; root.dataset.peer = "gone";
      }, 3000);
    } else if (root.dataset.peer === "gone") {
      peerLine.textContent = text.peer_back; root.dataset.peer = "back";
    }
  }

  // The newest line must not sit under the sticky compose box (a phone): lines scroll into view with a
  // margin as tall as the box (CSS: .live .message, scroll-margin-block-end).
  function keepComposeClear() {
    if (form) root.style.setProperty("--live-compose-block", (form.hidden ? 0 : form.offsetHeight) + "px");
  }
  if (form && window.ResizeObserver) new ResizeObserver(keepComposeClear).observe(form);

  function gone(reason) {
    // After "ended" the room closes as well: the end already said so.
    if (!(finished && reason === "closed")) say(text.gone[reason] || text.gone.denied);
    finished = true;
    root.dataset.gone = reason || "denied";
    if (form) form.hidden = true;
    typingLine.hidden = true;
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    // A page that says "dropped" tells the new socket, so that it hears "back" if the other side returned
    // while this page's own connection was away (counseling/consumers.py, accepted).
    var shownGone = root.dataset.peer === "gone" ? "?peer=gone" : "";
    socket = new WebSocket(scheme + location.host + root.dataset.socket + shownGone);
    socket.onopen = function () {
      retry = 0;
      root.dataset.connected = "true";
      send({ type: "resume", after: lastSeq });
      pending.forEach(function (p) { send({ type: "send", client_id: p.client_id, body: p.body }); });
    };
    socket.onmessage = function (event) { receive(JSON.parse(event.data)); };
    socket.onclose = function (event) {
      root.dataset.connected = "false";
      // A "dropped" not yet shown belongs to this socket: the next one says again if it still holds.
      clearTimeout(peerGoneTimer);
      // 44xx: the server ended our access (handed over, closed, deleted, signed out…): say why, stop.
      if (event.code >= 4400 && event.code < 4500) { gone(event.reason); return; }
      if (!finished) say(text.reconnecting);
      setTimeout(connect, Math.min(1000 * Math.pow(2, retry++), 15000));
    };
  }

  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = textarea.value.trim();
      errorLine.hidden = true;
      if (!body) { errorLine.textContent = text.refused.length; errorLine.hidden = false; return; }
      var line = { client_id: newId(), body: body };
      pending.push(line);
      savePending();
      var item = lineElement({ author: text.you, body: body }, true);
      item.classList.add("pending");
      item.dataset.clientId = line.client_id;
      item.querySelector(".line-state").textContent = " · " + text.sending;
      list.appendChild(item);
      item.scrollIntoView({ block: "nearest" });
      textarea.value = "";
      send({ type: "send", client_id: line.client_id, body: body });
    });
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
    });
    textarea.addEventListener("input", function () {
      var now = Date.now();
      if (now - typingSent > 2000) { typingSent = now; send({ type: "typing" }); }
    });
  }
  document.addEventListener("visibilitychange", markRead);
  root.querySelectorAll("[data-needs-js]").forEach(function (el) { el.hidden = false; });
  if (!finished) connect();
})();
