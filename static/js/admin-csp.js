// Admin pages of other packages that set event handlers inline, which the Content Security
// Policy does not run: the same handlers, bound from this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // django-import-export's export page: "select all" fields.
    document.querySelectorAll("input.select-toggle[name=select-all-toggle]").forEach(function (box) {
      box.addEventListener("change", function (event) {
        if (typeof window.onSelectToggleChange === "function") window.onSelectToggleChange(event);
      });
    });
  });
})();
