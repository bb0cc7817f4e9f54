/* Voice messages (counseling/voice.py): record in the browser, listen, discard or send.
 *
 * Progressive enhancement: the page has a plain file input for an audio file ([data-voice-input]).
 * Where the browser can record, the recorder sits beside it and puts the recording into that input:
 * in a reply form it is sent with the form like a chosen file; in the live chat it is posted to the
 * chat's voice address and comes back as a chat line over the socket (live.js shows it with
 * window.jmdVoicePlayer). The recording stays in this page's memory until it is sent or discarded.
 */
(function () {
  "use strict";

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s|%s/g, function (all, name) { return name ? values[name] : values.s; });
  }
  function clock(seconds) {
    seconds = Math.max(0, Math.round(seconds));
    return Math.floor(seconds / 60) + ":" + ("0" + (seconds % 60)).slice(-2);
  }
  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }
  function button(text, primary) {
    var el = element("button", primary ? "button primary" : "button", text);
    el.type = "button";
    return el;
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 15) | 64; bytes[8] = (bytes[8] & 63) | 128;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }
  function recordingType() {
    if (!window.MediaRecorder || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return null;
    if (!window.DataTransfer || !window.File) return null;
    var types = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4", "audio/webm"];
    for (var i = 0; i < types.length; i++) if (MediaRecorder.isTypeSupported(types[i])) return types[i];
    return null;
  }

  // A player for a voice line that arrives in the live chat (the page renders the earlier ones).
  var playerStrings = null;
  window.jmdVoicePlayer = function (line, mine) {
    var text = playerStrings || {};
    var figure = element("figure", "voice-message");
    var caption = element("figcaption");
    caption.id = "voice-" + line.seq;
    var when = new Date(line.sent_at).toLocaleString(document.documentElement.lang || undefined,
      { dateStyle: "medium", timeStyle: "short" });
    var label = element("span", "", mine ? fill(text.mine || "%(when)s", { when: when })
      : fill(text.from || "%(name)s, %(when)s", { name: line.author, when: when }));
    label.dir = "auto";
    caption.appendChild(label);
    if (line.voice.length) {
      caption.appendChild(document.createTextNode(" · "));
      caption.appendChild(element("span", "voice-length", fill(text.length || "%(length)s", { length: line.voice.length })));
    }
    var audio = element("audio");
    audio.controls = true;
    audio.preload = "none";
    audio.src = line.voice.url;
    audio.setAttribute("aria-labelledby", caption.id);
    figure.appendChild(caption);
    figure.appendChild(audio);
    return figure;
  };

  function setUp(input) {
    var text = JSON.parse(input.dataset.voiceStrings);
    playerStrings = text;
    var maxSeconds = Number(input.dataset.voiceMaxSeconds || 180);
    var form = input.form;
    var chatForm = form && form.hasAttribute("data-voice-chat") ? form : null;
    var duration = form && form.querySelector("[name=voice_duration]");
    var type = recordingType();

    var box = element("div", "voice-recorder");
    var status = element("p", "voice-status");
    status.setAttribute("role", "status");
    var countdown = element("p", "voice-countdown");
    countdown.setAttribute("role", "timer");
    countdown.hidden = true;
    var error = element("p", "error");
    error.setAttribute("role", "alert");
    error.hidden = true;
    var record = button(text.record), stop = button(text.stop, true), discard = button(text.discard);
    var send = button(text.send, true);
    var preview = element("audio");
    preview.controls = true;
    preview.setAttribute("aria-label", text.preview);
    stop.hidden = discard.hidden = send.hidden = preview.hidden = true;
    [record, stop, countdown, preview, discard, send, status, error].forEach(function (el) {
      if (el !== send || chatForm) box.appendChild(el);
    });
    input.parentNode.insertBefore(box, input);

    function fail(message) { error.textContent = message; error.hidden = false; }

    if (!type) {
      // Cannot record here: say so; a reply form still takes a chosen audio file.
      record.hidden = true;
      status.textContent = text.unsupported;
      return;
    }
    if (chatForm) {
      // Shown while the chat's composer is (live.js opens and closes it with the chat's state).
      var composer = document.querySelector("[data-live-compose]");
      var follow = function () { chatForm.hidden = !composer || composer.hidden; };
      follow();
      if (composer) new MutationObserver(follow).observe(composer, { attributes: true, attributeFilter: ["hidden"] });
    }

    var recorder = null, stream = null, chunks = [], started = 0, timer = 0, recording = null, autoStopped = false;

    function tick() {
      var left = maxSeconds - (Date.now() - started) / 1000;
      countdown.textContent = fill(text.left, { s: clock(left) });
      if (left <= 60.5 && left > 59.5 && !tick.minute) { tick.minute = true; status.textContent = text.one_minute; }
      if (left <= 10.5 && left > 9.5 && !tick.ten) { tick.ten = true; status.textContent = text.ten_seconds; }
      if (left <= 0) { autoStopped = true; finishRecording(); }
    }

    function startRecording() {
      error.hidden = true;
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (media) {
        stream = media;
        chunks = [];
        autoStopped = tick.minute = tick.ten = false;
        recorder = new MediaRecorder(stream, { mimeType: type });
        recorder.ondataavailable = function (event) { if (event.data && event.data.size) chunks.push(event.data); };
        recorder.onstop = recorded;
        recorder.start();
        started = Date.now();
        tick();
        timer = setInterval(tick, 250);
        countdown.hidden = stop.hidden = false;
        record.hidden = discard.hidden = send.hidden = preview.hidden = true;
        status.textContent = "";
        stop.focus();
      }).catch(function (reason) {
        var name = reason && reason.name;
        fail(name === "NotAllowedError" || name === "SecurityError" ? text.denied : text.no_microphone);
      });
    }

    function finishRecording() {
      clearInterval(timer);
      if (recorder && recorder.state !== "inactive") recorder.stop();
      if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    }

    function recorded() {
      var elapsed = Math.min(Date.now() - started, maxSeconds * 1000);
      var baseType = type.split(";")[0];
      var extension = baseType === "audio/ogg" ? "ogg" : baseType === "audio/mp4" ? "m4a" : "webm";
      var blob = new Blob(chunks, { type: baseType });
      recording = new File([blob], "voice-message." + extension, { type: baseType });
      var files = new DataTransfer();
      files.items.add(recording);
      input.files = files.files;
      if (duration) duration.value = String(elapsed);
      if (preview.src) URL.revokeObjectURL(preview.src);
      preview.src = URL.createObjectURL(blob);
      countdown.hidden = stop.hidden = true;
      preview.hidden = discard.hidden = record.hidden = false;
      send.hidden = !chatForm;
      record.textContent = text.again;
      status.textContent = autoStopped ? text.auto_stopped : fill(text.recorded, { s: clock(elapsed / 1000) });
      (chatForm ? send : preview).focus();
    }

    function clear(message) {
      input.value = "";
      if (duration) duration.value = "";
      if (preview.src) URL.revokeObjectURL(preview.src);
      preview.removeAttribute("src");
      recording = null;
      preview.hidden = discard.hidden = send.hidden = true;
      record.textContent = text.record;
      status.textContent = message || "";
      record.focus();
    }

    function sendToChat() {
      if (!recording) return;
      error.hidden = true;
      send.disabled = true;
      status.textContent = text.sending;
      var clientId = chatForm.querySelector("[name=client_id]");
      if (!clientId.value) clientId.value = newId(); // one id per recording: a retry is stored once
      var token = chatForm.querySelector("[name=csrfmiddlewaretoken]").value;
      fetch(chatForm.action, {
        method: "POST",
        body: new FormData(chatForm),
        headers: { "Accept": "application/json", "X-CSRFToken": token },
        credentials: "same-origin",
      }).then(function (response) {
        return response.json().then(function (answer) { return { ok: response.ok, answer: answer }; });
      }).then(function (result) {
        send.disabled = false;
        if (!result.ok) { status.textContent = ""; fail(result.answer.error || text.failed); return; }
        clientId.value = "";
        clear(text.sent);
      }).catch(function () {
        send.disabled = false;
        status.textContent = "";
        fail(text.failed);
      });
    }

    record.addEventListener("click", startRecording);
    stop.addEventListener("click", finishRecording);
    discard.addEventListener("click", function () { clear(text.discarded); });
    send.addEventListener("click", sendToChat);
    // Leaving the page (quick exit included) ends a recording that is still running.
    window.addEventListener("pagehide", finishRecording);
  }

  document.querySelectorAll("[data-voice-input]").forEach(setUp);
})();
