/* A device's readings chart (ECharts, local): the hourly mean of each reading over the
   last 48 hours. The data comes from json_script (the CSP forbids inline code). */
(function () {
  "use strict";
  var source = document.getElementById("readings-chart-data");
  var el = document.getElementById("readings-chart");
  if (!source || !el || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var hours = data.hours.map(function (iso) {
    var d = new Date(iso);
    return (d.getMonth() + 1) + "-" + d.getDate() + " " + d.getHours() + ":00";
  });
  var chart = echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    grid: { left: 48, right: 16, top: 32, bottom: 28 },
    legend: { top: 0, type: "scroll" },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: hours },
    yAxis: { type: "value", scale: true },
    series: data.series.map(function (s) {
      return { type: "line", name: s.name, data: s.data, connectNulls: false,
               showSymbol: s.data.length < 30 };
    })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
