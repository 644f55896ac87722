// Case page: the small location map and the ticking deadline countdown.
(function () {
  "use strict";

  function drawMap() {
    var el = document.getElementById("case-map");
    if (!el || typeof L === "undefined" || !window.CasesGeo) { return; }
    var lat = parseFloat(el.dataset.lat), lng = parseFloat(el.dataset.lng);
    var map = CasesGeo.baseMap(el, { scrollWheelZoom: false });
    var features = CasesGeo.readJson("case-features");
    var area = null, grid = null;
    if (features && features.features.length) {
      area = L.geoJSON(features, {
        style: function (f) {
          return f.properties.level === "grid"
            ? { color: "#059669", weight: 2, fillOpacity: 0.1 }
            : { color: "#94a3b8", weight: 1, fillOpacity: 0.03 };
        },
        interactive: false
      });
      area.eachLayer(function (layer) { if (layer.feature.properties.level === "grid") { grid = layer; } });
    }
    // The view is set, without animation, before any vector is added: a vector drawn at
    // another zoom stays clipped to that zoom's bounds until the next move.
    if (grid) {
      map.fitBounds(grid.getBounds().extend([lat, lng]), { padding: [16, 16], maxZoom: 17, animate: false });
    } else {
      map.setView([lat, lng], 15, { animate: false });
    }
    if (area) { area.addTo(map); }
    var pin = L.divIcon({ className: "case-pin pin-here", iconSize: [18, 18] });
    L.marker([lat, lng], { icon: pin, keyboard: false, title: el.dataset.label || "" }).addTo(map);
    el.dataset.ready = "1";
  }

  // Only continuous clocks tick: a working-time clock stands still at night and on
  // holidays, and the server's figure already says how much working time is left.
  function tick() {
    var el = document.getElementById("countdown");
    if (!el || el.dataset.continuous !== "1" || !window.CasesGeo) { return; }
    var start = Date.now();
    var minutes = parseFloat(el.dataset.minutes);
    var text = el.querySelector(".countdown-text");
    function render() {
      var left = minutes - (Date.now() - start) / 60000;
      var total = Math.floor(Math.abs(left));
      var hours = Math.floor(total / 60), mins = total % 60, body;
      if (hours >= 24) {
        body = CasesGeo.format(el.dataset.fmtD, { d: Math.floor(hours / 24), h: hours % 24, m: mins });
      } else if (hours) {
        body = CasesGeo.format(el.dataset.fmtH, { h: hours, m: mins });
      } else {
        body = CasesGeo.format(el.dataset.fmtM, { m: mins });
      }
      el.classList.toggle("late", left < 0);
      text.textContent = CasesGeo.format(left < 0 ? el.dataset.late : el.dataset.left, { time: body });
    }
    window.setInterval(render, 30000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawMap();
    tick();
  });
})();
