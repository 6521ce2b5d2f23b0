// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Check-in page: a tap records the attendance without reloading the page.
  // Taps on one row are sent one after the other, so the last tap wins on the
  // server as on the screen; if a request fails, the form is submitted the
  // ordinary way and the server's answer is shown.
  function enhanceCheckin(form) {
    var row = form.closest(".checkin-row");
    var queue = Promise.resolve();
    form.setAttribute("data-enhanced", "");
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || !button.value || !window.fetch) {
        return;
      }
      event.preventDefault();
      var body = new URLSearchParams(new FormData(form));
      body.set("value", button.value);
      if (row) {
        row.setAttribute("aria-busy", "true");
      }
      queue = queue.then(function () {
        return fetch(form.action, {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
        }).then(function (res) {
          if (!res.ok) {
            throw new Error("HTTP " + res.status);
          }
          return res.json();
        }).then(function (data) {
          form.querySelectorAll("button[name=value]").forEach(function (b) {
            var on = b === button;
            b.setAttribute("aria-pressed", on ? "true" : "false");
            b.classList.toggle("button-secondary", !on);
          });
          if (row) {
            row.setAttribute("data-attendance", button.value);
            var state = row.querySelector(".checkin-state");
            if (state) {
              state.textContent = data.state;
            }
            row.removeAttribute("aria-busy");
          }
          var count = document.getElementById("present-count");
          if (count) {
            count.textContent = data.count;
          }
        }).catch(function () {
          var value = document.createElement("input");
          value.type = "hidden";
          value.name = "value";
          value.value = button.value;
          form.appendChild(value);
          HTMLFormElement.prototype.submit.call(form);
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    // Bring the error summary into view and focus so screen readers announce it.
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
    document.querySelectorAll("form.checkin-form").forEach(enhanceCheckin);
    // Avoid double submissions on slow connections.
    document.querySelectorAll("form[method=post]:not([data-enhanced])").forEach(function (form) {
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

// Filter of long checkbox lists (session sectors): shown only with script;
// without it every group stays a plain, openable list of checkboxes.
(function () {
  "use strict";
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-filter-for]").forEach(function (input) {
      var box = document.getElementById(input.getAttribute("data-filter-for"));
      if (!box) { return; }
      input.parentElement.hidden = false;
      input.addEventListener("input", function () {
        var q = fold(input.value.trim());
        box.querySelectorAll("details").forEach(function (group) {
          var any = false;
          group.querySelectorAll("label.choice").forEach(function (label) {
            var hit = q === "" || fold(label.textContent).indexOf(q) >= 0;
            label.hidden = !hit;
            any = any || hit;
          });
          group.hidden = !any;
          if (q !== "") { group.open = any; }
        });
      });
    });
  });
})();
