// The overall property score per estate over twelve months (ECharts from the local vendor copy).
(function () {
  "use strict";
  var holder = document.getElementById("property-chart");
  var data = document.getElementById("property-chart-data");
  if (!holder || !data || !window.echarts) { return; }
  var estates = JSON.parse(data.textContent);
  var months = [];
  estates.forEach(function (e) {
    e.points.forEach(function (p) { if (months.indexOf(p[0]) < 0) { months.push(p[0]); } });
  });
  months.sort();
  var chart = window.echarts.init(holder);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { type: "scroll" },
    xAxis: { type: "category", data: months },
    yAxis: { type: "value", min: 1, max: 5 },
    series: estates.map(function (e) {
      var byMonth = {};
      e.points.forEach(function (p) { byMonth[p[0]] = Number(p[1]); });
      return { name: e.name, type: "line", connectNulls: true,
               data: months.map(function (m) { return byMonth[m] === undefined ? null : byMonth[m]; }) };
    })
  });
  window.addEventListener("resize", function () { chart.resize(); });
}());
