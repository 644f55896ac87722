// Field report on a phone: pick a 小类 by searching, locate by GPS (or a tap on the map),
// preview the photos, and never send the same report twice from one page.
(function () {
  "use strict";

  function setupPicker() {
    var search = document.getElementById("category-search");
    var chosen = document.getElementById("category-chosen");
    var none = document.getElementById("category-none");
    var options = Array.prototype.slice.call(document.querySelectorAll(".cat-option"));
    var groups = Array.prototype.slice.call(document.querySelectorAll(".cat-group"));

    function showChoice() {
      var checked = document.querySelector(".cat-option input:checked");
      options.forEach(function (o) { o.classList.toggle("checked", o.contains(checked)); });
      if (!checked) { return; }
      var label = checked.closest(".cat-option");
      chosen.textContent = label.querySelector(".cat-name").textContent + " · " + checked.value;
      chosen.classList.remove("muted");
    }

    function filter() {
      var words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      options.forEach(function (o) {
        var text = o.dataset.search.toLowerCase();
        var match = words.every(function (w) { return text.indexOf(w) >= 0; });
        o.hidden = !match;
        if (match) { shown += 1; }
      });
      groups.forEach(function (g) { g.hidden = !g.querySelector(".cat-option:not([hidden])"); });
      if (none) { none.hidden = shown > 0; }
    }

    if (search) {
      search.addEventListener("input", filter);
      // Enter in the search box picks the only match instead of submitting the report.
      search.addEventListener("keydown", function (event) {
        if (event.key !== "Enter") { return; }
        event.preventDefault();
        var visible = options.filter(function (o) { return !o.hidden; });
        if (visible.length === 1) {
          visible[0].querySelector("input").checked = true;
          showChoice();
        }
      });
    }
    options.forEach(function (o) { o.querySelector("input").addEventListener("change", showChoice); });
    showChoice();
  }

  function setupLocation() {
    var el = document.getElementById("report-map");
    var lat = document.getElementById("lat");
    var lng = document.getElementById("lng");
    var status = document.getElementById("geo-status");
    var relocate = document.getElementById("relocate");
    var map = null, marker = null;

    if (el && typeof L !== "undefined" && window.CasesGeo) {
      map = CasesGeo.baseMap(el, { scrollWheelZoom: false });
      map.setView([32.63, 110.8], 9);
      CasesGeo.outlines(map, CasesGeo.readJson("outline-urls")).then(function (bounds) {
        if (bounds && !marker) { map.fitBounds(bounds, { padding: [8, 8], animate: false }); }
      });
      map.on("click", function (event) {
        place(event.latlng.lat, event.latlng.lng, true);
        status.textContent = status.dataset.picked;
      });
    }

    function place(latitude, longitude, fromMap) {
      lat.value = latitude.toFixed(6);
      lng.value = longitude.toFixed(6);
      if (!map) { return; }
      var point = [latitude, longitude];
      if (marker) { marker.setLatLng(point); }
      else {
        marker = L.marker(point, { draggable: true }).addTo(map);
        marker.on("dragend", function () {
          var p = marker.getLatLng();
          place(p.lat, p.lng, true);
          status.textContent = status.dataset.picked;
        });
      }
      // Without tiles only the outlines show where one is: stay far enough out to see them.
      var close = el.dataset.tileUrl ? 17 : 14;
      if (!fromMap) { map.setView(point, Math.max(map.getZoom(), close), { animate: false }); }
      el.dataset.point = lat.value + "," + lng.value;
    }

    function locate() {
      if (!navigator.geolocation) {
        status.textContent = status.dataset.unsupported;
        return;
      }
      status.textContent = status.dataset.locating;
      status.classList.remove("failed");
      navigator.geolocation.getCurrentPosition(function (position) {
        place(position.coords.latitude, position.coords.longitude, false);
        status.textContent = CasesGeo.format(status.dataset.located, { m: Math.round(position.coords.accuracy || 0) });
      }, function () {
        status.textContent = status.dataset.failed;
        status.classList.add("failed");
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 });
    }

    function typed() {
      var a = parseFloat(lat.value), b = parseFloat(lng.value);
      if (isFinite(a) && isFinite(b)) { place(a, b, false); }
    }
    lat.addEventListener("change", typed);
    lng.addEventListener("change", typed);
    if (relocate) { relocate.addEventListener("click", locate); }
    // A re-shown form keeps the point the reporter already chose.
    if (lat.value && lng.value) { typed(); } else { locate(); }
  }

  function setupPhotos() {
    var input = document.getElementById("photos");
    var preview = document.getElementById("photo-preview");
    if (!input || !preview) { return; }
    input.addEventListener("change", function () {
      preview.innerHTML = "";
      Array.prototype.forEach.call(input.files, function (file) {
        var item = document.createElement("li");
        var img = document.createElement("img");
        img.alt = file.name;
        img.src = URL.createObjectURL(file);
        img.onload = function () { URL.revokeObjectURL(img.src); };
        item.appendChild(img);
        preview.appendChild(item);
      });
    });
  }

  // Once a category and a point are known, ask for open cases of the kind nearby: the
  // reporter may follow one instead of filing the same problem again.
  function setupNearby() {
    var box = document.getElementById("nearby");
    var form = document.getElementById("report-form");
    if (!box || !form) { return; }
    var asked = "";
    function ask() {
      var checked = form.querySelector(".cat-option input:checked");
      var lat = document.getElementById("lat").value, lng = document.getElementById("lng").value;
      if (!checked || !lat || !lng) { return; }
      var query = new URLSearchParams({ category: checked.value, lat: lat, lng: lng }).toString();
      if (query === asked) { return; }
      asked = query;
      fetch(box.dataset.url + "?" + query, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) { box.innerHTML = html; box.hidden = !html.trim(); })
        .catch(function () { box.hidden = true; });
    }
    form.addEventListener("change", ask);
    document.getElementById("report-map").addEventListener("click", function () { window.setTimeout(ask, 0); });
    window.setInterval(ask, 3000);  // GPS fixes arrive without a change event
  }

  function setupSubmit() {
    var form = document.getElementById("report-form");
    var button = document.getElementById("report-submit");
    if (!form || !button) { return; }
    form.addEventListener("submit", function () {
      // Let this submission go, then block further taps while the upload runs.
      window.setTimeout(function () {
        button.disabled = true;
        button.textContent = button.dataset.busy;
      }, 0);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupPicker();
    setupLocation();
    setupPhotos();
    setupNearby();
    setupSubmit();
  });
})();
