// The CV helper keeps drafts only in this browser (localStorage), never on the server; one button deletes them.
(function () {
  "use strict";
  var form = document.getElementById("cv-form");
  if (!form || !window.localStorage) return;
  var KEY = "jmd.cv-draft";
  var fields = form.querySelectorAll("input:not([type=hidden]), textarea");
  var clear = form.querySelector("[data-cv-clear]");
  var saved = {};
  try { saved = JSON.parse(localStorage.getItem(KEY) || "{}"); } catch (e) { saved = {}; }
  fields.forEach(function (field) {
    if (!field.value && saved[field.name]) field.value = saved[field.name];
    field.addEventListener("input", function () {
      var draft = {};
      fields.forEach(function (f) { if (f.value) draft[f.name] = f.value; });
      localStorage.setItem(KEY, JSON.stringify(draft));
    });
  });
  if (clear) {
    clear.hidden = false;
    clear.addEventListener("click", function () {
      localStorage.removeItem(KEY);
      fields.forEach(function (field) { field.value = ""; });
    });
  }
})();
