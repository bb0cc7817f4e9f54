/* Keyboard shortcuts of the staff inbox and case page (listed in counseling/staff/includes/shortcuts.html).
 *
 * Single keys, so they never fire while the focus is in a field or with a modifier held, and they can be
 * switched off in the list ("?" or the button): WCAG 2.1.4. The choice is kept in this browser
 * (localStorage) – a staff setting, not personal data.
 *   j / k  next / previous case: in the inbox the row below / above; on a case page the next / previous
 *          case of the inbox last opened in this tab (its order is kept in sessionStorage)
 *   r      reply: the reply box of the case (from the inbox: opens the chosen case at its reply box)
 *   t      take the chosen case from the queue (inbox, queue box)
 *   /      search: the inbox filter, or the knowledge search of the reply
 *   ?      this list */
(function () {
  "use strict";
  var dialog = document.querySelector("[data-shortcuts]");
  if (!dialog || typeof dialog.showModal !== "function") return;
  var SETTING = "staff-shortcuts", ORDER = "inbox-order";
  var local = null, session = null, switchedOff = false;
  try { local = window.localStorage; session = window.sessionStorage; } catch (e) { /* storage disabled */ }

  function enabled() {
    if (local) return local.getItem(SETTING) !== "off";
    return !switchedOff;
  }
  var toggle = dialog.querySelector("[data-shortcuts-enabled]");
  toggle.checked = enabled();
  toggle.addEventListener("change", function () {
    switchedOff = !toggle.checked;
    if (!local) return;
    if (toggle.checked) local.removeItem(SETTING); else local.setItem(SETTING, "off");
  });
  var opener = document.querySelector("[data-shortcuts-open]");
  if (opener) {
    opener.hidden = false;
    opener.addEventListener("click", function () { dialog.showModal(); });
  }

  // --- the inbox: a chosen row ------------------------------------------------------------------------
  var rows = document.querySelector("[data-inbox-rows]");

  function rowList() { return rows ? Array.prototype.slice.call(rows.querySelectorAll("tr[data-case]")) : []; }

  function rememberOrder() {
    if (!session || !rows) return;
    var urls = rowList().map(function (row) { return row.dataset.caseUrl; }).filter(Boolean);
    session.setItem(ORDER, JSON.stringify(urls));
  }

  function chosenRow() {
    var focused = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest("tr[data-case]") : null;
    return focused || (rows && rows.querySelector("tr.current"));
  }

  function choose(row) {
    rowList().forEach(function (other) { other.classList.remove("current"); });
    row.classList.add("current");
    var link = row.querySelector("th a");
    if (link) {
      link.focus();
    } else {
      row.tabIndex = -1;
      row.focus();
    }
    row.scrollIntoView({ block: "nearest" });
  }

  function moveInInbox(step) {
    var list = rowList();
    if (!list.length) return;
    var index = list.indexOf(chosenRow());
    index = index < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(Math.max(index + step, 0), list.length - 1);
    choose(list[index]);
  }

  // --- a case page: the next case of the inbox ---------------------------------------------------------
  var casePage = document.querySelector("[data-case-page]");

  function moveFromCase(step) {
    var order = [];
    try { order = JSON.parse((session && session.getItem(ORDER)) || "[]"); } catch (e) { order = []; }
    var index = order.indexOf(casePage.dataset.casePage);
    var next = index < 0 ? null : order[index + step];
    if (next) window.location.assign(next);
  }

  function reply() {
    if (casePage) {
      var area = document.querySelector("#reply textarea[name=body]");
      if (area) { area.scrollIntoView({ block: "center" }); area.focus(); }
      return;
    }
    var row = chosenRow();
    if (row && row.dataset.caseUrl) window.location.assign(row.dataset.caseUrl + "#reply");
  }

  function take() {
    var row = chosenRow();
    var form = row && row.querySelector("form[data-take]");
    if (form) form.requestSubmit();
  }

  function search() {
    var filter = document.querySelector("details[data-search]");
    if (filter) {
      filter.open = true;
      var first = filter.querySelector("select, input:not([type=hidden])");
      if (first) first.focus();
      return;
    }
    var knowledge = document.querySelector("input[name=kb_query]");
    if (knowledge) {
      var tools = knowledge.closest("details");
      if (tools) tools.open = true;
      knowledge.focus();
    }
  }

  function typing(target) {
    if (!target || !target.closest) return false;
    return Boolean(target.closest("input, textarea, select, [contenteditable=''], [contenteditable=true]"));
  }

  var actions = {
    j: function () { if (casePage) moveFromCase(1); else moveInInbox(1); },
    k: function () { if (casePage) moveFromCase(-1); else moveInInbox(-1); },
    r: reply,
    t: take,
    "/": search,
    "?": function () { dialog.showModal(); }
  };

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (dialog.open || typing(event.target) || !enabled()) return;
    var action = Object.prototype.hasOwnProperty.call(actions, event.key) ? actions[event.key] : null;
    if (!action) return;
    event.preventDefault();
    action();
  });

  rememberOrder();
  document.addEventListener("inbox:changed", rememberOrder);
})();
