// Draws the dashboard's charts from the JSON specifications the server wrote into the page.
// Without JavaScript (or without Plotly) the tables under the charts carry the same numbers.
(function () {
  "use strict";
  var CONFIG = { displayModeBar: false, responsive: true };
  var PHONE_WIDTH = 576;

  // Category labels (months, quarters) never overlap: no more of them than the width holds.
  // A label's width is guessed from its length, since nothing is drawn yet; Arabic quarter
  // names are long, and the plot is narrower than the box by its y-axis labels.
  function ticksThatFit(container, layout) {
    var labels = layout.xaxis.categoryarray || [];
    var longest = labels.reduce(function (most, label) {
      return Math.max(most, String(label).length);
    }, 1);
    var labelWidth = longest * layout.font.size * 0.62 + 14;
    var room = Math.max(container.clientWidth - 70, labelWidth);
    return Math.max(2, Math.min(layout.xaxis.nticks, Math.floor(room / labelWidth)));
  }

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-chart"));
    if (!source || !window.Plotly || container.hasAttribute("data-drawn")) return;
    container.setAttribute("data-drawn", "");
    var spec = JSON.parse(source.textContent);
    var layout = spec.layout;
    // Bar charts are already as tall as their bars; only line charts shrink on a phone.
    var sized = container.classList.contains("funnel-chart") || container.classList.contains("bar-chart");
    if (container.clientWidth < PHONE_WIDTH && !sized) {
      layout.height = Math.round(layout.height * 0.8);
      layout.font.size = 12;
      if (layout.xaxis.nticks) layout.xaxis.nticks = 4;
    }
    if (layout.xaxis.nticks) layout.xaxis.nticks = ticksThatFit(container, layout);
    window.Plotly.newPlot(container, spec.data, layout, CONFIG).then(function () {
      container.classList.remove("chart-pending");
      container.classList.add("chart-drawn");
      // The chart now shows the numbers; the table stays one tap away.
      var table = container.parentNode.querySelector("details[data-chart-table]");
      if (table) table.open = false;
    });
  }

  var charts = Array.prototype.slice.call(document.querySelectorAll("[data-chart]"));
  if (!window.Plotly) return;
  // Keep room for each chart until it is drawn, so the page does not jump.
  charts.forEach(function (chart) {
    chart.classList.add("chart-pending");
  });
  // A page meant for printing (the report) needs every chart drawn before it is printed.
  if (!("IntersectionObserver" in window) || document.querySelector("[data-charts-eager]")) {
    charts.forEach(draw);
    return;
  }
  // Draw a chart only when it comes near the screen: a cheap phone stays responsive.
  var observer = new IntersectionObserver(
    function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          draw(entry.target);
        }
      });
    },
    { rootMargin: "300px 0px" }
  );
  charts.forEach(function (chart) {
    observer.observe(chart);
  });
})();
