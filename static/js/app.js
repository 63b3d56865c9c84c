// Live countdowns for claim protection: <time data-deadline="ISO"> shows the time left in the
// page's language and turns red in the last 24 hours. The server renders the first value.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  var format = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(lang, { numeric: "auto" }) : null;
  function render(el) {
    var left = (new Date(el.dataset.deadline) - new Date()) / 1000;
    el.classList.toggle("soon", left < 86400);
    el.classList.toggle("expired", left <= 0);
    if (!format) return;
    var abs = Math.abs(left), value, unit;
    if (abs >= 86400) { value = Math.round(left / 86400); unit = "day"; }
    else if (abs >= 3600) { value = Math.round(left / 3600); unit = "hour"; }
    else { value = Math.round(left / 60); unit = "minute"; }
    el.textContent = format.format(value, unit);
  }
  function tick() { document.querySelectorAll("time[data-deadline]").forEach(render); }
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSwap", tick);
  setInterval(tick, 30000);
})();

// The live pool: an open pool page asks every 1.5 s (while it is visible) which of its rows
// colleagues took and which customers entered the pool, and greys those rows ("Claimed by X",
// keeping the company's name) or counts the newcomers in a badge that reloads the list.
(function () {
  "use strict";
  var PERIOD = 1500;
  function start() {
    var live = document.getElementById("pool-live");
    if (!live || !window.fetch) return;
    var news = document.getElementById("pool-news");
    var cursor = live.dataset.cursor, entered = new Set(), stopped = false;
    function shown() {
      return Array.prototype.map.call(
        document.querySelectorAll("tr[data-lead][data-claimable]"),
        function (row) { return row.dataset.lead; });
    }
    function grey(item) {
      var row = document.querySelector('tr[data-lead="' + item.id + '"][data-claimable]');
      if (!row) return;
      row.removeAttribute("data-claimable");
      row.classList.add("taken-live");
      var cell = row.querySelector("td.action");
      if (!cell) return;
      var note = document.createElement("span");
      note.className = "taken-by";
      note.setAttribute("role", "status");
      note.setAttribute("data-testid", "taken-by");
      note.textContent = item.status;
      cell.replaceChildren(note);
    }
    function poll() {
      if (stopped) return;
      if (document.hidden) { setTimeout(poll, PERIOD); return; }
      var query = live.dataset.query ? live.dataset.query + "&" : "";
      var url = live.dataset.url + "?" + query + "cursor=" + encodeURIComponent(cursor) +
        "&shown=" + shown().join(",");
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (response.status === 400 || response.status === 403 ||
              response.redirected) { stopped = true; return null; }
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data) {
            cursor = data.cursor;
            data.taken.forEach(grey);
            data.entered.forEach(function (id) { entered.add(id); });
            if (news && entered.size) {
              news.querySelector("[data-count]").textContent = entered.size;
              news.hidden = false;
            }
          }
        })
        .catch(function () {})
        .then(function () { setTimeout(poll, PERIOD); });
    }
    setTimeout(poll, PERIOD);
  }
  document.addEventListener("DOMContentLoaded", start);
})();

// Forms that ask before they go: <form data-confirm="Revoke this key?">. A field marked
// data-select-on-focus selects its whole text (a key to copy).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var question = event.target.dataset && event.target.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) event.target.select();
  });
})();

// The territory rule editor: a size range shows its two bounds instead of a value; the
// target shows the team or the rep its kind needs. Without script, every field shows.
(function () {
  "use strict";
  function fit(root) {
    root.querySelectorAll(".condition-row").forEach(function (row) {
      var op = row.querySelector("[name=cond-op]");
      row.classList.toggle("is-range", !!op && op.value === "range");
    });
    var kind = root.querySelector("[name=target_kind]");
    if (!kind) return;
    root.querySelectorAll("[data-target-for]").forEach(function (label) {
      label.hidden = label.dataset.targetFor.split(" ").indexOf(kind.value) < 0;
    });
  }
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest(".rule-form");
    if (form) fit(form);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".rule-form").forEach(fit);
  });
})();

// Bulk actions on a list ("Claim selected", "Release selected"): row checkboxes belong to a
// form by its id (form="bulk-claim"); a header box [data-select-all="bulk-claim"] ticks them
// all, and [data-selected-count="bulk-claim"] says how many are ticked (its data-template
// holds the words, "%s" standing for the number). Without script the boxes work alone.
(function () {
  "use strict";
  function boxes(formId) {
    return Array.prototype.slice.call(document.querySelectorAll(
      'input[type=checkbox][name=lead_ids][form="' + formId + '"]'));
  }
  function count(formId) {
    var ticked = boxes(formId).filter(function (box) { return box.checked; }).length;
    var label = document.querySelector('[data-selected-count="' + formId + '"]');
    if (label) label.textContent = ticked ? (label.dataset.template || "%s").replace("%s", ticked) : "";
    var total = boxes(formId).length;
    // Once every ticked row has its answer there is nothing left to act on.
    var form = document.getElementById(formId);
    if (form) {
      form.classList.toggle("has-selection", ticked > 0);
      form.hidden = total === 0;
    }
    var all = document.querySelector('[data-select-all="' + formId + '"]');
    if (all) {
      all.checked = total > 0 && ticked === total;
      all.indeterminate = ticked > 0 && ticked < total;
      all.hidden = total === 0;
    }
  }
  function refresh() {
    document.querySelectorAll("[data-selected-count]").forEach(function (label) {
      count(label.dataset.selectedCount);
    });
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target.matches) return;
    if (target.matches("[data-select-all]")) {
      boxes(target.dataset.selectAll).forEach(function (box) { box.checked = target.checked; });
      count(target.dataset.selectAll);
    } else if (target.matches("input[type=checkbox][name=lead_ids][form]")) {
      count(target.getAttribute("form"));
    }
  });
  document.addEventListener("DOMContentLoaded", refresh);
  document.addEventListener("htmx:afterSettle", refresh);
})();

// The bulk move form under the team list (批量转移): "Select all N matching this filter" ticks
// (and locks) every row of the page too, so what the page shows agrees with what will move.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var all = event.target;
    if (!all.matches || !all.matches('#bulk-move input[name="all_matching"]')) return;
    document.querySelectorAll('input[type=checkbox][name=lead_ids][form="bulk-move"]')
      .forEach(function (box) {
        if (all.checked) box.checked = true;
        box.disabled = all.checked;
      });
    var page = document.querySelector('[data-select-all="bulk-move"]');
    if (page) { page.checked = all.checked; page.disabled = all.checked; }
  });
})();

// The live duplicate check on New customer: every field but the confirmation tick asks the
// server again (htmx listens for "duplicate-check"; a trigger filter would need eval, which
// the Content-Security-Policy forbids).
(function () {
  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (!form || form.id !== "lead-form" || event.target.name === "confirm_duplicate") return;
    form.dispatchEvent(new CustomEvent("duplicate-check", { bubbles: false }));
  });
})();
