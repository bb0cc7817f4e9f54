/* The staff idle timeout's warning (WCAG 2.2.1; hub/staff_session.py). Shortly before the session ends
 * a dialog offers to stay signed in; when it has ended, the page goes to a page the server answers with
 * the login (coming back here afterwards), so no case stays on an unattended screen. Another tab may
 * have kept the session going meanwhile: before warning and before leaving, the server is asked how much
 * time is left (a background request, which does not count as activity itself). */
(function () {
  "use strict";
  var dialog = document.querySelector("[data-session-timeout]");
  if (!dialog || !window.fetch || typeof dialog.showModal !== "function") return;
  var form = dialog.querySelector("form");
  var countdown = dialog.querySelector("[data-session-countdown]");
  var warnBefore = Number(dialog.dataset.warnBefore) * 1000;
  var endsAt = Date.now() + Number(dialog.dataset.secondsLeft) * 1000;
  var timer = 0, ticker = 0;

  function leave() { window.location.assign(dialog.dataset.returnTo); }

  function ask(options) {
    options = options || {};
    options.credentials = "same-origin";
    options.cache = "no-store";
    options.headers = { "X-Hub-Background": "1", "Accept": "application/json" };
    return fetch(form.action, options).then(function (response) {
      if (response.redirected || !response.ok) return null;  // signed out (401) or sent to the login
      return response.json();
    });
  }

  function showCountdown() {
    var left = Math.max(Math.round((endsAt - Date.now()) / 1000), 0);
    countdown.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
  }

  function plan() {
    clearTimeout(timer);
    var untilWarning = endsAt - warnBefore - Date.now();
    if (untilWarning > 0) {
      if (dialog.open) { dialog.close(); clearInterval(ticker); }
      timer = setTimeout(check, untilWarning);
    } else {
      if (!dialog.open) {
        showCountdown();
        dialog.showModal();
        ticker = setInterval(showCountdown, 1000);
      }
      timer = setTimeout(check, Math.max(endsAt - Date.now(), 0) + 1000);
    }
  }

  function check() {
    ask().then(function (state) {
      if (!state || state.seconds_left <= 0) { leave(); return; }
      endsAt = Date.now() + state.seconds_left * 1000;
      plan();
    }).catch(function () {
      // Offline: the server ends the session all the same; try again shortly.
      timer = setTimeout(check, 5000);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    ask({ method: "POST", body: new FormData(form) }).then(function (state) {
      if (!state) { leave(); return; }
      endsAt = Date.now() + state.seconds_left * 1000;
      plan();
    }).catch(function () { form.submit(); });
  });
  // Closed with Escape: that is not "stay signed in"; the warning stays until the time is up.
  dialog.addEventListener("cancel", function (event) { event.preventDefault(); });
  plan();
})();
