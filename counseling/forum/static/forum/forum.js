// Live notice on forum pages: a new post in a followed thread, an approved post or an invitation.
// Progressive enhancement only: "My forum" lists the same without JavaScript.
(function () {
  "use strict";
  var script = document.querySelector("script[data-forum-live]");
  if (!script || !window.WebSocket) return;
  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  var shown = false;
  function show() {
    if (shown) return;
    shown = true;
    var box = document.createElement("p");
    box.className = "message message-info forum-live";
    box.setAttribute("role", "status");
    box.appendChild(document.createTextNode(script.dataset.text + " "));
    var link = document.createElement("a");
    link.href = script.dataset.href;
    link.textContent = script.dataset.link;
    box.appendChild(link);
    var main = document.getElementById("main");
    if (main) main.insertBefore(box, main.firstChild);
  }
  function connect(delay) {
    var socket = new WebSocket(scheme + window.location.host + "/ws/notifications/");
    socket.onmessage = function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (e) { return; }
      if (data && typeof data.kind === "string" && data.kind.indexOf("forum") === 0) show();
    };
    socket.onclose = function (event) {
      if (event.code >= 4400 && event.code < 4500) return; // signed out or access ended: no retry
      setTimeout(function () { connect(Math.min(delay * 2, 60000)); }, delay);
    };
  }
  connect(2000);
})();
