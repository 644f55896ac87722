// Registry maps: the point list (markers coloured by point type), a point's own small
// map, and the point form's location picker. Uses the shared CasesGeo helpers.
(function () {
  "use strict";

  // Canvas circles stay fast with a city's few thousand points and keep each point's
  // colour, which clustering would hide.
  function marker(lat, lng, color, radius) {
    return L.circleMarker([lat, lng], {
      radius: radius || 7, color: "#fff", weight: 2, fillColor: color, fillOpacity: 0.95
    });
  }

  function listMap() {
    var el = document.getElementById("point-map");
    if (!el || typeof L === "undefined" || !window.CasesGeo) { return; }
    var map = CasesGeo.baseMap(el, { preferCanvas: true, scrollWheelZoom: false });
    map.setView([32.63, 110.8], 9);
    var counter = document.getElementById("point-map-count");
    var outlineBounds = null;
    var outlinesDrawn = CasesGeo.outlines(map, CasesGeo.readJson("outline-urls")).then(function (b) {
      outlineBounds = b;
    });
    var make = CasesGeo.make;

    function popup(p) {
      return make("div", "reg-popup",
        make("strong", null, p.name),
        make("span", "mono muted", p.code),
        p.active ? null : " ", p.active ? null : make("span", "tag", el.dataset.labelInactive),
        make("br"), el.dataset.labelType + ":" + (p.type_name || ""),
        make("br"), el.dataset.labelUnit + ":" + (p.unit || ""),
        make("br"), CasesGeo.link(p.url, el.dataset.labelOpen + " ›"));
    }

    CasesGeo.getJson(el.dataset.pointsUrl).then(function (data) {
      var layer = L.featureGroup();
      data.points.forEach(function (p) {
        marker(p.lat, p.lng, p.color)
          .bindPopup(function () { return popup(p); })
          .bindTooltip(function () { return make("span", null, p.name); })
          .addTo(layer);
      });
      layer.addTo(map);
      var text = CasesGeo.format(el.dataset.labelCount, { n: data.count });
      if (data.truncated) { text += " " + CasesGeo.format(el.dataset.labelTruncated, { n: data.count }); }
      if (counter) { counter.textContent = text; }
      outlinesDrawn.then(function () {
        if (data.points.length) {
          map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 15, animate: false });
        } else if (outlineBounds) {
          map.fitBounds(outlineBounds, { padding: [10, 10], animate: false });
        }
        el.dataset.loaded = String(data.count);
      });
    }).catch(function () {
      if (counter) { counter.textContent = ""; }
    });
  }

  function pointMap() {
    var el = document.getElementById("point-map-one");
    if (!el || typeof L === "undefined" || !window.CasesGeo) { return; }
    var lat = parseFloat(el.dataset.lat), lng = parseFloat(el.dataset.lng);
    var map = CasesGeo.baseMap(el, { scrollWheelZoom: false });
    var features = CasesGeo.readJson("point-features");
    var area = null;
    if (features && features.features.length && features.features[0].geometry) {
      area = L.geoJSON(features, {
        style: { color: "#059669", weight: 2, fillOpacity: 0.08 }, interactive: false
      });
    }
    // The view is set before any vector is added: one drawn at another zoom stays
    // clipped to that zoom's bounds until the next move.
    if (area) {
      map.fitBounds(area.getBounds().extend([lat, lng]), { padding: [16, 16], maxZoom: 17, animate: false });
      area.addTo(map);
    } else {
      map.setView([lat, lng], 15, { animate: false });
    }
    marker(lat, lng, el.dataset.color, 9).bindTooltip(CasesGeo.make("span", null, el.dataset.label || "")).addTo(map);
    el.dataset.ready = "1";
  }

  function formMap() {
    var el = document.getElementById("point-form-map");
    if (!el || typeof L === "undefined" || !window.CasesGeo) { return; }
    var latInput = document.getElementById("point-lat");
    var lngInput = document.getElementById("point-lng");
    var map = CasesGeo.baseMap(el, {});
    var pin = null;

    function current() {
      var lat = parseFloat(latInput.value), lng = parseFloat(lngInput.value);
      return isFinite(lat) && isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180 ? [lat, lng] : null;
    }

    function place(latlng) {
      if (!latlng) { return; }
      if (pin) { pin.setLatLng(latlng); } else { pin = marker(latlng[0], latlng[1], "#c0392b", 9).addTo(map); }
    }

    var start = current();
    if (start) { map.setView(start, 15, { animate: false }); } else { map.setView([32.63, 110.8], 9, { animate: false }); }
    place(start);
    CasesGeo.outlines(map, CasesGeo.readJson("outline-urls")).then(function (bounds) {
      if (!start && bounds) { map.fitBounds(bounds, { padding: [10, 10], animate: false }); }
      el.dataset.ready = "1";
    });

    map.on("click", function (event) {
      latInput.value = event.latlng.lat.toFixed(6);
      lngInput.value = event.latlng.lng.toFixed(6);
      place([event.latlng.lat, event.latlng.lng]);
    });
    [latInput, lngInput].forEach(function (input) {
      input.addEventListener("change", function () {
        var latlng = current();
        if (latlng) { place(latlng); map.panTo(latlng); }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    listMap();
    pointMap();
    formMap();
  });
})();
