/* A door's openings (ECharts, local): the last 24 hours by hour and the last 7 days by
   day. The data comes from json_script (the CSP forbids inline code); the tables beside
   the charts hold the same numbers. */
(function () {
  "use strict";
  var source = document.getElementById("door-charts");
  if (!source || typeof echarts === "undefined") { return; }
  var words = JSON.parse(document.getElementById("door-chart-words").textContent);
  var charts = JSON.parse(source.textContent);
  var made = [];
  ["hours", "days"].forEach(function (key) {
    var el = document.getElementById("chart-" + key);
    var data = charts[key];
    if (!el || !data) { return; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 36, right: 16, top: 16, bottom: 28 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.labels,
               axisLabel: { interval: key === "hours" ? 2 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", name: words.opens, data: data.counts,
                 itemStyle: { color: key === "hours" ? "#1f7a8c" : "#e3813b" } }]
    });
    made.push(chart);
  });
  window.addEventListener("resize", function () {
    made.forEach(function (chart) { chart.resize(); });
  });
})();
