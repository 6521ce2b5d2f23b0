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

  // Destructive actions (see src/web/confirm.rs): a button with
  // data-confirm asks its question in a dialog; "yes" posts the form with
  // confirmed=1, which the server takes as the answer. Without this script
  // (or without <dialog>) the server asks on a page of its own.
  function askFirst(event) {
    var form = event.target;
    var button = event.submitter;
    if (!button || !button.hasAttribute("data-confirm") ||
        typeof HTMLDialogElement !== "function" ||
        form.querySelector("input[name=confirmed]")) {
      return;
    }
    event.preventDefault();
    var dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "confirm-dialog-question");
    var question = document.createElement("p");
    question.id = "confirm-dialog-question";
    question.textContent = button.getAttribute("data-confirm");
    var actions = document.createElement("div");
    actions.className = "actions";
    var yes = document.createElement("button");
    yes.type = "button";
    yes.className = "button button-danger";
    yes.setAttribute("data-confirm-yes", "");
    yes.textContent = button.getAttribute("data-confirm-yes");
    var no = document.createElement("button");
    no.type = "button";
    no.className = "button button-secondary";
    no.setAttribute("data-confirm-no", "");
    no.textContent = button.getAttribute("data-confirm-no");
    actions.appendChild(yes);
    actions.appendChild(no);
    dialog.appendChild(question);
    dialog.appendChild(actions);
    document.body.appendChild(dialog);
    no.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () {
      dialog.remove();
      button.focus();
    });
    yes.addEventListener("click", function () {
      var add = function (name, value) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = value;
        form.appendChild(input);
      };
      add("confirmed", "1");
      // submit() drops the button's own name and value: carry them.
      if (button.name) {
        add(button.name, button.value);
      }
      yes.disabled = true;
      HTMLFormElement.prototype.submit.call(form);
    });
    dialog.showModal();
    no.focus();
  }

  // A long <select data-filter="label"> (the sector picker) gets a search
  // box: typing "boul" keeps "Boulangerie-pâtisserie" and picks the first
  // match. Without this script the grouped select works as it is.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }

  function enhanceFilter(select) {
    var input = document.createElement("input");
    input.type = "search";
    input.id = select.id + "-filter";
    input.setAttribute("autocomplete", "off");
    input.setAttribute("aria-controls", select.id);
    var label = document.createElement("label");
    label.htmlFor = input.id;
    label.textContent = select.getAttribute("data-filter");
    var box = document.createElement("div");
    box.className = "select-filter";
    box.appendChild(label);
    box.appendChild(input);
    select.parentNode.insertBefore(box, select);
    input.addEventListener("input", function () {
      var q = fold(input.value);
      var first = null;
      select.querySelectorAll("option").forEach(function (o) {
        var show = !q || o.value === "" || fold(o.textContent).indexOf(q) >= 0;
        o.hidden = !show;
        if (show && q && o.value !== "" && !first) {
          first = o;
        }
      });
      select.querySelectorAll("optgroup").forEach(function (g) {
        g.hidden = !g.querySelector("option:not([hidden])");
      });
      if (first) {
        select.value = first.value;
      }
    });
  }

  // Capture phase: asked before any other submit handler runs.
  document.addEventListener("submit", askFirst, true);

  document.addEventListener("DOMContentLoaded", function () {
    // Bring the error summary into view and focus so screen readers announce it.
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
    document.querySelectorAll("form.checkin-form").forEach(enhanceCheckin);
    document.querySelectorAll("select[data-filter]").forEach(enhanceFilter);
    // Avoid double submissions on slow connections.
    document.querySelectorAll("form[method=post]:not([data-enhanced])").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (event.defaultPrevented) {
          return;
        }
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

// Commune fields (input[data-communes]) suggest communes of the official
// lists as one types a name or a postcode (the field works without this:
// the server reads a name, a postcode or "Name (postcode)").
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    document.querySelectorAll("input[data-communes]").forEach(function (input) {
      var list = document.getElementById(input.getAttribute("list"));
      if (!list || !window.fetch) { return; }
      var timer = null;
      var last = "";
      input.addEventListener("input", function () {
        var q = input.value.trim();
        if (q.length < 2 || q === last) { return; }
        clearTimeout(timer);
        timer = setTimeout(function () {
          last = q;
          fetch(input.getAttribute("data-communes") + "?format=json&q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
            .then(function (r) { return r.ok ? r.json() : []; })
            .then(function (found) {
              if (input.value.trim() !== q) { return; }
              list.textContent = "";
              found.slice(0, 20).forEach(function (c) {
                var o = document.createElement("option");
                o.value = c.label;
                list.appendChild(o);
              });
            })
            .catch(function () {});
        }, 200);
      });
    });
  });
})();
