/* The survey report's charts (ECharts, local): bars for choices and places, the
   distribution of a scale. The data comes from json_script (the CSP forbids inline code). */
(function () {
  "use strict";
  var source = document.getElementById("survey-charts");
  if (!source || typeof echarts === "undefined") { return; }
  var words = JSON.parse(document.getElementById("survey-chart-words").textContent);
  var charts = JSON.parse(source.textContent);
  var made = [];
  charts.forEach(function (c) {
    var el = document.getElementById("chart-" + c.id);
    if (!el) { return; }
    var horizontal = c.kind !== "scale";
    el.style.height = (horizontal ? Math.max(160, 36 * c.labels.length + 40) : 220) + "px";
    var chart = echarts.init(el, null, { renderer: "svg" });
    var category = { type: "category", data: c.labels,
                     axisLabel: { width: 110, overflow: "truncate" } };
    var value = { type: "value", minInterval: 1 };
    chart.setOption({
      animation: false,
      grid: { left: horizontal ? 120 : 36, right: 24, top: 16, bottom: 28 },
      tooltip: { trigger: "axis" },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? Object.assign({ inverse: true }, category) : value,
      series: [{ type: "bar", name: words.answers, data: c.counts,
                 label: { show: true, position: horizontal ? "right" : "top" },
                 itemStyle: { color: c.kind === "scale" ? "#e3813b" : "#1f7a8c" } }]
    });
    made.push(chart);
  });
  window.addEventListener("resize", function () {
    made.forEach(function (chart) { chart.resize(); });
  });
})();
