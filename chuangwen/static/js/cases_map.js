// Case map: the cases in scope (same filters as the list) as clustered markers coloured
// by state and overdue light, or as a heat map.
(function () {
  "use strict";

  function pinClass(point) {
    if (point.overdue >= 2 && isOpen(point.status)) { return "pin-red"; }
    if (point.overdue === 1 && isOpen(point.status)) { return "pin-yellow"; }
    switch (point.status) {
      case "reported": case "registered": return "pin-new";
      case "dispatched": case "in_progress": return "pin-working";
      case "handled": return "pin-verify";
      default: return "pin-closed";
    }
  }

  function isOpen(status) {
    return ["reported", "registered", "dispatched", "in_progress", "handled"].indexOf(status) >= 0;
  }

  function queryOf(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (String(value).trim() !== "") { params.append(name, value); }
    });
    return params.toString();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("case-map-all");
    if (!el || typeof L === "undefined" || !window.CasesGeo) { return; }
    var map = CasesGeo.baseMap(el, {});
    map.setView([32.63, 110.8], 9);
    var form = document.getElementById("case-filters");
    var counter = document.getElementById("map-count");
    var listLink = document.getElementById("to-list");
    var mode = "markers";
    var clusters = null, heat = null, outlineBounds = null;

    var outlinesDrawn = CasesGeo.outlines(map, CasesGeo.readJson("outline-urls")).then(function (bounds) {
      outlineBounds = bounds;
      return bounds;
    });

    function popup(point) {
      var make = CasesGeo.make;
      return make("div", null,
        make("strong", "mono", point.code), make("br"),
        point.category + " · " + point.status_label, make("br"),
        CasesGeo.link(point.url, el.dataset.labelOpen + " ›"));
    }

    function show() {
      [clusters, heat].forEach(function (layer) { if (layer && map.hasLayer(layer)) { map.removeLayer(layer); } });
      var layer = mode === "heat" ? heat : clusters;
      if (layer) { layer.addTo(map); }
    }

    var latest = 0;
    function load(query) {
      var url = el.dataset.pointsUrl + (query ? "?" + query : "");
      var ticket = ++latest;
      return CasesGeo.getJson(url).then(function (data) {
        if (ticket !== latest) { return; }  // a newer filter is already on its way
        [clusters, heat].forEach(function (layer) { if (layer) { map.removeLayer(layer); } });
        clusters = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 });
        data.points.forEach(function (point) {
          var icon = L.divIcon({ className: "case-pin " + pinClass(point), iconSize: [16, 16] });
          clusters.addLayer(L.marker([point.lat, point.lng], { icon: icon, title: point.code }).bindPopup(function () { return popup(point); }));
        });
        heat = L.heatLayer(data.points.map(function (p) { return [p.lat, p.lng, 0.7]; }), { radius: 22, blur: 18, maxZoom: 16 });
        show();
        var text = CasesGeo.format(el.dataset.labelCount, { n: data.count });
        if (data.truncated) { text += " " + CasesGeo.format(el.dataset.labelTruncated, { n: data.count }); }
        counter.textContent = text;
        outlinesDrawn.then(function () {
          if (data.points.length) {
            // Not closer than a district's streets: a lone case stays among the outlines.
            map.fitBounds(clusters.getBounds(), { padding: [30, 30], maxZoom: 13, animate: false });
          } else if (outlineBounds) {
            map.fitBounds(outlineBounds, { padding: [10, 10], animate: false });
          }
          el.dataset.loaded = String(data.count);
        });
      });
    }

    document.querySelectorAll("[data-mode]").forEach(function (button) {
      button.addEventListener("click", function () {
        mode = button.dataset.mode;
        document.querySelectorAll("[data-mode]").forEach(function (b) {
          b.classList.toggle("active", b === button);
          b.setAttribute("aria-pressed", b === button ? "true" : "false");
        });
        el.dataset.mode = mode;
        show();
      });
    });

    // The map reloads its points in place; the address bar keeps the filter shareable.
    function refresh(event) {
      if (event) { event.preventDefault(); }
      var query = queryOf(form);
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
      if (listLink) { listLink.href = listLink.href.split("?")[0] + (query ? "?" + query : ""); }
      load(query);
    }
    if (form) {
      form.addEventListener("submit", refresh);
      form.addEventListener("change", refresh);
      var timer = null;
      form.querySelectorAll("input[type=search]").forEach(function (input) {
        input.addEventListener("input", function () {
          window.clearTimeout(timer);
          timer = window.setTimeout(refresh, 400);
        });
      });
    }
    load(form ? queryOf(form) : "");
  });
})();
