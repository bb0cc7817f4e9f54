// "Tell me on this device when there is a new answer" on /me/ (hub/push_views.py). The browser subscribes
// with the server's VAPID key; the server keeps the subscription sealed. Switching off deletes it on the
// server and in the browser.
(function () {
  "use strict";
  var form = document.querySelector("[data-push-switch]");
  if (!form) return;
  var toggle = form.querySelector("[data-push-toggle]");
  var status = form.querySelector("[data-push-status]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  function say(key) { status.textContent = form.dataset[key]; }
  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    }).then(function (response) { if (!response.ok) throw new Error(String(response.status)); });
  }
  function applicationServerKey() {
    var text = form.dataset.publicKey.replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(text + "===".slice((text.length + 3) % 4));
    return Uint8Array.from(raw, function (c) { return c.charCodeAt(0); });
  }
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say("textUnsupported");
    return;
  }
  var ready = navigator.serviceWorker.ready;
  // No worker after 10 s (a private window or a browser setting that blocks workers): say so, instead of
  // leaving the "needs JavaScript" text beside a switch that never wakes.
  var answered = false;
  ready.then(function () { answered = true; });
  setTimeout(function () { if (!answered) say("textUnsupported"); }, 10000);
  function switchOn(registration) {
    return Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { say("textBlocked"); return false; }
      return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: applicationServerKey() })
        .then(function (subscription) { return post(form.dataset.subscribeUrl, subscription.toJSON()); })
        .then(function () { say("textOn"); return true; });
    });
  }
  function switchOff(registration) {
    return registration.pushManager.getSubscription().then(function (subscription) {
      if (!subscription) return null;
      // The server first: once it forgets the address, nothing more is sent, whatever the browser does.
      return post(form.dataset.unsubscribeUrl, { endpoint: subscription.endpoint })
        .then(function () { return subscription.unsubscribe(); });
    }).then(function () { say("textOff"); return false; });
  }
  toggle.addEventListener("change", function () {
    var wanted = toggle.checked;
    toggle.disabled = true;
    ready.then(function (registration) { return wanted ? switchOn(registration) : switchOff(registration); })
      .then(function (on) { toggle.checked = on; })
      .catch(function () { toggle.checked = !wanted; say("textFailed"); })
      .then(function () { toggle.disabled = false; });
  });
  ready.then(function (registration) { return registration.pushManager.getSubscription(); })
    .then(function (subscription) {
      var on = Boolean(subscription) && Notification.permission === "granted";
      toggle.checked = on;
      toggle.disabled = false;
      say(on ? "textOn" : "textOff");
      // Still wanted on this device: the server's 90 days without use start again.
      if (on) return post(form.dataset.subscribeUrl, subscription.toJSON());
    })
    .catch(function () { toggle.disabled = false; });
})();
