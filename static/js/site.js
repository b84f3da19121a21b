// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Text-size controls and print button, as Korean public-sector pages offer.
  var KEY = "magok-text-size";
  var MIN = 87.5, MAX = 150, STEP = 12.5;
  function readSize() {
    try { return parseFloat(window.localStorage.getItem(KEY) || "100") || 100; } catch (e) { return 100; }
  }
  function apply(size) {
    document.documentElement.style.fontSize = size + "%";
  }
  var stored = readSize();
  if (stored !== 100) apply(stored);

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-text-size], [data-print]");
    if (!button) return;
    if (button.hasAttribute("data-print")) { window.print(); return; }
    var next = button.getAttribute("data-text-size") === "up" ? readSize() + STEP : readSize() - STEP;
    next = Math.min(MAX, Math.max(MIN, next));
    try { window.localStorage.setItem(KEY, String(next)); } catch (e) { /* private mode: size lasts for this page */ }
    apply(next);
  });

  // Ask before destructive form submissions (reject a request, remove a member).
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = button && button.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });

  // The registration form starts with the person alone (or one colleague row when they come
  // back to add colleagues) and an "add colleague" button; rows already filled in stay shown.
  // Without scripts every row is shown and empty rows are ignored.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-colleague-rows]").forEach(function (fieldset) {
      var rows = Array.prototype.slice.call(fieldset.querySelectorAll("[data-colleague]"));
      var start = parseInt(fieldset.getAttribute("data-start") || "0", 10);
      function filled(row) {
        return Array.prototype.some.call(row.querySelectorAll("input"), function (input) { return input.value.trim() !== ""; })
          || row.querySelector(".errorlist");
      }
      var shown = 0;
      rows.forEach(function (row, index) {
        if (index < start || filled(row)) { shown = index + 1; }
      });
      rows.forEach(function (row, index) { row.hidden = index >= shown; });
      if (shown >= rows.length) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button secondary add-colleague";
      button.textContent = fieldset.getAttribute("data-add-label");
      button.addEventListener("click", function () {
        var next = rows.filter(function (row) { return row.hidden; })[0];
        if (!next) return;
        next.hidden = false;
        var first = next.querySelector("input");
        if (first) first.focus();
        if (!rows.some(function (row) { return row.hidden; })) button.remove();
      });
      fieldset.appendChild(button);
    });
  });

  // A long <select data-searchable> (the join form's company picker) gets a search box above it
  // that narrows the options as the user types (Korean or English, spaces ignored) and selects
  // the only match. The select itself stays the form field, so nothing changes without scripts.
  document.addEventListener("DOMContentLoaded", function () {
    function squash(text) { return text.toLowerCase().replace(/[\s()·.,&-]/g, ""); }
    document.querySelectorAll("select[data-searchable]").forEach(function (select) {
      var input = document.createElement("input");
      input.type = "search";
      input.className = "select-search";
      input.id = select.id + "-search";
      input.setAttribute("aria-controls", select.id);
      input.setAttribute("aria-label", select.getAttribute("data-search-label") || "");
      input.placeholder = select.getAttribute("data-search-label") || "";
      input.autocomplete = "off";
      var status = document.createElement("span");
      status.className = "visually-hidden";
      status.setAttribute("aria-live", "polite");
      select.parentNode.insertBefore(input, select);
      select.parentNode.insertBefore(status, select);
      input.addEventListener("input", function () {
        var query = squash(input.value), matches = [];
        Array.prototype.forEach.call(select.options, function (option) {
          var show = !option.value || !query || squash(option.text).indexOf(query) !== -1;
          option.hidden = !show;
          if (show && option.value) matches.push(option);
        });
        select.size = query ? Math.min(Math.max(matches.length + 1, 2), 8) : 0;
        if (matches.length === 1) select.value = matches[0].value;
        status.textContent = String(matches.length);
      });
    });
  });

  // On a phone the menu folds behind a disclosure button.
  document.addEventListener("DOMContentLoaded", function () {
    var header = document.querySelector(".site-header");
    var toggle = header && header.querySelector(".menu-toggle");
    if (!toggle) return;
    header.classList.add("js-menu");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      header.classList.toggle("menu-open", open);
    });
  });
})();
