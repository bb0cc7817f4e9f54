// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Quick exit: leave for a neutral page and replace this entry in the history, so "back" does not
  // return here. Pressing Escape twice in a row does the same.
  function quickExit(url) {
    document.body.style.display = "none";
    window.location.replace(url);
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-quick-exit]");
    if (!link) return;
    event.preventDefault();
    quickExit(link.href);
  });
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var link = document.querySelector("a[data-quick-exit]");
    var now = Date.now();
    if (link && now - lastEscape < 800) quickExit(link.href);
    lastEscape = now;
  });
})();
