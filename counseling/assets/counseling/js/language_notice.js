// The ask page: show the "no counselor speaks this language right now" notice of the chosen language.
// Without JavaScript the page shows the notice of the language it was rendered with.
(function () {
  var box = document.querySelector("[data-language-notices]");
  var select = document.querySelector("select[name=language]");
  if (!box || !select) return;
  select.addEventListener("change", function () {
    box.querySelectorAll("[data-language]").forEach(function (notice) {
      notice.hidden = notice.getAttribute("data-language") !== select.value;
    });
  });
})();
