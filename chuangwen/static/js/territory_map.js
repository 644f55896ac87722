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

  // The chain of the clicked point, as elements (built afresh for each place it shows).
  function chainNode(el, data) {
    var make = CasesGeo.make;
    var list = make("dl", "chain-popup");
    ["district", "street", "community", "grid"].forEach(function (level) {
      var link = data[level];
      if (!link) { return; }
      list.appendChild(make("dt", null, el.dataset["label" + level.charAt(0).toUpperCase() + level.slice(1)]));
      list.appendChild(make("dd", null, link.name + " ", make("span", "muted", link.code)));
    });
    return make("div", null, make("strong", null, el.dataset.labelChain), list);
  }

  function outsideNode(el, body) {
    var make = CasesGeo.make;
    return make("div", null, make("strong", null, el.dataset.labelOutside), make("p", null, body.detail));
  }

  function getCookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("territory-map");
    if (!el || typeof L === "undefined" || !window.CasesGeo) { return; }
    var result = document.getElementById("locate-result");
    var map = L.map(el, { preferCanvas: true, zoomControl: true });
    el.leafletMap = map;  // lets browser tests and the console reach the map
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
    }
    var self = CasesGeo.readJson("node-feature");
    var outline = L.geoJSON(self, {
      style: { color: "#1f2933", weight: 2.5, fill: !!el.dataset.contextUrl, fillColor: "#f59e0b", fillOpacity: 0.25 },
      interactive: false
    }).addTo(map);
    if (self.geometry) { map.fitBounds(outline.getBounds(), { padding: [10, 10] }); }
    else { map.setView([32.63, 110.8], 10); }

    // Resolves with a function that builds the answer's elements.
    function locate(latlng) {
      var url = el.dataset.locateUrl + "?lat=" + latlng.lat.toFixed(6) + "&lng=" + latlng.lng.toFixed(6);
      return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json", "X-CSRFToken": getCookie("csrftoken") } })
        .then(function (response) {
          return response.json().then(function (body) { return { ok: response.ok, body: body }; });
        })
        .then(function (answer) {
          var build = function () { return answer.ok ? chainNode(el, answer.body) : outsideNode(el, answer.body); };
          if (result) { result.replaceChildren(build()); }
          return build;
        });
    }

    function showChain(event, head) {
      var popup = L.popup().setLatLng(event.latlng).setContent("…").openOn(map);
      locate(event.latlng).then(function (build) {
        popup.setContent(CasesGeo.make("div", null, head, build()));
      });
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
      featureLayer.bindTooltip(function () { return CasesGeo.make("span", null, f.properties.name); }, { sticky: true });
      featureLayer.on("click", function (event) {
        L.DomEvent.stopPropagation(event);
        var href = el.dataset.nodeUrlTemplate.replace("CODE", encodeURIComponent(f.properties.code));
        var head = CasesGeo.make("p", null,
          CasesGeo.make("strong", null, f.properties.name), " ",
          CasesGeo.link(href, el.dataset.labelEnter + " ›", "enter"));
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

    map.on("click", function (event) { showChain(event, null); });
  });
})();
