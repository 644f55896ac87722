// The leaders' dashboard and its big screen: draws the payload the page embeds (the
// month's tiles, the 12-month chart, the case map with its heat layer, the rankings and
// the two lists), then fetches the same payload again every few seconds and draws it in
// place, so a screen on the wall stays current without reloading. Texts arrive formatted
// and translated; this script only places them (always as text, never as markup).
(function () {
  "use strict";

  var STATUS_COLORS = {
    reported: "#64748b", registered: "#64748b",
    dispatched: "#2563eb", in_progress: "#2563eb",
    handled: "#7c3aed", closed: "#16a34a"
  };
  var YELLOW = "#f59e0b", RED = "#dc2626", MUTED = "#94a3b8";
  var OPEN = ["reported", "registered", "dispatched", "in_progress", "handled"];

  var labels = {};

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  // The Python side's "%(name)s" placeholders, so one translated string serves both.
  function format(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (_, name) {
      return values[name] == null ? "" : String(values[name]);
    });
  }

  var make = window.Dom.make;

  function link(href, text, className) {
    var node = make(href ? "a" : "span", className, text);
    if (href) { node.href = href; }
    return node;
  }

  function fields(root, name) {
    return root.querySelectorAll("[data-field='" + name + "']");
  }

  function setText(root, name, text) {
    fields(root, name).forEach(function (node) { node.textContent = text == null ? "" : String(text); });
  }

  function pointColor(point) {
    var open = OPEN.indexOf(point.status) >= 0;
    if (open && point.overdue >= 2) { return RED; }
    if (open && point.overdue === 1) { return YELLOW; }
    return STATUS_COLORS[point.status] || MUTED;
  }

  // -- tiles --------------------------------------------------------------------------------------
  function renderKpis(root, kpis) {
    var box = root.querySelector("#dash-kpis");
    if (!box) { return; }
    var tiles = kpis.map(function (kpi) {
      var tile = make("article", "dash-kpi" + (kpi.tone ? " tone-" + kpi.tone : ""));
      tile.dataset.kpi = kpi.code;
      tile.appendChild(make("h3", "dash-kpi-label", kpi.label));
      tile.appendChild(make("p", "dash-kpi-value", kpi.text));
      var change = make("p", "dash-kpi-change", kpi.change_text);
      change.title = kpi.previous_text;
      tile.appendChild(change);
      if (kpi.parts.length) {
        tile.appendChild(make("p", "dash-kpi-parts", kpi.parts.map(function (part) {
          return part.label + " " + part.text;
        }).join(" · ")));
      }
      return tile;
    });
    box.replaceChildren.apply(box, tiles);
  }

  // -- chart --------------------------------------------------------------------------------------
  function Trend(el, dark) {
    this.el = el;
    this.chart = echarts.init(el, dark ? "dark" : null);
    el.echartsInstance = this.chart;  // lets browser tests and the console reach the chart
    this.dark = dark;
    var chart = this.chart;
    // The panel settles its size after the first layout (and with the window): follow it.
    if (window.ResizeObserver) {
      new ResizeObserver(function () { chart.resize(); }).observe(el);
    } else {
      window.addEventListener("resize", function () { chart.resize(); });
    }
  }

  Trend.prototype.draw = function (trend) {
    var text = this.dark ? "#cbd5e1" : "#475569";
    this.chart.setOption({
      backgroundColor: "transparent",
      animation: false,
      color: ["#60a5fa", "#34d399", "#f97316"],
      tooltip: {
        trigger: "axis",
        formatter: ChartTips.axis({
          title: function (item) { return trend.labels[item.dataIndex]; },
          value: function (item) {
            return item.value == null ? "—" : item.value + (item.seriesIndex === 2 ? "%" : "");
          }
        })
      },
      legend: { top: 0, textStyle: { color: text } },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: trend.short, axisLabel: { color: text, hideOverlap: true } },
      yAxis: [
        { type: "value", minInterval: 1, axisLabel: { color: text } },
        { type: "value", min: 0, max: 100, axisLabel: { color: text, formatter: "{value}%" }, splitLine: { show: false } }
      ],
      series: [
        { name: labels.reported, type: "bar", barMaxWidth: 18, data: trend.reported },
        { name: labels.closed, type: "bar", barMaxWidth: 18, data: trend.closed },
        {
          name: labels.on_time, type: "line", yAxisIndex: 1, data: trend.on_time_rate,
          connectNulls: false, symbolSize: 6, lineStyle: { width: 3 }
        }
      ]
    });
  };

  // -- map ----------------------------------------------------------------------------------------
  function CaseMap(el, dark) {
    this.el = el;
    // Points on one canvas: hundreds of SVG circles would slow the screen's redraws. A
    // wall screen is not touched: no zoom buttons there.
    this.map = CasesGeo.baseMap(el, { preferCanvas: true, zoomControl: !dark });
    this.map.setView([32.63, 110.8], 9);
    this.points = L.layerGroup().addTo(this.map);
    this.heat = null;
    this.mode = "points";
    this.dark = dark;
    this.outlineBounds = null;
    this.fitted = false;
    this.frame = null;  // what the map was fitted to, until the viewer moves it
    var self = this;
    this.outlinesDrawn = CasesGeo.outlines(this.map, readJson("outline-urls")).then(function (bounds) {
      self.outlineBounds = bounds;
    });
    ["mousedown", "wheel", "touchstart", "keydown"].forEach(function (name) {
      el.addEventListener(name, function () { self.frame = null; }, { passive: true });
    });
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        // A map folded to nothing (the page going away) has nothing to redraw; the heat
        // layer would fail on an empty canvas.
        if (!el.clientWidth || !el.clientHeight) { return; }
        self.map.invalidateSize({ animate: false });
        if (self.frame) { self.map.fitBounds(self.frame.bounds, self.frame.options); }
      }).observe(el);
    }
  }

  CaseMap.prototype.fit = function (bounds, options) {
    options.animate = false;
    this.frame = { bounds: bounds, options: options };
    this.map.fitBounds(bounds, options);
  };

  CaseMap.prototype.show = function (mode) {
    this.mode = mode;
    var on = mode === "heat" ? this.heat : this.points;
    var off = mode === "heat" ? this.points : this.heat;
    if (off && this.map.hasLayer(off)) { this.map.removeLayer(off); }
    if (on && !this.map.hasLayer(on)) { on.addTo(this.map); }
    this.el.dataset.layer = mode;
  };

  CaseMap.prototype.draw = function (data) {
    var self = this;
    this.points.clearLayers();
    data.points.forEach(function (point) {
      var marker = L.circleMarker([point.lat, point.lng], {
        radius: self.dark ? 6 : 5,
        color: self.dark ? "#0f172a" : "#fff",
        weight: 1,
        fillColor: pointColor(point),
        fillOpacity: 0.9
      });
      var popup = make("div");
      popup.appendChild(make("strong", "mono", point.code));
      popup.appendChild(make("br"));
      popup.appendChild(document.createTextNode(point.category + " · " + point.status_label));
      popup.appendChild(make("br"));
      popup.appendChild(link(point.url, labels.open_case + " ›"));
      marker.bindPopup(popup);
      self.points.addLayer(marker);
    });
    var top = data.heat_max || 1;
    var cells = data.heat.map(function (cell) {
      // Square root: one busy market street must not wash out the rest of the city.
      return [cell[0], cell[1], Math.sqrt(cell[2] / top)];
    });
    if (this.heat) {
      this.heat.setLatLngs(cells);
    } else {
      this.heat = L.heatLayer(cells, { radius: 18, blur: 14, maxZoom: 14, max: 1 });
    }
    this.show(this.mode);
    this.el.dataset.points = String(data.points.length);
    this.el.dataset.cells = String(data.heat.length);
    if (this.fitted) { return; }
    // Only the first drawing frames the map: a refresh must not undo the viewer's zoom.
    this.fitted = true;
    this.outlinesDrawn.then(function () {
      if (self.outlineBounds) {
        self.fit(self.outlineBounds, { padding: [10, 10] });
      } else if (data.points.length) {
        var bounds = L.latLngBounds(data.points.map(function (p) { return [p.lat, p.lng]; }));
        self.fit(bounds, { padding: [30, 30], maxZoom: 13 });
      }
      self.el.dataset.loaded = "1";
    });
  };

  // -- rankings and lists -------------------------------------------------------------------------
  function rankItem(line, count) {
    var item = make("li", "dash-rank-item");
    item.appendChild(make("span", "dash-rank-no", line.rank));
    item.appendChild(link(line.url, line.name, "dash-rank-name"));
    item.appendChild(make("span", "dash-rank-total", line.total + " " + labels.points_unit));
    if (line.change) {
      var up = line.change > 0;
      item.appendChild(make("span", "dash-rank-move " + (up ? "up" : "down"),
        format(up ? labels.up : labels.down, { n: Math.abs(line.change) })));
    }
    item.title = format(labels.rank, { n: line.rank }) + " / " + format(labels.of, { n: count });
    return item;
  }

  function renderBoard(root, board) {
    var top = root.querySelector("[data-list='top']");
    var bottom = root.querySelector("[data-list='bottom']");
    if (!top || !bottom) { return; }
    fields(root, "board-link").forEach(function (node) {
      node.hidden = !board;
      if (board) { node.href = board.url; }
    });
    if (!board) {
      setText(root, "board-title", labels.no_board);
      top.replaceChildren();
      bottom.replaceChildren();
      return;
    }
    setText(root, "board-title", board.title + " · " + format(labels.published, { date: board.published }) +
      " · " + format(labels.of, { n: board.count }));
    top.replaceChildren.apply(top, board.top.map(function (line) { return rankItem(line, board.count); }));
    if (board.bottom.length) {
      bottom.replaceChildren.apply(bottom, board.bottom.map(function (line) { return rankItem(line, board.count); }));
    } else {
      bottom.replaceChildren(make("li", "dash-empty", labels.no_bottom));
    }
  }

  function renderList(root, name, rows, empty, build) {
    var list = root.querySelector("[data-list='" + name + "']");
    if (!list) { return; }
    if (!rows.length) {
      list.replaceChildren(make("li", "dash-empty", empty));
      return;
    }
    list.replaceChildren.apply(list, rows.map(build));
  }

  function overdueItem(row) {
    var item = make("li", "dash-item level-" + row.level);
    var head = make("div", "dash-item-head");
    head.appendChild(make("span", "dash-light light-" + row.level, row.light));
    head.appendChild(link(row.url, row.code, "mono"));
    head.appendChild(make("span", "dash-item-what", row.category));
    item.appendChild(head);
    item.appendChild(make("div", "dash-item-meta",
      [row.unit, row.address, labels.deadline + " " + row.deadline].filter(Boolean).join(" · ")));
    return item;
  }

  function orderItem(row) {
    var item = make("li", "dash-item level-" + row.level);
    var head = make("div", "dash-item-head");
    head.appendChild(make("span", "dash-kind", row.kind));
    head.appendChild(link(row.url, row.code, "mono"));
    head.appendChild(make("span", "dash-item-what", row.unit));
    item.appendChild(head);
    var due = row.reply_due ? labels.reply_due + " " + row.reply_due : "";
    var meta = make("div", "dash-item-meta", [row.issued, due].filter(Boolean).join(" · "));
    if (row.late) { meta.appendChild(make("span", "dash-late", " " + labels.late)); }
    item.appendChild(meta);
    return item;
  }

  function renderLists(root, data) {
    renderList(root, "overdue", data.overdue.rows, labels.none_overdue, overdueItem);
    renderList(root, "orders", data.supervisions.rows, labels.none_orders, orderItem);
    fields(root, "overdue-link").forEach(function (node) {
      node.href = data.overdue.url;
      node.textContent = format(labels.more, { n: data.overdue.count });
    });
    fields(root, "orders-link").forEach(function (node) {
      node.href = data.supervisions.url;
      node.textContent = format(labels.more, { n: data.supervisions.count });
    });
    setText(root, "overdue-count", data.overdue.count);
    setText(root, "orders-count", data.supervisions.count);
  }

  // -- the whole page -----------------------------------------------------------------------------
  function Dashboard(root) {
    this.root = root;
    this.dark = root.dataset.mode === "screen";
    this.seconds = Math.max(10, parseInt(root.dataset.refresh, 10) || 60);
    this.refreshes = 0;
    var trendEl = root.querySelector("#dash-trend");
    var mapEl = root.querySelector("#dash-map");
    this.trend = trendEl && typeof echarts !== "undefined" && window.ChartTips ? new Trend(trendEl, this.dark) : null;
    this.map = mapEl && typeof L !== "undefined" && window.CasesGeo ? new CaseMap(mapEl, this.dark) : null;
    var self = this;
    root.querySelectorAll("[data-layer]").forEach(function (button) {
      button.addEventListener("click", function () {
        root.querySelectorAll("[data-layer]").forEach(function (b) {
          b.classList.toggle("active", b === button);
          b.setAttribute("aria-pressed", b === button ? "true" : "false");
        });
        if (self.map) { self.map.show(button.dataset.layer); }
      });
    });
  }

  Dashboard.prototype.draw = function (data) {
    var root = this.root;
    setText(root, "area", data.area);
    setText(root, "month", data.month);
    setText(root, "compare", data.compare);
    setText(root, "updated", format(labels.updated, { time: data.generated_text }));
    setText(root, "map-count", format(labels.points, { days: data.map.days, n: data.map.points.length }));
    renderKpis(root, data.kpis);
    if (this.trend) { this.trend.draw(data.trend); }
    if (this.map) { this.map.draw(data.map); }
    renderBoard(root, data.board);
    renderLists(root, data);
    root.dataset.generated = data.generated_at;
  };

  Dashboard.prototype.schedule = function () {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.refresh(); }, this.seconds * 1000);
  };

  Dashboard.prototype.refresh = function () {
    var self = this;
    window.clearTimeout(this.timer);
    fetch(this.root.dataset.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (response.status === 401) { throw new Error("expired"); }
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.json();
      })
      .then(function (data) {
        self.draw(data);
        self.refreshes += 1;
        self.root.dataset.refreshes = String(self.refreshes);
        self.root.classList.remove("dash-stale");
      })
      .catch(function (error) {
        // The last figures stay up, marked stale, until a refresh gets through.
        self.root.classList.add("dash-stale");
        setText(self.root, "updated", error.message === "expired"
          ? labels.expired : format(labels.failed, { n: self.seconds }));
      })
      .then(function () { self.schedule(); });
  };

  function clock() {
    var node = document.getElementById("screen-clock");
    if (!node) { return; }
    function tick() {
      var now = new Date();
      var pad = function (n) { return (n < 10 ? "0" : "") + n; };
      node.textContent = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate()) +
        " " + pad(now.getHours()) + ":" + pad(now.getMinutes()) + ":" + pad(now.getSeconds());
    }
    tick();
    window.setInterval(tick, 1000);
  }

  function fullscreen() {
    var button = document.getElementById("screen-full");
    if (!button || !document.documentElement.requestFullscreen) {
      if (button) { button.hidden = true; }
      return;
    }
    button.addEventListener("click", function () {
      document.documentElement.requestFullscreen().catch(function () { /* refused: stay windowed */ });
    });
    document.addEventListener("fullscreenchange", function () {
      button.hidden = Boolean(document.fullscreenElement);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("dashboard");
    var data = readJson("dashboard-data");
    if (!root || !data) { return; }
    labels = readJson("dashboard-labels") || {};
    var page = new Dashboard(root);
    page.draw(data);
    root.dashboard = page;  // lets browser tests trigger a refresh without waiting
    clock();
    fullscreen();
    page.schedule();
  });
})();
