// Text-size controls and print button, as Korean public-sector pages offer.
(function () {
  "use strict";
  var KEY = "magok-text-size";
  var MIN = 87.5, MAX = 150, STEP = 12.5;
  function apply(size) {
    document.documentElement.style.fontSize = size + "%";
  }
  var stored = parseFloat(window.localStorage.getItem(KEY) || "100");
  if (stored && stored !== 100) apply(stored);
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-text-size], [data-print]");
    if (!button) return;
    if (button.hasAttribute("data-print")) { window.print(); return; }
    var current = parseFloat(window.localStorage.getItem(KEY) || "100");
    var next = button.getAttribute("data-text-size") === "up" ? current + STEP : current - STEP;
    next = Math.min(MAX, Math.max(MIN, next));
    window.localStorage.setItem(KEY, String(next));
    apply(next);
  });
})();
