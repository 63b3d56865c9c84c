/* The dashboard's charts: each section carries its numbers as JSON (json_script); Chart.js
   (static/vendor) draws them. Without JavaScript the charts stay hidden and the tables under
   them say the same. */
(function () {
  "use strict";

  var COLOURS = ["#3b82f6", "#d93025", "#f29900", "#1e8e3e", "#8e44ad", "#00838f",
    "#6d4c41", "#c2185b", "#7f8c8d"];

  function dataset(series, index, spec) {
    var colour = COLOURS[index % COLOURS.length];
    var line = spec.type === "line" || (spec.lines || []).indexOf(series.key) !== -1;
    return {
      label: series.label,
      data: series.data,
      type: line ? "line" : "bar",
      borderColor: colour,
      backgroundColor: line ? colour : colour + "cc",
      borderWidth: line ? 2 : 0,
      pointRadius: line ? 2 : 0,
      tension: 0,
      maxBarThickness: 40,
      order: line ? 0 : 1
    };
  }

  // Counts and amounts: whole numbers, from zero, with a little room above the tallest bar.
  function valueAxis(stacked, small) {
    return { stacked: stacked, beginAtZero: true, grace: "8%",
      ticks: { precision: 0, font: { size: small ? 10 : 12 } } };
  }

  function labelAxis(stacked, small, skip) {
    return { stacked: stacked, ticks: { autoSkip: skip, maxRotation: small ? 60 : 40,
      font: { size: small ? 10 : 12 } } };
  }

  function draw(box) {
    var source = document.getElementById(box.getAttribute("data-source"));
    var canvas = box.querySelector("canvas");
    if (!source || !canvas) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var horizontal = !!spec.horizontal;
    var stacked = !!spec.stacked;
    var small = window.matchMedia("(max-width: 576px)").matches;
    // The height comes as data (a style attribute would need 'unsafe-inline' under CSP).
    var height = parseInt(box.getAttribute("data-height"), 10);
    if (height > 0) {
      box.style.height = height + "px";
    }
    box.hidden = false;
    var chart = new window.Chart(canvas, {
      type: spec.type === "line" ? "line" : "bar",
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (s, i) { return dataset(s, i, spec); })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: horizontal ? "y" : "x",
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: {
            display: !!spec.legend || spec.series.length > 1,
            position: "bottom",
            labels: { boxWidth: 12, font: { size: small ? 10 : 12 } }
          }
        },
        scales: horizontal ? { x: valueAxis(stacked, small), y: labelAxis(stacked, small, false) }
          : { x: labelAxis(stacked, small, true), y: valueAxis(stacked, small) }
      }
    });
    canvas.setAttribute("data-drawn", chart.data.datasets.length ? "1" : "0");
  }

  function drawAll() {
    if (!window.Chart) {
      return;
    }
    var boxes = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < boxes.length; i++) {
      draw(boxes[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
