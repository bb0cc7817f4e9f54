/* Intervision meeting video call: a small group (3–8 people) as a mesh — one RTCPeerConnection per other
 * participant, signalled over ws/intervision/meetings/<id>/ (counseling/intervision/consumers.py). The
 * socket introduces the participants and passes each message to the one peer it names. The newcomer
 * makes the offers to everyone already there. STUN/TURN servers come from the settings; by default
 * there are none, so nothing leaves the browsers and this server. */
(function () {
  "use strict";
  var root = document.querySelector("[data-meeting-video]");
  if (!root) return;
  root.hidden = false;
  var text = JSON.parse(document.getElementById("video-strings").textContent);
  var iceServers = JSON.parse(document.getElementById("ice-servers").textContent);
  var statusLine = root.querySelector("[data-video-status]");
  var tiles = root.querySelector("[data-tiles]");
  var joinButton = root.querySelector("[data-join]");
  var micButton = root.querySelector("[data-toggle-mic]");
  var cameraButton = root.querySelector("[data-toggle-camera]");
  var leaveButton = root.querySelector("[data-leave]");
  var socket = null, stream = null, me = null, inCall = false;
  var peers = {};  // peer id → {connection, tile, queued}
  var names = {};  // peer id → name, from "joined"/"present" (the answering side names its tile by it)

  function say(message) { statusLine.textContent = message; }
  function state(value) { root.dataset.state = value; }
  function send(to, data) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "signal", to: to, data: data }));
  }
  function showControls(joined) {
    joinButton.hidden = joined;
    micButton.hidden = cameraButton.hidden = leaveButton.hidden = !joined;
  }

  function tile(id, name, local) {
    var figure = document.createElement("figure");
    figure.className = "meeting-tile";
    figure.dataset.peer = id;
    if (!local) figure.dataset.remote = "";
    var video = document.createElement("video");
    video.autoplay = true;
    video.playsInline = true;
    if (local) video.muted = true;
    var caption = document.createElement("figcaption");
    caption.textContent = name;  // text, never markup
    video.setAttribute("aria-label", name);
    figure.appendChild(video);
    figure.appendChild(caption);
    tiles.appendChild(figure);
    return figure;
  }

  function peerFor(id, name) {
    if (peers[id]) return peers[id];
    var connection = new RTCPeerConnection({ iceServers: iceServers });
    var entry = { connection: connection, tile: tile(id, name, false), queued: [] };
    peers[id] = entry;
    stream.getTracks().forEach(function (track) { connection.addTrack(track, stream); });
    connection.onicecandidate = function (event) {
      if (event.candidate) send(id, { kind: "candidate", candidate: event.candidate.toJSON() });
    };
    connection.ontrack = function (event) { entry.tile.querySelector("video").srcObject = event.streams[0]; };
    connection.onconnectionstatechange = function () {
      entry.tile.dataset.state = connection.connectionState;
      if (connection.connectionState === "connected") say(text.connected);
    };
    return entry;
  }

  function dropPeer(id) {
    var entry = peers[id];
    if (!entry) return;
    entry.connection.close();
    entry.tile.remove();
    delete peers[id];
    if (inCall && !Object.keys(peers).length) say(text.alone);
  }

  function flush(entry) {
    entry.queued.forEach(function (candidate) { entry.connection.addIceCandidate(candidate); });
    entry.queued = [];
  }

  function offerTo(id, name) {
    if (peers[id]) return;  // already connecting (both heard of each other when joining together)
    var entry = peerFor(id, name);
    entry.connection.createOffer()
      .then(function (offer) { return entry.connection.setLocalDescription(offer); })
      .then(function () { send(id, { kind: "offer", sdp: entry.connection.localDescription.toJSON() }); });
  }

  function onSignal(from, data) {
    if (data.kind === "offer") {
      var mine = peers[from];
      if (mine && mine.connection.signalingState === "have-local-offer") {
        // Both offered at once (two joined together): the larger id keeps its offer, the other answers.
        if (me > from) return;
        mine.connection.close();
        mine.tile.remove();
        delete peers[from];
      }
      var entry = peerFor(from, names[from] || "");
      entry.connection.setRemoteDescription(data.sdp)
        .then(function () { flush(entry); return entry.connection.createAnswer(); })
        .then(function (answer) { return entry.connection.setLocalDescription(answer); })
        .then(function () { send(from, { kind: "answer", sdp: entry.connection.localDescription.toJSON() }); });
    } else if (data.kind === "answer" && peers[from]) {
      peers[from].connection.setRemoteDescription(data.sdp).then(function () { flush(peers[from]); });
    } else if (data.kind === "candidate" && peers[from]) {
      var known = peers[from];
      if (known.connection.remoteDescription) known.connection.addIceCandidate(data.candidate);
      else known.queued.push(data.candidate);
    }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + root.dataset.socket);
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.type === "hello") { me = message.peer; say(text.alone); state("joined"); }
      else if (message.type === "joined") { names[message.peer] = message.name; }
      else if (message.type === "present") { names[message.peer] = message.name; offerTo(message.peer, message.name); }
      else if (message.type === "signal") { onSignal(message.from, message.data); }
      else if (message.type === "left") { dropPeer(message.peer); }
    };
    socket.onclose = function (event) {
      Object.keys(peers).forEach(dropPeer);
      if (!inCall) return;
      // 44xx: the server ended our access (removed from the group, signed out…): say why and stop.
      if (event.code >= 4400 && event.code < 4500) {
        leave(false);
        say(text.gone[event.reason] || text.gone.denied);
        return;
      }
      say(text.lost);
      setTimeout(function () { if (inCall) connect(); }, 2000);
    };
  }

  function join() {
    if (!window.RTCPeerConnection || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say(text.unsupported);
      return;
    }
    say(text.starting);
    joinButton.disabled = true;
    navigator.mediaDevices.getUserMedia({ video: true, audio: true })
      .catch(function (error) {
        // Without a camera, joining by voice alone is still worth having.
        if (error.name === "NotFoundError" || error.name === "OverconstrainedError") {
          return navigator.mediaDevices.getUserMedia({ audio: true });
        }
        throw error;
      })
      .then(function (media) {
        stream = media;
        inCall = true;
        tile("me", text.you, true).querySelector("video").srcObject = stream;
        showControls(true);
        connect();
      })
      .catch(function (error) {
        joinButton.disabled = false;
        say(mediaProblem(error));
        state("media-refused");
      });
  }

  function leave(tellServer) {
    inCall = false;
    if (tellServer && socket) socket.close(1000);
    Object.keys(peers).forEach(dropPeer);
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    tiles.textContent = "";
    showControls(false);
    joinButton.disabled = false;
    state("left");
    say(text.left);
  }

  function toggle(kind, button, offText, onText) {
    if (!stream) return;
    stream.getTracks().forEach(function (track) {
      if (track.kind !== kind) return;
      track.enabled = !track.enabled;
      button.setAttribute("aria-pressed", String(!track.enabled));
      button.textContent = track.enabled ? offText : onText;
    });
  }

  function mediaProblem(error) {
    if (error.name === "NotAllowedError" || error.name === "SecurityError") return text.denied;
    if (error.name === "NotFoundError" || error.name === "OverconstrainedError") return text.missing;
    if (error.name === "NotReadableError") return text.busy;
    return text.other;
  }

  joinButton.addEventListener("click", join);
  leaveButton.addEventListener("click", function () { leave(true); });
  micButton.addEventListener("click", function () { toggle("audio", micButton, text.mic_off, text.mic_on); });
  cameraButton.addEventListener("click", function () { toggle("video", cameraButton, text.camera_off, text.camera_on); });
})();
