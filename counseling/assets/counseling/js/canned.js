// Canned responses in a staff reply. Progressive enhancement only: without this file the "Insert" button
// asks the server, which appends the text and sends the form back.
// - "/shortcut" followed by a space is replaced with the canned text;
// - "Insert" puts the chosen text where the cursor is, without reloading the page.
(function () {
  "use strict";
  var data = document.getElementById("canned-responses");
  var area = document.querySelector("textarea[data-canned]");
  if (!data || !area) return;
  var byShortcut = {};
  var byId = {};
  JSON.parse(data.textContent).forEach(function (item) {
    byShortcut[item.shortcut] = item.body;
    byId[String(item.pk)] = item.body;
  });
  var has = function (map, key) { return Object.prototype.hasOwnProperty.call(map, key); };

  function replaceRange(start, end, text) {
    area.value = area.value.slice(0, start) + text + area.value.slice(end);
    area.selectionStart = area.selectionEnd = start + text.length;
    area.focus();
  }

  area.addEventListener("input", function (event) {
    if (event.inputType && event.inputType.indexOf("insert") !== 0) return;
    var caret = area.selectionStart;
    if (caret !== area.selectionEnd) return;
    var match = /(^|\s)\/([\w-]+) $/.exec(area.value.slice(0, caret));
    if (!match || !has(byShortcut, match[2])) return;
    replaceRange(caret - match[2].length - 2, caret, byShortcut[match[2]]);
  });

  var select = area.form && area.form.elements.canned;
  var button = area.form && area.form.querySelector("button[name=insert]");
  if (select && button) {
    button.addEventListener("click", function (event) {
      if (!has(byId, select.value)) return; // nothing chosen: the server explains
      event.preventDefault();
      var start = area.selectionStart;
      var end = area.selectionEnd;
      var text = byId[select.value];
      if (start === 0 && end === 0 && area.value) {
        start = end = area.value.length; // cursor never placed: append, like the server does
        text = "\n\n" + text;
      }
      replaceRange(start, end, text);
      select.value = "";
    });
  }
  var hint = document.querySelector("[data-canned-hint]");
  if (hint) hint.hidden = false;
})();
