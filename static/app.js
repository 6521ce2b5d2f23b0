// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Bring the error summary into view and focus so screen readers announce it.
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
    // Avoid double submissions on slow connections.
    document.querySelectorAll("form[method=post]").forEach(function (form) {
      form.addEventListener("submit", function () {
        var button = form.querySelector("button[type=submit]");
        if (button) {
          setTimeout(function () { button.disabled = true; }, 0);
          setTimeout(function () { button.disabled = false; }, 8000);
        }
      });
    });
  });
})();
