// After a failed submit, the error summary at the top of the form takes the focus, so a screen reader
// reads it and a keyboard user starts there (WCAG 3.3.1). Each link in it focuses its field. Without
// JavaScript the summary is still the first thing in the form.
(function () {
  "use strict";
  if (window.jmdErrorSummary) return; // one script tag per summary; once is enough
  window.jmdErrorSummary = true;
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#']");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    // Show the question with the field: its legend (a group) or its label sits above it.
    var group = field.closest("fieldset");
    var label = document.querySelector("label[for='" + field.id + "']");
    (group ? group.querySelector("legend") || field : label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
