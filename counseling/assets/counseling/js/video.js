/* 1:1 video call: peer-to-peer WebRTC, signalled over the case's websocket (counseling/consumers.py
 * passes {"type": "signal"} messages to the other side unchanged). The counselor is the caller: when
 * both are there ("ready"), the caller sends the offer. STUN/TURN servers come from the settings; by
 * default there are none, so nothing leaves the two browsers and this server. */
(function () {
  "use strict";
  var root = document.querySelector("[data-video]");
  if (!root || !window.RTCPeerConnection) return;
  var text = JSON.parse(document.getElementById("video-strings").textContent);
  var iceServers = JSON.parse(document.getElementById("ice-servers").textContent);
  var caller = root.dataset.caller === "true";
  var statusLine = root.querySelector("[data-video-status]");
  var localVideo = root.querySelector("[data-local]");
  var remoteVideo = root.querySelector("[data-remote]");
  var socket, peer, stream, queued = [], ended = false;

  function say(message) { statusLine.textContent = message; }
  function state(value) { root.dataset.state = value; }
  function signal(data) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "signal", data: data }));
  }

  function newPeer() {
    if (peer) peer.close();
    peer = new RTCPeerConnection({ iceServers: iceServers });
    queued = [];
    if (stream) stream.getTracks().forEach(function (track) { peer.addTrack(track, stream); });
    peer.onicecandidate = function (event) { if (event.candidate) signal({ kind: "candidate", candidate: event.candidate.toJSON() }); };
    peer.ontrack = function (event) { remoteVideo.srcObject = event.streams[0]; };
    peer.onconnectionstatechange = function () {
      state(peer.connectionState);
      if (peer.connectionState === "connected") say(text.connected);
      if (peer.connectionState === "failed") say(text.lost);
    };
  }

  function call() {
    newPeer();
    say(text.connecting);
    peer.createOffer()
      .then(function (offer) { return peer.setLocalDescription(offer); })
      .then(function () { signal({ kind: "offer", sdp: peer.localDescription.toJSON() }); });
  }

  function flushCandidates() {
    queued.forEach(function (candidate) { peer.addIceCandidate(candidate); });
    queued = [];
  }

  function onSignal(data) {
    if (ended) return;
    if (data.kind === "ready") {
      if (caller) call(); else signal({ kind: "ready" });
    } else if (data.kind === "offer" && !caller) {
      newPeer();
      say(text.connecting);
      peer.setRemoteDescription(data.sdp)
        .then(flushCandidates)
        .then(function () { return peer.createAnswer(); })
        .then(function (answer) { return peer.setLocalDescription(answer); })
        .then(function () { signal({ kind: "answer", sdp: peer.localDescription.toJSON() }); });
    } else if (data.kind === "answer" && caller && peer) {
      peer.setRemoteDescription(data.sdp).then(flushCandidates);
    } else if (data.kind === "candidate" && peer) {
      if (peer.remoteDescription) peer.addIceCandidate(data.candidate); else queued.push(data.candidate);
    } else if (data.kind === "bye") {
      hangUp(false);
    }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + root.dataset.socket);
    socket.onopen = function () { say(text.waiting); signal({ kind: "ready" }); };
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.type === "signal") onSignal(message.data);
    };
    socket.onclose = function (event) {
      // 44xx: the server ended our access to the case (handed over, closed, signed out…): say why, stop.
      if (event.code >= 4400 && event.code < 4500) {
        hangUp(false);
        say(text.gone[event.reason] || text.gone.denied);
        return;
      }
      if (!ended && event.code < 4000) setTimeout(connect, 2000);
    };
  }

  function hangUp(tellOther) {
    if (ended) return;
    ended = true;
    if (tellOther) signal({ kind: "bye" });
    if (peer) peer.close();
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    state("ended");
    say(text.ended);
  }

  function toggle(kind, button) {
    if (!stream) return;
    stream.getTracks().forEach(function (track) {
      if (track.kind === kind) { track.enabled = !track.enabled; button.setAttribute("aria-pressed", String(!track.enabled)); }
    });
  }

  function mediaProblem(error) {
    if (error.name === "NotAllowedError" || error.name === "SecurityError") return text.denied;
    if (error.name === "NotFoundError" || error.name === "OverconstrainedError") return text.missing;
    if (error.name === "NotReadableError") return text.busy;
    return text.other;
  }

  root.querySelector("[data-hang-up]").addEventListener("click", function () { hangUp(true); });
  root.querySelector("[data-toggle-mic]").addEventListener("click", function (e) { toggle("audio", e.currentTarget); });
  root.querySelector("[data-toggle-camera]").addEventListener("click", function (e) { toggle("video", e.currentTarget); });

  navigator.mediaDevices.getUserMedia({ video: true, audio: true })
    .catch(function (error) {
      // Without a camera a call by voice alone is still worth having.
      if (error.name === "NotFoundError") return navigator.mediaDevices.getUserMedia({ audio: true });
      throw error;
    })
    .then(function (media) { stream = media; localVideo.srcObject = media; connect(); })
    .catch(function (error) { state("media-error"); say(mediaProblem(error)); });
})();
