// Assessment pages: confirmations on publishing and withdrawing, the period picker that
// submits itself, the trend chart (ECharts), the scheme form's rows (add, remove,
// numbering, fields a rule does not use dimmed) and the appeal review's granted points.
(function () {
  "use strict";

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  // Publishing freezes a period for every unit, withdrawing takes it back: ask first.
  function confirmations() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
      });
    });
  }

  function autosubmit() {
    document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  function trend() {
    var el = document.getElementById("trend-chart");
    var data = readJson("trend-data");
    if (!el || !data || typeof echarts === "undefined" || !window.ChartTips) { return; }
    var instance = echarts.init(el, null, { renderer: "svg" });
    el.echartsInstance = instance;  // lets browser tests and the console reach the chart
    var narrow = el.clientWidth < 480;
    instance.setOption({
      animation: false,
      grid: { left: 8, right: 16, top: narrow ? 70 : 40, bottom: 8, containLabel: true },
      legend: { type: "scroll", top: 0 },
      tooltip: { trigger: "axis", formatter: ChartTips.axis() },
      xAxis: {
        type: "category",
        data: data.periods,
        axisLabel: { hideOverlap: true, interval: 0, rotate: narrow ? 30 : 0 }
      },
      yAxis: { type: "value", scale: true, name: el.dataset.labelTotal || "" },
      series: data.series.map(function (s) {
        return { name: s.name, type: "line", connectNulls: false, symbolSize: 7, data: s.totals };
      })
    });
    window.addEventListener("resize", function () { instance.resize(); });
  }

  // Rows are read by position on the server, so fields a rule does not use are dimmed,
  // never disabled: a disabled field would not be sent and would shift the columns.
  function schemeRows() {
    var table = document.getElementById("component-rows");
    var template = document.getElementById("component-row-template");
    if (!table || !template) { return; }
    var body = table.tBodies[0];
    var add = document.querySelector("[data-add-row]");

    function dim(row) {
      var kind = row.querySelector("[data-kind]").value;
      var rule = row.querySelector("[data-rule]").value;
      row.querySelector("[data-indicator]").classList.toggle("as-off", kind !== "case_indicator");
      var usesTarget = rule === "threshold" || rule === "lower_better";
      row.querySelector("[data-target]").classList.toggle("as-off", !usesTarget);
      row.querySelector("[data-step]").classList.toggle("as-off", !usesTarget);
    }

    function renumber() {
      Array.prototype.forEach.call(body.rows, function (row, index) {
        row.querySelector("[data-row-no]").textContent = String(index + 1);
      });
      if (add) { add.disabled = body.rows.length >= Number(add.dataset.max || 20); }
    }

    function wire(row) {
      row.querySelector("[data-kind]").addEventListener("change", function () { dim(row); });
      row.querySelector("[data-rule]").addEventListener("change", function () { dim(row); });
      row.querySelector("[data-remove-row]").addEventListener("click", function () {
        row.remove();
        renumber();
      });
      dim(row);
    }

    Array.prototype.forEach.call(body.rows, wire);
    if (add) {
      add.addEventListener("click", function () {
        var row = template.content.firstElementChild.cloneNode(true);
        body.appendChild(row);
        wire(row);
        renumber();
        row.querySelector("[data-kind]").focus();
      });
    }
    renumber();
  }

  function decideForms() {
    document.querySelectorAll("form[data-decide]").forEach(function (form) {
      var granted = form.querySelector(".as-granted");
      function show() {
        var chosen = form.querySelector("input[name=status]:checked");
        granted.hidden = !(chosen && chosen.value === "partial");
      }
      form.querySelectorAll("input[name=status]").forEach(function (radio) {
        radio.addEventListener("change", show);
      });
      show();
    });
  }

  function init() {
    confirmations();
    autosubmit();
    trend();
    schemeRows();
    decideForms();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
