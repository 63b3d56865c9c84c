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
