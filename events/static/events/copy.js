// The copy button of the calendar feed box: shown only where the clipboard API exists; the
// address stays selectable in its field everywhere else.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    if (!navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-copy-target"));
      navigator.clipboard.writeText(field.value).then(function () {
        var label = button.textContent;
        button.textContent = button.getAttribute("data-copied-label");
        setTimeout(function () { button.textContent = label; }, 2000);
      }, function () { field.select(); });
    });
  });
}());
