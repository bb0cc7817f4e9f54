// The installable app: registers the service worker (templates/hub/sw.js), which keeps only the static
// shell and an offline page. Pages work the same without it.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register(script.dataset.serviceWorker, { scope: "/" }).catch(function () {
    /* not allowed here (private mode, http on another host): the site simply stays a site */
  });
})();
