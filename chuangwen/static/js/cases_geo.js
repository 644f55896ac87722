// Map helpers shared by the map pages: a base map with tiles only where the installation
// has a tile server, the outlines of the user's territory so a map without tiles still
// shows where things are, and the elements of tooltips and popups. Leaflet takes a string
// as HTML: names typed by people (territories, points, units, categories) go into
// elements as text instead, so a name never becomes markup.
(function () {
  "use strict";

  var OUTLINE_STYLE = { color: "#c0392b", weight: 1.5, fillColor: "#f59e0b", fillOpacity: 0.04 };

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(url + " answered " + response.status); }
        return response.json();
      });
  }

  var make = window.Dom.make;
  var link = window.Dom.link;

  // The Python side's "%(name)s" placeholders, so one translated string serves both.
  function format(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (_, name) {
      return values[name] == null ? "" : String(values[name]);
    });
  }

  function baseMap(el, options) {
    // maxZoom on the map itself: without a tile layer Leaflet has none, and clustering
    // needs one.
    var map = L.map(el, Object.assign({ zoomControl: true, maxZoom: 19 }, options || {}));
    el.leafletMap = map;  // lets browser tests and the console reach the map
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
    }
    return map;
  }

  // Draws every collection behind everything else; resolves with the bounds drawn.
  function outlines(map, urls) {
    var group = L.featureGroup().addTo(map);
    var loads = (urls || []).map(function (url) {
      return getJson(url).then(function (collection) {
        L.geoJSON(collection, {
          style: OUTLINE_STYLE,
          interactive: false
        }).addTo(group);
      }).catch(function () { /* an outline is decoration: the map works without it */ });
    });
    return Promise.all(loads).then(function () {
      group.bringToBack();
      return group.getLayers().length ? group.getBounds() : null;
    });
  }

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  window.CasesGeo = {
    getJson: getJson,
    make: make,
    link: link,
    format: format,
    baseMap: baseMap,
    outlines: outlines,
    readJson: readJson
  };
})();
