/* A park's place on the offline map of Beijing's districts (public park and space pages). */
(function () {
  "use strict";
  var maps = {};
  function geo(url) {
    if (!maps[url]) {
      maps[url] = fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); });
    }
    return maps[url];
  }
  function draw(el) {
    if (!window.echarts) { return; }
    var lng = parseFloat(el.getAttribute("data-lng"));
    var lat = parseFloat(el.getAttribute("data-lat"));
    geo(el.getAttribute("data-geo")).then(function (json) {
      window.echarts.registerMap("beijing", json);
      var chart = window.echarts.init(el);
      chart.setOption({
        geo: {
          map: "beijing", roam: true, center: [lng, lat], zoom: 2.2,
          label: { show: true, fontSize: 10, color: "#667085" },
          itemStyle: { areaColor: "#eef3fa", borderColor: "#9fb3c8" },
          emphasis: { disabled: true }
        },
        series: [{
          type: "effectScatter", coordinateSystem: "geo", symbolSize: 12,
          itemStyle: { color: "#d9534f" },
          label: { show: true, position: "right", formatter: "{b}", fontWeight: "bold" },
          data: [{ name: el.getAttribute("data-name"), value: [lng, lat] }]
        }]
      });
      el.setAttribute("data-ready", "1");
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-location]"), draw);
})();
