/* Draw every [data-echart] element with the ECharts option the server wrote beside it
   (a <script type="application/json"> named by data-option). After drawing, the element
   carries data-points: how many non-empty values its series hold. */
(function () {
  "use strict";
  function countPoints(option) {
    var n = 0;
    (option.series || []).forEach(function (s) {
      (s.data || []).forEach(function (d) {
        var v = d !== null && typeof d === "object" && !Array.isArray(d) ? d.value : d;
        if (v !== null && v !== undefined && v !== 0 && v !== "") { n += 1; }
      });
    });
    return n;
  }
  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-option"));
    if (!source || !window.echarts) { return; }
    var option = JSON.parse(source.textContent);
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    el.setAttribute("data-points", String(countPoints(option)));
    el.setAttribute("data-ready", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-echart]"), draw);
})();
