// Reports: say what a bar or point is on hover and on keyboard focus (each carries its words
// in data-point, also its <title> and aria-label), and open every chart's "Data" for print.
(function () {
  "use strict";
  function show(event) {
    var point = event.target.closest && event.target.closest("[data-point]");
    if (!point) return;
    var figure = point.closest("figure");
    var readout = figure && figure.querySelector(".chart-readout");
    if (readout) readout.textContent = point.getAttribute("data-point");
  }
  document.addEventListener("focusin", show);
  document.addEventListener("mouseover", show);
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.chart-table").forEach(function (d) { d.open = true; });
  });
})();
