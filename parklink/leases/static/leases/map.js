/* The office map: parks on Beijing's districts (offline GeoJSON), coloured by vacancy (from
   leases) or by leading industry; managers place a park by choosing it and clicking. */
(function () {
  "use strict";
  var el = document.getElementById("ops-map");
  if (!el || !window.echarts) { return; }
  var points = JSON.parse(document.getElementById("map-points").textContent);
  var label = function (k) { return el.getAttribute("data-l-" + k) || k; };
  var chart = null;
  var mode = "vacancy";

  function placed() { return points.filter(function (p) { return p.lat !== null && p.lng !== null; }); }

  function tooltip(p) {
    var lines = ["<b>" + p.name + "</b> " + (p.district || "")];
    if (p.occupancy !== null) {
      lines.push(label("occupancy") + " " + Math.round(p.occupancy * 1000) / 10 + "% · " +
        Math.round(p.leased_area_m2) + " / " + Math.round(p.area_m2) + " ㎡");
    } else { lines.push(label("none")); }
    if (p.industries.length) { lines.push(p.industries.join("、")); }
    lines.push(label("vacant") + " " + p.vacant_spaces);
    p.spaces.forEach(function (s) { lines.push("· " + s.ref + " " + s.kind + " " + Math.round(s.area_m2) + "㎡"); });
    return lines.join("<br>");
  }

  function datum(p) {
    return { name: p.name, id: p.id, value: [p.lng, p.lat, p.vacancy === null ? -1 : p.vacancy], p: p };
  }

  function option() {
    var geo = {
      map: "beijing", roam: true, layoutCenter: ["50%", "50%"], layoutSize: "95%",
      label: { show: true, fontSize: 11, color: "#667085" },
      itemStyle: { areaColor: "#eef3fa", borderColor: "#9fb3c8" },
      emphasis: { itemStyle: { areaColor: "#dde8f7" }, label: { color: "#1d2939" } }
    };
    var base = {
      tooltip: { trigger: "item", formatter: function (i) { return i.data && i.data.p ? tooltip(i.data.p) : i.name; } },
      geo: geo
    };
    var size = function (v, params) {
      var a = params.data.p.area_m2 || 0;
      return Math.max(8, Math.min(28, 6 + Math.sqrt(a) / 12));
    };
    if (mode === "industry") {
      var groups = {};
      placed().forEach(function (p) { (groups[p.industry || "—"] = groups[p.industry || "—"] || []).push(datum(p)); });
      base.legend = { type: "scroll", orient: "vertical", left: 4, top: 4, textStyle: { fontSize: 11 } };
      base.series = Object.keys(groups).map(function (k) {
        return { name: k, type: "scatter", coordinateSystem: "geo", symbolSize: size, data: groups[k],
          label: { show: false }, emphasis: { label: { show: true, formatter: "{b}", position: "right" } } };
      });
      return base;
    }
    base.visualMap = {
      type: "continuous", min: 0, max: 1, dimension: 2, seriesIndex: 0, calculable: false,
      text: [label("high"), label("low")], left: 8, bottom: 8,
      inRange: { color: ["#36a269", "#f0a020", "#d9534f"] },
      outOfRange: { color: ["#98a2b3"] }
    };
    base.series = [{
      name: label("vacancy"), type: "scatter", coordinateSystem: "geo", symbolSize: size,
      data: placed().map(datum), itemStyle: { borderColor: "#fff", borderWidth: 1 },
      label: { show: false }, emphasis: { label: { show: true, formatter: "{b}", position: "right" } }
    }];
    return base;
  }

  function render() {
    chart.setOption(option(), true);
    el.setAttribute("data-points", String(placed().length));
    el.setAttribute("data-mode", mode);
  }

  fetch(el.getAttribute("data-geo"), { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (json) {
      window.echarts.registerMap("beijing", json);
      chart = window.echarts.init(el);
      render();
      el.setAttribute("data-ready", "1");
      window.addEventListener("resize", function () { chart.resize(); });
      chart.getZr().on("click", function (e) {
        var select = document.getElementById("map-park");
        if (!select || !select.value) { return; }
        var at = chart.convertFromPixel({ geoIndex: 0 }, [e.offsetX, e.offsetY]);
        if (!at) { return; }
        var body = new URLSearchParams({ lat: at[1].toFixed(6), lng: at[0].toFixed(6) });
        fetch(el.getAttribute("data-locate").replace("/0/", "/" + select.value + "/"), {
          method: "POST", credentials: "same-origin", body: body,
          headers: { "X-CSRFToken": document.getElementById("map-csrf").value }
        }).then(function (r) { return r.json(); }).then(function (res) {
          var status = document.getElementById("map-status");
          if (res.error) { status.textContent = res.error; return; }
          points.forEach(function (p) { if (p.id === res.park) { p.lat = res.lat; p.lng = res.lng; } });
          status.textContent = label("saved") + ": " + res.lat + ", " + res.lng;
          render();
        });
      });
    });
  var modeSelect = document.getElementById("map-mode");
  if (modeSelect) {
    modeSelect.addEventListener("change", function () { mode = modeSelect.value; if (chart) { render(); } });
  }
})();
