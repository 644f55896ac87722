// The citizen portal: the report form (category search, map and GPS, photos, nearby
// duplicates, checks before the upload), the copyable tracking code and the public map.
// Every text comes from the page (data-* attributes), so it is translated with the page.
(function () {
  "use strict";

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $$(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  function cssVar(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }
  function format(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (_, key) {
      return values[key] == null ? "" : String(values[key]);
    });
  }

  function setupLanguage() {
    $$("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  // -- map helpers ---------------------------------------------------------------------------
  function newMap(el, options) {
    var map = window.CasesGeo ? CasesGeo.baseMap(el, options) : L.map(el, options);
    var centre = (el.dataset.centre || "").split(",").map(parseFloat);
    if (centre.length === 2 && isFinite(centre[0]) && isFinite(centre[1])) {
      map.setView(centre, 9);
    } else {
      map.setView([0, 0], 2);
    }
    return map;
  }

  function outline(map, el) {
    if (!window.CasesGeo || !el.dataset.outlineUrl) { return Promise.resolve(null); }
    return CasesGeo.outlines(map, [el.dataset.outlineUrl]);
  }

  // -- report: category ------------------------------------------------------------------------
  function setupPicker(form) {
    var search = $("#category-search", form);
    var chosen = $("#category-chosen", form);
    var none = $("#category-none", form);
    var options = $$(".p-option", form);
    var groups = $$(".p-group", form);

    function showChoice() {
      var checked = $(".p-option input:checked", form);
      if (!checked) { return; }
      chosen.textContent = chosen.dataset.prefix + checked.dataset.name;
      chosen.classList.remove("p-muted");
      hideError("category");
    }

    function filter() {
      var words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      options.forEach(function (option) {
        var text = option.dataset.search;
        var match = words.every(function (w) { return text.indexOf(w) >= 0; });
        option.hidden = !match;
        if (match) { shown += 1; }
      });
      groups.forEach(function (group) {
        var any = !!$(".p-option:not([hidden])", group);
        group.hidden = !any;
        if (words.length) { group.open = any; }
      });
      if (!words.length) {
        groups.forEach(function (group) { group.open = !!$("input:checked", group); });
      }
      none.hidden = shown > 0;
    }

    if (search) {
      search.addEventListener("input", filter);
      // Enter in the search box picks the only match instead of sending the form.
      search.addEventListener("keydown", function (event) {
        if (event.key !== "Enter") { return; }
        event.preventDefault();
        var visible = options.filter(function (o) { return !o.hidden; });
        var codes = visible.map(function (o) { return $("input", o).value; });
        if (visible.length && codes.every(function (c) { return c === codes[0]; })) {
          $("input", visible[0]).checked = true;
          showChoice();
          form.dispatchEvent(new Event("change"));
        }
      });
      // Words typed before this script ran (a slow connection) still filter the list.
      if (search.value.trim()) { filter(); }
    }
    options.forEach(function (option) { $("input", option).addEventListener("change", showChoice); });
  }

  // -- report: place -----------------------------------------------------------------------------
  function setupPlace(form, onPlaced) {
    var el = $("#report-map", form);
    var lat = $("#lat", form), lng = $("#lng", form);
    var status = $("#geo-status", form);
    var button = $("#locate", form);
    var map = null, marker = null, framed = false;
    if (!el || typeof L === "undefined") { return; }

    map = newMap(el, { scrollWheelZoom: false, tap: true });
    outline(map, el).then(function (bounds) {
      if (bounds && !marker && !framed) { map.fitBounds(bounds, { padding: [8, 8], animate: false }); }
    });

    // byHand: the citizen chose this point now (not a point the page came back with).
    function place(latitude, longitude, moveView, byHand) {
      lat.value = latitude.toFixed(6);
      lng.value = longitude.toFixed(6);
      var point = [latitude, longitude];
      if (marker) { marker.setLatLng(point); }
      else {
        marker = L.marker(point, { draggable: true, keyboard: true }).addTo(map);
        marker.on("dragend", function () {
          var p = marker.getLatLng();
          place(p.lat, p.lng, false, true);
          status.textContent = status.dataset.picked;
        });
      }
      if (moveView) {
        framed = true;
        // Without tiles only the outlines show where one is: stay far enough out to see them.
        map.setView(point, Math.max(map.getZoom(), el.dataset.tileUrl ? 17 : 13), { animate: false });
      }
      el.dataset.point = lat.value + "," + lng.value;
      if (byHand) { hideError("place"); }
      onPlaced();
    }

    map.on("click", function (event) {
      place(event.latlng.lat, event.latlng.lng, false, true);
      status.textContent = status.dataset.picked;
      status.classList.remove("p-failed");
    });

    function locate() {
      if (!navigator.geolocation) {
        status.textContent = status.dataset.unsupported;
        status.classList.add("p-failed");
        return;
      }
      status.textContent = status.dataset.locating;
      status.classList.remove("p-failed");
      navigator.geolocation.getCurrentPosition(function (position) {
        place(position.coords.latitude, position.coords.longitude, true, true);
        status.textContent = format(status.dataset.located, { m: Math.round(position.coords.accuracy || 0) });
      }, function () {
        status.textContent = status.dataset.failed;
        status.classList.add("p-failed");
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 });
    }
    button.addEventListener("click", locate);

    var a = parseFloat(lat.value), b = parseFloat(lng.value);
    if (isFinite(a) && isFinite(b)) {
      place(a, b, true, false);  // a re-shown form keeps the point already chosen
    } else if (navigator.permissions && navigator.geolocation) {
      // Locate at once only where the citizen already allowed it; otherwise the button asks.
      navigator.permissions.query({ name: "geolocation" }).then(function (result) {
        if (result.state === "granted" && !lat.value) { locate(); }
      }).catch(function () {});
    }
  }

  // -- report: photos ----------------------------------------------------------------------------
  // The camera gives one picture per tap: the pictures of both buttons are gathered into
  // the one input that is sent, where the browser lets a page set an input's files.
  function canSetFiles() {
    try { return typeof DataTransfer === "function" && !!new DataTransfer().items; } catch (e) { return false; }
  }

  function setupPhotos(form) {
    var camera = $("#photos", form);
    var album = $("#photos-album", form);
    var preview = $("#photo-preview", form);
    var max = parseInt(form.dataset.maxPhotos, 10);
    if (!camera) { return function () { return 0; }; }
    var merging = canSetFiles();
    var chosen = [];

    function count() {
      return merging ? chosen.length : camera.files.length + (album ? album.files.length : 0);
    }

    function check() {
      if (count() > max) { showError("photos", form.dataset.msgTooMany); }
      else if (count()) { hideError("photos"); }
    }

    function show(files) {
      preview.innerHTML = "";
      files.forEach(function (file, index) {
        var item = document.createElement("li");
        var img = document.createElement("img");
        img.alt = file.name;
        img.src = URL.createObjectURL(file);
        img.onload = function () { URL.revokeObjectURL(img.src); };
        item.appendChild(img);
        if (merging) {
          var remove = document.createElement("button");
          remove.type = "button";
          remove.textContent = "×";
          remove.setAttribute("aria-label", preview.dataset.remove);
          remove.addEventListener("click", function () {
            chosen.splice(index, 1);
            sync();
          });
          item.appendChild(remove);
        }
        preview.appendChild(item);
      });
      check();
    }

    function sync() {
      var transfer = new DataTransfer();
      chosen.forEach(function (file) { transfer.items.add(file); });
      camera.files = transfer.files;
      show(chosen);
    }

    function added(input) {
      if (!merging) {
        show(Array.prototype.slice.call(camera.files).concat(album ? Array.prototype.slice.call(album.files) : []));
        return;
      }
      Array.prototype.forEach.call(input.files, function (file) { chosen.push(file); });
      if (input === album) { album.value = ""; }
      sync();
    }

    if (merging && album) { album.removeAttribute("name"); }  // its pictures travel in #photos
    camera.addEventListener("change", function () { added(camera); });
    if (album) { album.addEventListener("change", function () { added(album); }); }
    return count;
  }

  // -- report: nearby duplicates -----------------------------------------------------------------
  function setupNearby(form) {
    var box = $("#nearby", form);
    var asked = "", dismissed = "";
    function ask() {
      var checked = $(".p-option input:checked", form);
      var lat = $("#lat", form).value, lng = $("#lng", form).value;
      if (!box || !checked || !lat || !lng) { return; }
      var query = new URLSearchParams({ category: checked.value, lat: lat, lng: lng }).toString();
      if (query === asked) { return; }
      asked = query;
      fetch(box.dataset.url + "?" + query, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          if (query !== asked) { return; }  // a newer question was asked meanwhile
          box.innerHTML = html;
          box.hidden = !html.trim() || query === dismissed;
        })
        .catch(function () { box.hidden = true; });
    }
    if (box) {
      box.addEventListener("click", function (event) {
        if (!event.target.closest("[data-not-duplicate]")) { return; }
        dismissed = asked;
        box.hidden = true;
        $("#step-photos", form).scrollIntoView({ behavior: "smooth", block: "start" });
      });
    }
    form.addEventListener("change", ask);
    return ask;
  }

  // -- report: checks before sending -------------------------------------------------------------
  function showError(name, message) {
    var el = document.getElementById(name + "-error");
    if (!el) { return; }
    el.textContent = message;
    el.hidden = false;
    var section = el.closest(".p-step");
    if (section) { section.classList.add("p-has-error"); }
  }

  function hideError(name) {
    var el = document.getElementById(name + "-error");
    if (!el || el.hidden) { return; }
    el.hidden = true;
    var section = el.closest(".p-step");
    if (section && !$(".p-field-error:not([hidden])", section)) { section.classList.remove("p-has-error"); }
  }

  function setupSubmit(form, photoCount) {
    var phone = $("#reporter_phone", form);
    var description = $("#description", form);
    phone.addEventListener("input", function () { phone.removeAttribute("aria-invalid"); hideError("phone"); });
    description.addEventListener("input", function () { hideError("description"); });

    // Which button sent the form, for browsers without SubmitEvent.submitter.
    var pressed = null;
    form.addEventListener("click", function (event) {
      var button = event.target.closest("button[type=submit]");
      if (button) { pressed = button; }
    });

    form.addEventListener("submit", function (event) {
      var submitter = event.submitter || pressed;
      var following = !!submitter && submitter.name === "follow_case_id";
      var photos = photoCount();
      var number = phone.value.replace(/[\s\-()]/g, "").replace(/^(\+86|86(?=\d{11}$))/, "");
      var problems = [];
      if (!$(".p-option input:checked", form)) { problems.push(["category", form.dataset.msgCategory]); }
      if (!$("#lat", form).value) { problems.push(["place", form.dataset.msgPlace]); }
      if (!following && !photos) { problems.push(["photos", form.dataset.msgPhotos]); }
      if (photos > parseInt(form.dataset.maxPhotos, 10)) { problems.push(["photos", form.dataset.msgTooMany]); }
      if (!following && !description.value.trim()) { problems.push(["description", form.dataset.msgDescription]); }
      if (!/^1[3-9]\d{9}$/.test(number)) { problems.push(["phone", form.dataset.msgPhone]); }
      if (problems.length) {
        event.preventDefault();
        problems.forEach(function (p) { showError(p[0], p[1]); });
        if (problems.some(function (p) { return p[0] === "phone"; })) { phone.setAttribute("aria-invalid", "true"); }
        var first = document.getElementById(problems[0][0] + "-error").closest(".p-step");
        first.scrollIntoView({ behavior: "smooth", block: "start" });
        return;
      }
      // Let this submission go, then stop further taps while the photos upload.
      window.setTimeout(function () {
        $$("button[type=submit]", form).forEach(function (b) { b.disabled = true; });
        var main = $("#report-submit", form);
        main.textContent = main.dataset.busy;
      }, 0);
    });
  }

  function setupReport() {
    var form = $("#report-form");
    if (!form) { return; }
    setupPicker(form);
    var ask = setupNearby(form);
    setupPlace(form, ask);
    setupSubmit(form, setupPhotos(form));
    var errors = $("#report-errors");
    if (errors) { errors.focus(); }
  }

  // -- receipt: copy the code --------------------------------------------------------------------
  function setupCopy() {
    $$("[data-copy]").forEach(function (button) {
      var label = button.textContent;
      function done(text) {
        button.textContent = text;
        window.setTimeout(function () { button.textContent = label; }, 2500);
      }
      button.addEventListener("click", function () {
        var text = button.dataset.copy;
        var fallback = function () {
          // Plain http (no clipboard API): select the code and use the old command.
          var node = $("#tracking-code");
          var range = document.createRange();
          range.selectNodeContents(node);
          var selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          var ok = false;
          try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
          done(ok ? button.dataset.copied : button.dataset.failed);
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(function () { done(button.dataset.copied); }, fallback);
        } else {
          fallback();
        }
      });
    });
  }

  // -- the public map ----------------------------------------------------------------------------
  function setupPublicMap() {
    var el = $("#public-map");
    if (!el || typeof L === "undefined" || !window.CasesGeo) { return; }
    var count = $("#map-count");
    var map = newMap(el, {});
    var colours = {
      waiting: cssVar("--s-waiting"),
      working: cssVar("--s-working"),
      checking: cssVar("--s-checking"),
      closed: cssVar("--s-closed")
    };
    var outlined = outline(map, el);
    var loaded = fetch(el.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      });
    Promise.all([outlined, loaded]).then(function (results) {
      var bounds = results[0], data = results[1];
      var layer = L.featureGroup().addTo(map);
      var make = CasesGeo.make;
      function popup(p) {
        return make("div", "p-popup",
          make("strong", null, p.category),
          make("span", null, p.status_label + " · " + (p.place || "")),
          make("span", null, el.dataset.reported + " " + p.reported_at),
          p.closed_at ? make("span", null, el.dataset.closed + " " + p.closed_at) : null);
      }
      data.points.forEach(function (p) {
        var colour = colours[p.group] || "#64748b";
        L.circleMarker([p.lat, p.lng], {
          radius: 8, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 0.9
        }).bindPopup(function () { return popup(p); }).addTo(layer);
      });
      count.textContent = data.count ? format(el.dataset.count, { n: data.count }) : el.dataset.empty;
      // Without tiles the district outlines are all there is to recognise: keep them in view.
      if (data.count && (el.dataset.tileUrl || !bounds)) {
        map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 15, animate: false });
      } else if (bounds) {
        map.fitBounds(bounds, { padding: [8, 8], animate: false });
      }
    }).catch(function () {
      count.textContent = el.dataset.failed;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupLanguage();
    setupReport();
    setupCopy();
    setupPublicMap();
  });
})();
