// Evaluation rounds: confirmations on the round's actions, "select all" on the planning
// form, the penalty form's subject list narrowed to the chosen item's level, and the
// results page's chart (ECharts) and map of points coloured by score rate (Leaflet).
(function () {
  "use strict";

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  // Starting, closing and deleting a round cannot be undone: ask first.
  function confirmations() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
      });
    });
  }

  function selectAll() {
    document.querySelectorAll("[data-select-all]").forEach(function (button) {
      button.addEventListener("click", function () {
        var boxes = document.querySelectorAll("input[data-group='" + button.dataset.selectAll + "']");
        var all = Array.prototype.every.call(boxes, function (box) { return box.checked; });
        boxes.forEach(function (box) { box.checked = !all; });
      });
    });
  }

  // Without this script every subject stays on offer and the service names a wrong one.
  function penaltySubjects() {
    var negative = document.getElementById("penalty-negative");
    var subject = document.getElementById("penalty-subject");
    if (!negative || !subject) { return; }
    function narrow() {
      var option = negative.options[negative.selectedIndex];
      var level = option ? option.dataset.level : "";
      subject.querySelectorAll("optgroup").forEach(function (group) {
        var off = Boolean(level) && group.dataset.level !== level;
        group.hidden = off;
        group.disabled = off;
      });
      var chosen = subject.options[subject.selectedIndex];
      if (chosen && chosen.parentNode.disabled) { subject.value = ""; }
    }
    negative.addEventListener("change", narrow);
    narrow();
  }

  function chart() {
    var el = document.getElementById("result-chart");
    var data = readJson("result-chart-data");
    if (!el || !data || typeof echarts === "undefined" || !window.ChartTips) { return; }
    var instance = echarts.init(el, null, { renderer: "svg" });
    el.echartsInstance = instance;  // lets browser tests and the console reach the chart
    var label = el.dataset.labelRate || "";
    instance.setOption({
      animation: false,
      grid: { left: 8, right: 56, top: 8, bottom: 24, containLabel: true },
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        formatter: ChartTips.axis({ value: function (item) { return ChartTips.plain(item.value) + "%"; } })
      },
      xAxis: {
        type: "value",
        min: 0,
        max: 100,
        interval: el.clientWidth < 480 ? 25 : 20,  // a phone has room for five labels
        axisLabel: { formatter: "{value}%", hideOverlap: true }
      },
      yAxis: {
        type: "category",
        inverse: true,  // rank 1 at the top, as in the table
        data: data.names,
        axisLabel: { width: 120, overflow: "truncate" }
      },
      series: [{
        name: label,
        type: "bar",
        barMaxWidth: 22,
        data: data.rates.map(function (rate, i) {
          return { value: rate, itemStyle: { color: data.colors[i] } };
        }),
        label: { show: true, position: "right", formatter: "{c}%" }
      }]
    });
    window.addEventListener("resize", function () { instance.resize(); });
  }

  function map() {
    var el = document.getElementById("result-map");
    var markers = readJson("result-markers") || [];
    if (!el || typeof L === "undefined" || !window.CasesGeo) { return; }
    var leaflet = CasesGeo.baseMap(el, {});
    leaflet.setView([32.63, 110.8], 9);
    var layer = L.featureGroup().addTo(leaflet);
    var make = CasesGeo.make;
    function popup(m) {
      var score = m.score === null ? "—" : m.score + " / " + m.max;
      return make("div", null,
        make("strong", null, m.name), " ", make("span", "mono", m.code),
        make("dl", "round-popup",
          make("dt", null, el.dataset.labelScore), make("dd", null, score),
          make("dt", null, el.dataset.labelRate), make("dd", null, m.rate_text)),
        m.type + " · " + m.status, make("br"),
        CasesGeo.link(m.url, el.dataset.labelOpen + " ›"));
    }
    markers.forEach(function (m) {
      L.circleMarker([m.lat, m.lng], {
        radius: 8, color: "#fff", weight: 2, fillColor: m.color, fillOpacity: 0.95
      })
        .bindPopup(function () { return popup(m); })
        .bindTooltip(function () { return make("span", null, m.name); })
        .addTo(layer);
    });
    CasesGeo.outlines(leaflet, CasesGeo.readJson("outline-urls")).then(function (bounds) {
      if (markers.length) {
        leaflet.fitBounds(layer.getBounds(), { padding: [30, 30], maxZoom: 15, animate: false });
      } else if (bounds) {
        leaflet.fitBounds(bounds, { padding: [10, 10], animate: false });
      }
      layer.bringToFront();
      el.dataset.loaded = String(markers.length);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    confirmations();
    selectAll();
    penaltySubjects();
    chart();
    map();
  });
})();
