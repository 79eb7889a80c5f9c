// The park's innovation network as an interactive ECharts graph (force layout, drag, zoom).
// Data comes from the page (json_script "network-data"): no inline script (CSP).
(function () {
  "use strict";
  var el = document.getElementById("network-graph");
  var dataEl = document.getElementById("network-data");
  if (!el || !dataEl || typeof echarts === "undefined") { return; }
  var data = JSON.parse(dataEl.textContent);
  var kinds = ["park", "org", "institute"];
  var labels = { park: "园区", org: "企业/机构", institute: "科研院所" };
  var degree = {};
  data.edges.forEach(function (e) {
    degree[e.source] = (degree[e.source] || 0) + e.weight;
    degree[e.target] = (degree[e.target] || 0) + e.weight;
  });
  var nodes = data.nodes.map(function (n) {
    return {
      id: n.id, name: n.name, category: Math.max(0, kinds.indexOf(n.kind)),
      symbolSize: n.name === data.park ? 46 : 14 + Math.min(26, 4 * (degree[n.id] || 0)),
      label: { show: true }
    };
  });
  var links = data.edges.map(function (e) {
    return {
      source: e.source, target: e.target, value: e.weight,
      lineStyle: { width: 1 + Math.min(8, e.weight) },
      label: { show: !!e.relation, formatter: e.relation || "" },
      relation: e.relation, articles: e.articles
    };
  });
  // Sized here: the page's CSP allows no inline style attribute.
  el.style.height = window.innerWidth < 600 ? "360px" : "480px";
  el.style.width = "100%";
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: {
      formatter: function (p) {
        if (p.dataType === "edge") {
          var titles = (p.data.articles || []).map(function (a) { return a.title; });
          return (p.data.relation || "共现") + " · " + p.data.value + "<br>" + titles.join("<br>");
        }
        return p.name;
      }
    },
    legend: [{ data: kinds.map(function (k) { return labels[k]; }) }],
    series: [{
      type: "graph", layout: "force", roam: true, draggable: true,
      force: { repulsion: 220, edgeLength: [60, 160] },
      categories: kinds.map(function (k) { return { name: labels[k] }; }),
      data: nodes, links: links,
      emphasis: { focus: "adjacency" },
      edgeLabel: { fontSize: 11 }
    }]
  });
  el.setAttribute("data-ready", "1");
  window.addEventListener("resize", function () { chart.resize(); });
})();
