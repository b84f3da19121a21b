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
