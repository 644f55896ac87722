// Territory browser: the current node's children on a Leaflet map, drill-down by click,
// and the territory chain of any clicked point from the locate API.
(function () {
  "use strict";

  var LEVEL_STYLE = {
    district: { color: "#c0392b", weight: 2, fillOpacity: 0.08 },
    street: { color: "#d35400", weight: 1.5, fillOpacity: 0.1 },
    community: { color: "#2563eb", weight: 1, fillOpacity: 0.1 },
    grid: { color: "#059669", weight: 1, fillOpacity: 0.12 }
  };
  var ZONE_STYLE = { color: "#4338ca", weight: 2, dashArray: "6 4", fillOpacity: 0.15 };
  var CONTEXT_STYLE = { color: "#94a3b8", weight: 1, fillOpacity: 0.04 };

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function chainHtml(el, data) {
    var rows = ["district", "street", "community", "grid"].map(function (level) {
      var link = data[level];
      if (!link) { return ""; }
      return "<dt>" + escapeHtml(el.dataset["label" + level.charAt(0).toUpperCase() + level.slice(1)]) +
        "</dt><dd>" + escapeHtml(link.name) + " <span class=\"muted\">" + escapeHtml(link.code) + "</span></dd>";
    }).join("");
    return "<strong>" + escapeHtml(el.dataset.labelChain) + "</strong><dl class=\"chain-popup\">" + rows + "</dl>";
  }

  function getCookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("territory-map");
    if (!el || typeof L === "undefined") { return; }
    var result = document.getElementById("locate-result");
    var map = L.map(el, { preferCanvas: true, zoomControl: true });
    el.leafletMap = map;  // lets browser tests and the console reach the map
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
    }
    var self = JSON.parse(document.getElementById("node-feature").textContent);
    var outline = L.geoJSON(self, {
      style: { color: "#1f2933", weight: 2.5, fill: !!el.dataset.contextUrl, fillColor: "#f59e0b", fillOpacity: 0.25 },
      interactive: false
    }).addTo(map);
    if (self.geometry) { map.fitBounds(outline.getBounds(), { padding: [10, 10] }); }
    else { map.setView([32.63, 110.8], 10); }

    function locate(latlng) {
      var url = el.dataset.locateUrl + "?lat=" + latlng.lat.toFixed(6) + "&lng=" + latlng.lng.toFixed(6);
      return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json", "X-CSRFToken": getCookie("csrftoken") } })
        .then(function (response) {
          return response.json().then(function (body) { return { ok: response.ok, body: body }; });
        })
        .then(function (answer) {
          var html = answer.ok ? chainHtml(el, answer.body)
            : "<strong>" + escapeHtml(el.dataset.labelOutside) + "</strong><p>" + escapeHtml(answer.body.detail) + "</p>";
          if (result) { result.innerHTML = html; }
          return html;
        });
    }

    function showChain(event, extraHtml) {
      var popup = L.popup().setLatLng(event.latlng).setContent("…").openOn(map);
      locate(event.latlng).then(function (html) { popup.setContent((extraHtml || "") + html); });
    }

    function getJson(url) {
      return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); });
    }

    // Siblings of a leaf node, faint, so a single grid is seen in its surroundings.
    if (el.dataset.contextUrl) {
      getJson(el.dataset.contextUrl).then(function (collection) {
        var siblings = collection.features.filter(function (f) { return f.properties.code !== el.dataset.node; });
        L.geoJSON({ type: "FeatureCollection", features: siblings }, {
          style: CONTEXT_STYLE,
          onEachFeature: bindFeature
        }).addTo(map).bringToBack();
      });
    }

    function bindFeature(f, featureLayer) {
      featureLayer.bindTooltip(f.properties.name, { sticky: true });
      featureLayer.on("click", function (event) {
        L.DomEvent.stopPropagation(event);
        var href = el.dataset.nodeUrlTemplate.replace("CODE", encodeURIComponent(f.properties.code));
        var head = "<p><strong>" + escapeHtml(f.properties.name) + "</strong> <a class=\"enter\" href=\"" + href + "\">" +
          escapeHtml(el.dataset.labelEnter) + " ›</a></p>";
        showChain(event, head);
      });
    }

    getJson(el.dataset.childrenUrl)
      .then(function (collection) {
        var layer = L.geoJSON(collection, {
          style: function (f) {
            return f.properties.kind === "zone" ? ZONE_STYLE : (LEVEL_STYLE[f.properties.level] || LEVEL_STYLE.grid);
          },
          onEachFeature: bindFeature
        }).addTo(map);
        // Zones are drawn over the district they lie in.
        layer.eachLayer(function (l) { if (l.feature.properties.kind === "zone") { l.bringToFront(); } });
        el.dataset.loaded = String(collection.features.length);
      });

    map.on("click", function (event) { showChain(event, ""); });
  });
})();
