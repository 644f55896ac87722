// The inspector's field pages (现场测评). Inspectors work where the network comes and goes,
// so nothing they enter lives only in the page: every change goes to IndexedDB at once
// (the draft, and each photo as a Blob), and a finished submission goes to an outbox
// that is sent — photos first, then the results — whenever the page can reach the server.
// The server takes a submission once per submission_key, so sending again after a lost
// answer is harmless.
(function () {
  "use strict";

  var DB_NAME = "chuangwen-field";
  var DB_VERSION = 1;
  var RETRY_MS = 30000;
  var PHOTO_TIMEOUT_MS = 120000;
  var SUBMIT_TIMEOUT_MS = 45000;

  // -- small helpers ------------------------------------------------------------------------
  function $(selector, root) { return (root || document).querySelector(selector); }
  function $$(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  var LABELS = {};
  // The Python side's "%(name)s" placeholders, so one translated string serves both.
  function t(name, values) {
    return String(LABELS[name] || name).replace(/%\((\w+)\)s/g, function (_, key) {
      return values && values[key] != null ? String(values[key]) : "";
    });
  }

  function newKey() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    // Older browsers: 128 random bits from getRandomValues, else Math.random.
    var bytes = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) { window.crypto.getRandomValues(bytes); }
    else { for (var i = 0; i < 16; i++) { bytes[i] = Math.floor(Math.random() * 256); } }
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  // Flat projection, as the server measures (chuangwen/cases/duplicates.py distance_m).
  function distanceM(lat1, lng1, lat2, lng2) {
    var perDegree = 111320;
    var dy = (lat2 - lat1) * perDegree;
    var dx = (lng2 - lng1) * perDegree * Math.cos(((lat1 + lat2) / 2) * Math.PI / 180);
    return Math.sqrt(dx * dx + dy * dy);
  }

  function distanceText(metres) {
    if (metres < 1000) { return t("metres", { n: Math.round(metres) }); }
    return t("kilometres", { n: (metres / 1000).toFixed(metres < 10000 ? 1 : 0) });
  }

  function clock(iso) {
    var d = iso ? new Date(iso) : new Date();
    if (isNaN(d.getTime())) { return ""; }
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return (d.getMonth() + 1) + "-" + two(d.getDate()) + " " + two(d.getHours()) + ":" + two(d.getMinutes());
  }

  // Points as whole hundredths: the checklist's decimals add up exactly, as on the server.
  function cents(text) { return Math.round(parseFloat(text || "0") * 100); }
  function pointsText(value) {
    var text = (value / 100).toFixed(2);
    return text.replace(/\.?0+$/, "");
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var input = $("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function emit(name, detail) {
    document.dispatchEvent(new CustomEvent(name, { detail: detail }));
  }

  // -- IndexedDB ----------------------------------------------------------------------------
  // drafts: one per user and inspection (the form as it stands);
  // photos: one Blob per picture, with the server's id once uploaded;
  // outbox: one finished submission per user and inspection, until the server has it.
  var dbPromise = null;
  function openDb() {
    if (dbPromise) { return dbPromise; }
    dbPromise = new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("IndexedDB unavailable")); return; }
      var request;
      try { request = window.indexedDB.open(DB_NAME, DB_VERSION); } catch (e) { reject(e); return; }
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains("drafts")) { db.createObjectStore("drafts", { keyPath: "id" }); }
        if (!db.objectStoreNames.contains("photos")) {
          db.createObjectStore("photos", { keyPath: "key" }).createIndex("owner", "owner", { unique: false });
        }
        if (!db.objectStoreNames.contains("outbox")) { db.createObjectStore("outbox", { keyPath: "id" }); }
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error || new Error("IndexedDB refused")); };
    });
    return dbPromise;
  }

  function run(storeName, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName, mode);
        var result;
        var request = work(tx.objectStore(storeName));
        if (request) { request.onsuccess = function () { result = request.result; }; }
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error || new Error("transaction aborted")); };
      });
    });
  }

  var db = {
    get: function (store, key) { return run(store, "readonly", function (s) { return s.get(key); }); },
    put: function (store, value) { return run(store, "readwrite", function (s) { return s.put(value); }); },
    remove: function (store, key) { return run(store, "readwrite", function (s) { return s["delete"](key); }); },
    all: function (store) { return run(store, "readonly", function (s) { return s.getAll(); }); },
    photosOf: function (owner) {
      return run("photos", "readonly", function (s) { return s.index("owner").getAll(owner); });
    },
    forget: function (owner) {
      // Draft, photos and outbox entry of one inspection, in one transaction.
      return openDb().then(function (handle) {
        return new Promise(function (resolve, reject) {
          var tx = handle.transaction(["drafts", "photos", "outbox"], "readwrite");
          tx.objectStore("drafts")["delete"](owner);
          tx.objectStore("outbox")["delete"](owner);
          var cursor = tx.objectStore("photos").index("owner").openKeyCursor(IDBKeyRange.only(owner));
          cursor.onsuccess = function () {
            var c = cursor.result;
            if (c) { tx.objectStore("photos")["delete"](c.primaryKey); c["continue"](); }
          };
          tx.oncomplete = function () { resolve(); };
          tx.onerror = function () { reject(tx.error); };
        });
      });
    }
  };

  function ownerKey(user, inspection) { return "u" + user + "-i" + inspection; }

  // -- sending ------------------------------------------------------------------------------
  // Every answer is sorted into three kinds: "ok"; "refused" (a 4xx with the service's
  // message: the inspector has to change something); "retry" (offline, a network error,
  // a timeout, a 5xx, an expired session, or anything else that is not an answer).
  function post(url, body, timeoutMs) {
    if (navigator.onLine === false) { return Promise.resolve({ kind: "retry", reason: "offline" }); }
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = controller ? window.setTimeout(function () { controller.abort(); }, timeoutMs) : null;
    var headers = { "X-CSRFToken": csrfToken(), "Accept": "application/json", "X-Requested-With": "XMLHttpRequest" };
    if (typeof body === "string") { headers["Content-Type"] = "application/json"; }
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: headers,
      body: body,
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      return response.text().then(function (text) {
        var data = null;
        try { data = JSON.parse(text); } catch (e) { data = null; }
        if (response.ok && data) { return { kind: "ok", data: data }; }
        if (response.status === 401) { return { kind: "retry", reason: "login" }; }
        if (response.status >= 400 && response.status < 500 && data && data.detail) {
          return { kind: "refused", status: response.status, message: data.detail, field: data.field || "" };
        }
        return { kind: "retry", reason: response.status >= 500 ? "server" : "unexpected" };
      });
    }, function () {
      return { kind: "retry", reason: navigator.onLine === false ? "offline" : "network" };
    }).then(function (outcome) {
      if (timer) { window.clearTimeout(timer); }
      return outcome;
    });
  }

  function uploadPhoto(url, record) {
    var form = new FormData();
    var type = record.type || (record.blob && record.blob.type) || "image/jpeg";
    var name = record.name || ("photo." + (type.split("/")[1] || "jpg"));
    form.append("photo", record.blob, name);
    return post(url, form, PHOTO_TIMEOUT_MS);
  }

  function sendEntry(entry) {
    emit("ef:sending", { entry: entry });
    entry.attempts = (entry.attempts || 0) + 1;
    entry.triedAt = new Date().toISOString();
    return db.put("outbox", entry).then(function () {
      return db.photosOf(entry.id);
    }).then(function (records) {
      var byKey = {};
      records.forEach(function (r) { byKey[r.key] = r; });
      var wanted = [];
      entry.results.forEach(function (r) { (r.photos || []).forEach(function (key) { wanted.push(key); }); });
      var missing = wanted.filter(function (key) { return !byKey[key]; });
      if (missing.length) {
        return { kind: "refused", message: t("photo_lost"), field: "results" };
      }
      var toUpload = wanted.filter(function (key) { return !byKey[key].serverId; });
      var done = 0;
      // One at a time, each id stored as soon as it is known: a retry resumes where the
      // connection broke and never uploads a picture twice.
      function next() {
        if (!toUpload.length) { return Promise.resolve(null); }
        var record = byKey[toUpload.shift()];
        emit("ef:progress", { entry: entry, done: done, total: done + toUpload.length + 1 });
        return uploadPhoto(entry.photoUrl, record).then(function (outcome) {
          if (outcome.kind === "ok") {
            record.serverId = outcome.data.id;
            record.error = "";
            done += 1;
            return db.put("photos", record).then(next);
          }
          if (outcome.kind === "refused") {
            record.error = outcome.message;
            return db.put("photos", record).then(function () {
              return { kind: "refused", message: t("photo_refused", { name: record.name || "", error: outcome.message }), field: "photos", photo: record.key };
            });
          }
          return outcome;
        });
      }
      return next().then(function (stopped) {
        if (stopped) { return stopped; }
        var body = JSON.stringify({
          submission_key: entry.key,
          results: entry.results.map(function (r) {
            return {
              item_id: r.item_id,
              result: r.result,
              occurrences: r.occurrences,
              note: r.note,
              photo_ids: (r.photos || []).map(function (key) { return byKey[key].serverId; })
            };
          }),
          checkin: entry.checkin,
          note: entry.note
        });
        return post(entry.submitUrl, body, SUBMIT_TIMEOUT_MS);
      });
    }).then(function (outcome) {
      if (outcome.kind === "ok") {
        return db.forget(entry.id).then(function () {
          emit("ef:sent", { entry: entry, data: outcome.data });
          return outcome;
        });
      }
      if (outcome.kind === "refused") {
        // Back to the form: the draft still holds every answer; it carries the message.
        return db.get("drafts", entry.id).then(function (draft) {
          var writes = [db.remove("outbox", entry.id)];
          if (draft) {
            draft.error = { message: outcome.message, field: outcome.field || "", at: new Date().toISOString() };
            writes.push(db.put("drafts", draft));
          }
          return Promise.all(writes);
        }).then(function () {
          emit("ef:refused", { entry: entry, message: outcome.message, field: outcome.field, photo: outcome.photo });
          return outcome;
        });
      }
      entry.reason = outcome.reason;
      return db.put("outbox", entry).then(function () {
        emit("ef:waiting", { entry: entry, reason: outcome.reason });
        return outcome;
      });
    });
  }

  var flushing = null;
  var again = false;
  function flush(user) {
    if (flushing) {
      // A submission queued while a round is under way may have been read too late for
      // it: one more round follows.
      again = true;
      return flushing;
    }
    function work() {
      return db.all("outbox").then(function (entries) {
        var mine = entries.filter(function (e) { return String(e.user) === String(user); })
          .sort(function (a, b) { return a.queuedAt < b.queuedAt ? -1 : 1; });
        var chain = Promise.resolve();
        var stop = false;
        mine.forEach(function (entry) {
          chain = chain.then(function () {
            if (stop) { return null; }
            // Fresh from the store: another tab may have sent or withdrawn it meanwhile.
            return db.get("outbox", entry.id).then(function (current) {
              if (!current) { return null; }
              return sendEntry(current).then(function (outcome) {
                // No network for one means none for the next either.
                if (outcome.kind === "retry") { stop = true; }
              });
            });
          });
        });
        return chain;
      });
    }
    // Two tabs of the same inspector must not send the same entry at once.
    var locked = navigator.locks && navigator.locks.request
      ? navigator.locks.request("chuangwen-field-outbox", work)
      : work();
    flushing = Promise.resolve(locked).catch(function () {}).then(function () {
      flushing = null;
      if (again) {
        again = false;
        return flush(user);
      }
    });
    return flushing;
  }

  function keepSending(user) {
    flush(user);
    window.addEventListener("online", function () { flush(user); });
    window.setInterval(function () { flush(user); }, RETRY_MS);
  }

  function waitingText(reason) {
    return reason === "login" ? t("waiting_login") : t("saved_offline");
  }

  // Outcomes of entries the page itself is not showing (another inspection's queued
  // submission, sent from this page): a line each in the page's notice area.
  function showNotices(box, skip) {
    if (!box) { return; }
    function add(className) {
      box.appendChild(make.apply(null, ["p", "ef-notice " + className].concat(Array.prototype.slice.call(arguments, 1))));
    }
    document.addEventListener("ef:sent", function (event) {
      var entry = event.detail.entry;
      if (skip && skip(entry)) { return; }
      var data = event.detail.data;
      var text = t("sent_item", { name: entry.name, score: pointsText(cents(data.score)) + " / " + pointsText(cents(data.max)) });
      if (data.cases && data.cases.length) { text += " " + t("cases_opened", { codes: data.cases.join("、") }); }
      add("ok", text);
    });
    document.addEventListener("ef:refused", function (event) {
      var entry = event.detail.entry;
      if (skip && skip(entry)) { return; }
      add("bad", t("refused_item", { name: entry.name, error: event.detail.message }) + " ",
        link(entry.pageUrl, t("open_to_fix") + " ›"));
    });
  }

  var make = window.Dom.make;
  var link = window.Dom.link;

  function baseMap(el) {
    if (typeof L === "undefined") { return null; }
    if (window.CasesGeo) { return window.CasesGeo.baseMap(el, {}); }
    var map = L.map(el, { maxZoom: 19 });
    el.leafletMap = map;
    return map;
  }

  function pin(className) {
    return L.divIcon({ className: "ef-pin " + className, iconSize: [18, 18] });
  }

  // -- 我的测评任务 -------------------------------------------------------------------------
  function homePage(root) {
    var user = root.dataset.user;
    var outbox = $("#ef-outbox", root);
    var list = $(".ef-outbox-list", outbox);
    var notices = $("#ef-notices", root);
    var tasks = {};
    $$(".ef-task[data-inspection]", root).forEach(function (li) { tasks[li.dataset.inspection] = li; });

    function renderOutbox() {
      return db.all("outbox").then(function (entries) {
        var mine = entries.filter(function (e) { return String(e.user) === String(user); });
        list.replaceChildren();
        mine.forEach(function (entry) {
          var state = make("span", "ef-outbox-state", entry.triedAt ? waitingText(entry.reason) : t("pending"));
          state.dataset.state = "";
          var a = link(entry.pageUrl, null);
          a.appendChild(make("strong", null, entry.name));
          var li = make("li", null, a, make("span", "muted", " · " + t("queued_at", { t: clock(entry.queuedAt) })), state);
          li.dataset.entry = entry.id;
          list.appendChild(li);
        });
        outbox.hidden = !mine.length;
        Object.keys(tasks).forEach(function (id) {
          var slot = $("[data-local]", tasks[id]);
          if (slot && slot.dataset.kind === "pending") { slot.textContent = ""; slot.dataset.kind = ""; }
        });
        mine.forEach(function (entry) {
          var li = tasks[String(entry.inspection)];
          var slot = li && $("[data-local]", li);
          if (slot) { slot.textContent = t("pending"); slot.className = "ef-local pending"; slot.dataset.kind = "pending"; }
        });
      });
    }

    function markDrafts() {
      return db.all("drafts").then(function (drafts) {
        drafts.forEach(function (draft) {
          if (String(draft.user) !== String(user)) { return; }
          var li = tasks[String(draft.inspection)];
          var slot = li && $("[data-local]", li);
          var answered = Object.keys(draft.answers || {}).filter(function (k) { return draft.answers[k].result; }).length;
          if (slot && !slot.dataset.kind && (answered || draft.checkin)) {
            slot.textContent = t("draft");
            slot.className = "ef-local draft";
            slot.dataset.kind = "draft";
          }
        });
      });
    }

    function rowFor(entry) { return $("[data-entry=\"" + entry.id + "\"]", list); }

    document.addEventListener("ef:sending", function (event) {
      var row = rowFor(event.detail.entry);
      if (row) { $("[data-state]", row).textContent = t("sending"); }
    });
    document.addEventListener("ef:progress", function (event) {
      var row = rowFor(event.detail.entry);
      if (row) { $("[data-state]", row).textContent = t("uploading", { n: event.detail.done + 1, total: event.detail.total }); }
    });
    document.addEventListener("ef:waiting", function (event) {
      var row = rowFor(event.detail.entry);
      if (row) { $("[data-state]", row).textContent = waitingText(event.detail.reason); }
    });
    document.addEventListener("ef:sent", function (event) {
      var data = event.detail.data;
      var li = tasks[String(event.detail.entry.inspection)];
      if (li) {
        var badge = $("[data-status]", li);
        badge.textContent = data.status_label;
        badge.className = "ef-badge ef-st-" + data.status;
        li.classList.remove("is-late");
        $$(".ef-flag.late", li).forEach(function (flag) { flag.remove(); });
      }
      renderOutbox();
    });
    document.addEventListener("ef:refused", function () { renderOutbox(); });
    showNotices(notices);

    $("[data-flush]", outbox).addEventListener("click", function () { flush(user); });

    renderOutbox().then(markDrafts).catch(function () {}).then(function () { keepSending(user); });
    setupHomeMap(root);
  }

  function setupHomeMap(root) {
    var el = $("#ef-map", root);
    var geo = $("#ef-geo", root);
    var points = readJson("ef-points") || [];
    var map = el ? baseMap(el) : null;
    var bounds = [];
    if (map) {
      points.forEach(function (p) {
        var label = p.status === "assigned" || p.status === "returned" ? el.dataset.labelOpen : el.dataset.labelView;
        L.marker([p.lat, p.lng], { icon: pin("ef-st-" + p.status + (p.late ? " is-late" : "")), title: p.name })
          .bindPopup(function () {
            return make("div", null, make("strong", null, p.name), make("br"), p.type + " · " + p.status_label,
              make("br"), link(p.url, label + " ›"));
          })
          .addTo(map);
        bounds.push([p.lat, p.lng]);
      });
      if (bounds.length) {
        map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15, animate: false });
      } else {
        map.setView([32.63, 110.8], 9);
      }
      if (window.CasesGeo) {
        window.CasesGeo.outlines(map, readJson("outline-urls")).then(function (outlineBounds) {
          if (!bounds.length && outlineBounds) { map.fitBounds(outlineBounds, { animate: false }); }
        });
      }
    }
    if (!navigator.geolocation) { return; }
    navigator.geolocation.getCurrentPosition(function (position) {
      var lat = position.coords.latitude, lng = position.coords.longitude;
      $$(".ef-task[data-lat]", root).forEach(function (li) {
        var a = parseFloat(li.dataset.lat), b = parseFloat(li.dataset.lng);
        var slot = $("[data-distance]", li);
        if (slot && isFinite(a) && isFinite(b)) { slot.textContent = t("from_you", { d: distanceText(distanceM(lat, lng, a, b)) }); }
      });
      if (map) {
        L.marker([lat, lng], { icon: pin("ef-me"), title: el.dataset.labelMe, zIndexOffset: 1000 }).addTo(map);
      }
      if (geo) { geo.textContent = ""; }
    }, function () {
      // Distances are a convenience: without a position the list still works.
    }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 });
  }

  // -- the capture page ---------------------------------------------------------------------
  function capturePage(root) {
    var form = readJson("ef-form-data");
    var user = root.dataset.user;
    var owner = ownerKey(user, form.id);
    var summaryStep = form.sections.length + 1;
    var items = [];
    var itemById = {};
    form.sections.forEach(function (section, index) {
      section.items.forEach(function (item) {
        item.step = index + 1;
        item.maxC = cents(item.max);
        item.eachC = cents(item.deduction);
        items.push(item);
        itemById[item.id] = item;
      });
    });
    var draft = null;
    var photoRecords = {};  // key → record, for thumbnails and checks
    var stored = true;       // false: IndexedDB refused (private mode): the page still works
    var saving = Promise.resolve();
    var sending = false;
    var position = null;     // the latest fix: {lat, lng, accuracy, distance}

    var steps = $$(".ef-step", root);
    var alertBox = $("#ef-alert", root);
    var formBox = $("#ef-form", root);
    var pendingBox = $("#ef-pending", root);
    var doneBox = $("#ef-done", root);
    var progress = $(".ef-progress", root);
    var pageUrl = window.location.pathname;

    function save() {
      if (!stored) { return Promise.resolve(); }
      draft.updated = new Date().toISOString();
      var copy = JSON.parse(JSON.stringify(draft));
      // In order: the last change is the one that stays.
      saving = saving.then(function () { return db.put("drafts", copy); }).catch(storageFailed);
      return saving;
    }

    function storageFailed() {
      if (!stored) { return; }
      stored = false;
      var box = $("#ef-storage", root);
      box.textContent = t("no_storage");
      box.hidden = false;
    }

    function fromServer() {
      var answers = {};
      var records = [];
      items.forEach(function (item) {
        var keys = (item.photo_ids || []).map(function (id) {
          var record = { key: owner + "-s" + id, owner: owner, item: item.id, serverId: id, blob: null, name: "", type: "" };
          records.push(record);
          return record.key;
        });
        answers[item.id] = { result: item.result || "", occurrences: item.occurrences || (item.result === "fail" ? 1 : 0), note: item.note || "", photos: keys };
      });
      return {
        draft: { id: owner, user: user, inspection: form.id, version: form.version, step: 0, checkin: null, answers: answers, note: "", error: null },
        records: records
      };
    }

    // -- the state on screen ----------------------------------------------------------------
    function answerOf(id) {
      if (!draft.answers[id]) { draft.answers[id] = { result: "", occurrences: 0, note: "", photos: [] }; }
      return draft.answers[id];
    }

    function deduction(item, answer) {
      if (answer.result !== "fail") { return 0; }
      return Math.min(item.maxC, item.eachC * Math.max(parseInt(answer.occurrences, 10) || 1, 1));
    }

    function renderItem(item) {
      var card = document.getElementById("ef-item-" + item.id);
      var answer = answerOf(item.id);
      $$("input[type=radio]", card).forEach(function (radio) {
        radio.checked = radio.value === answer.result;
        radio.closest(".ef-opt").classList.toggle("checked", radio.checked);
      });
      card.classList.toggle("is-pass", answer.result === "pass");
      card.classList.toggle("is-fail", answer.result === "fail");
      card.classList.toggle("is-na", answer.result === "na");
      var fail = $("[data-fail]", card);
      fail.hidden = answer.result !== "fail";
      $("[data-occurrences]", card).value = answer.occurrences || 1;
      var note = $("[data-note]", card);
      if (note.value !== answer.note) { note.value = answer.note || ""; }
      $("[data-deduct]", card).textContent = t("deduct", { n: pointsText(deduction(item, answer)) });
      renderThumbs(item, card);
    }

    function renderThumbs(item, card) {
      var list = $("[data-thumbs]", card);
      $$("img", list).forEach(function (img) { if (img.dataset.objectUrl) { URL.revokeObjectURL(img.src); } });
      list.innerHTML = "";
      answerOf(item.id).photos.forEach(function (key) {
        var record = photoRecords[key];
        var li = document.createElement("li");
        li.dataset.key = key;
        var img = document.createElement("img");
        img.alt = "";
        if (record && record.blob) {
          img.src = URL.createObjectURL(record.blob);
          img.dataset.objectUrl = "1";
        } else if (record && record.serverId) {
          img.src = form.photo_src.replace("{id}", record.serverId);
        }
        li.appendChild(img);
        if (record && record.error) {
          li.classList.add("has-error");
          li.title = record.error;
        }
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "ef-thumb-remove";
        remove.textContent = "×";
        remove.setAttribute("aria-label", t("remove_photo"));
        remove.dataset.removePhoto = key;
        li.appendChild(remove);
        list.appendChild(li);
      });
    }

    function counts() {
      var answered = items.filter(function (item) { return answerOf(item.id).result; }).length;
      return { answered: answered, total: items.length };
    }

    function score() {
      var most = 0, deducted = 0, failed = [];
      items.forEach(function (item) {
        var answer = answerOf(item.id);
        if (answer.result === "na" || !answer.result) { return; }
        most += item.maxC;
        var d = deduction(item, answer);
        deducted += d;
        if (answer.result === "fail") { failed.push({ item: item, answer: answer, deduction: d }); }
      });
      return { most: most, score: Math.max(most - deducted, 0), failed: failed };
    }

    function problems() {
      var list = [];
      if (!draft.checkin) { list.push({ text: t("missing_checkin"), step: 0 }); }
      items.forEach(function (item) {
        var answer = answerOf(item.id);
        if (!answer.result) { list.push({ text: t("missing_result", { text: item.text }), step: item.step, item: item.id }); }
        else if (answer.result === "fail" && item.evidence && !answer.photos.length) {
          list.push({ text: t("missing_photo", { text: item.text }), step: item.step, item: item.id });
        }
      });
      return list;
    }

    function renderProgress() {
      var c = counts();
      var step = draft.step || 0;
      $("#ef-step-of", root).textContent = t("step_of", { n: step + 1, total: summaryStep + 1 });
      $("#ef-answered", root).textContent = t("answered", { n: c.answered, total: c.total });
      $("#ef-bar-fill", root).style.width = (c.total ? Math.round(100 * c.answered / c.total) : 0) + "%";
      $$("[data-goto]", progress).forEach(function (button) {
        var n = parseInt(button.dataset.goto, 10);
        button.classList.toggle("current", n === step);
        button.setAttribute("aria-current", n === step ? "step" : "false");
        var done = n === 0 ? !!draft.checkin : n === summaryStep ? false : items.every(function (item) {
          return item.step !== n || answerOf(item.id).result;
        });
        button.classList.toggle("done", done);
        button.disabled = n > 0 && !draft.checkin;
      });
    }

    function renderSummary() {
      var s = score();
      $("#ef-score", root).textContent = t("score", { score: pointsText(s.score), max: pointsText(s.most) });
      $("#ef-rate", root).textContent = s.most ? t("rate", { rate: (100 * s.score / s.most).toFixed(1) + "%" }) : t("no_max");
      var failedList = $("#ef-failed-list", root);
      failedList.replaceChildren();
      if (!s.failed.length) {
        failedList.appendChild(make("li", "muted", t("no_failed")));
      }
      s.failed.forEach(function (f) {
        var li = document.createElement("li");
        li.textContent = t("failed_item", { text: f.item.text, n: f.answer.occurrences || 1, d: pointsText(f.deduction) });
        failedList.appendChild(li);
      });
      var box = $("#ef-problems", root);
      var ul = $("ul", box);
      var found = problems();
      ul.innerHTML = "";
      found.forEach(function (p) {
        var li = document.createElement("li");
        var a = document.createElement("button");
        a.type = "button";
        a.className = "linklike ef-jump";
        a.textContent = p.text;
        a.dataset.goto = String(p.step);
        if (p.item) { a.dataset.item = String(p.item); }
        li.appendChild(a);
        ul.appendChild(li);
      });
      box.hidden = !found.length;
      $("#ef-submit", root).disabled = !!found.length || sending;
      var note = $("#ef-note", root);
      if (note.value !== draft.note) { note.value = draft.note || ""; }
    }

    function showStep(n, focusItem, stay) {
      n = Math.max(0, Math.min(summaryStep, n));
      if (n > 0 && !draft.checkin) { n = 0; }
      draft.step = n;
      steps.forEach(function (section) { section.hidden = parseInt(section.dataset.step, 10) !== n; });
      renderProgress();
      if (n === summaryStep) { renderSummary(); }
      if (n === 0) { renderCheckin(); }
      save();
      if (stay) { return; }
      // The progress bar sticks to the top; the sections keep clear of it (scroll-margin).
      var target = focusItem ? document.getElementById("ef-item-" + focusItem) : steps[n];
      if (n === 0) { window.scrollTo(0, 0); }
      else if (target && target.scrollIntoView) { target.scrollIntoView({ block: "start" }); }
    }

    function showAlert(message) {
      alertBox.textContent = message || "";
      alertBox.hidden = !message;
      if (message) { alertBox.focus(); }
    }

    // -- check-in ---------------------------------------------------------------------------
    var mapEl = $("#ef-checkin-map", root);
    var checkinMap = null, meMarker = null, area = null;
    function setupMap() {
      if (checkinMap || !mapEl || typeof L === "undefined") { return; }
      checkinMap = baseMap(mapEl);
      var here = L.latLng(form.point.lat, form.point.lng);
      // The check-in area's box, known before the map has a view to measure a circle in.
      area = here.toBounds(form.radius * 2);
      checkinMap.fitBounds(area, { padding: [16, 16], animate: false });
      L.circle(here, { radius: form.radius, color: "#c0392b", weight: 1.5, fillOpacity: 0.08 }).addTo(checkinMap);
      L.marker(here, { icon: pin("ef-point-pin"), title: mapEl.dataset.labelPoint }).addTo(checkinMap);
    }

    function showMe(lat, lng) {
      if (!checkinMap) { return; }
      if (!meMarker) { meMarker = L.marker([lat, lng], { icon: pin("ef-me"), title: mapEl.dataset.labelMe, zIndexOffset: 1000 }).addTo(checkinMap); }
      else { meMarker.setLatLng([lat, lng]); }
      checkinMap.fitBounds(L.latLngBounds(area.getSouthWest(), area.getNorthEast()).extend([lat, lng]), { padding: [20, 20], maxZoom: 17, animate: false });
    }

    var geoStatus = $("#ef-geo-status", root);
    var okButton = $("#ef-checkin-ok", root);
    var exceptionBox = $("#ef-exception", root);

    function locate() {
      okButton.disabled = true;
      if (!navigator.geolocation) {
        position = null;
        geoStatus.textContent = t("no_gps_support");
        exceptionBox.hidden = false;
        return;
      }
      geoStatus.textContent = t("locating");
      geoStatus.className = "ef-geo-status";
      navigator.geolocation.getCurrentPosition(function (fix) {
        var lat = fix.coords.latitude, lng = fix.coords.longitude;
        var distance = distanceM(form.point.lat, form.point.lng, lat, lng);
        position = { lat: lat, lng: lng, accuracy: fix.coords.accuracy, distance: distance };
        var inside = distance <= form.radius;
        geoStatus.textContent = t("located", { d: distanceText(distance), r: form.radius }) + " " + (inside ? t("inside") : t("outside"));
        geoStatus.className = "ef-geo-status " + (inside ? "ok" : "far");
        okButton.disabled = !inside;
        exceptionBox.hidden = inside;
        showMe(lat, lng);
      }, function () {
        position = null;
        geoStatus.textContent = t("no_gps");
        geoStatus.className = "ef-geo-status far";
        exceptionBox.hidden = false;
      }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 });
    }

    function renderCheckin() {
      setupMap();
      // Drawn while its step was hidden, the map does not know its size yet.
      if (checkinMap) { checkinMap.invalidateSize(false); }
      var done = !!draft.checkin;
      $("#ef-checkin-todo", root).hidden = done;
      $("#ef-checked", root).hidden = !done;
      $("[data-next]", steps[0]).disabled = !done;
      if (done) {
        var c = draft.checkin;
        $("#ef-checked-text", root).textContent = c.exception
          ? t("checked_in_exception", { t: clock(c.at), reason: c.exception })
          : t("checked_in", { t: clock(c.at), d: distanceText(c.distance || 0) });
        geoStatus.textContent = "";
        if (c.lat != null) { showMe(c.lat, c.lng); }
      }
    }

    function checkIn(exception) {
      draft.checkin = {
        lat: position ? position.lat : null,
        lng: position ? position.lng : null,
        accuracy: position ? position.accuracy : null,
        distance: position ? position.distance : null,
        at: new Date().toISOString(),
        exception: exception || ""
      };
      draft.error = null;
      showAlert("");
      renderCheckin();
      showStep(1);
    }

    okButton.addEventListener("click", function () { if (position && position.distance <= form.radius) { checkIn(""); } });
    $("#ef-checkin-exception", root).addEventListener("click", function () {
      var reason = $("#ef-exception-text", root).value.trim();
      if (!reason) { showAlert(t("reason_required")); $("#ef-exception-text", root).focus(); return; }
      checkIn(reason);
    });
    $("#ef-exception-text", root).addEventListener("input", function () {
      if (alertBox.textContent === t("reason_required")) { showAlert(""); }
    });
    $("#ef-locate", root).addEventListener("click", locate);
    $("#ef-checkin-redo", root).addEventListener("click", function () {
      draft.checkin = null;
      save();
      renderCheckin();
      renderProgress();
      locate();
    });

    // -- answers ----------------------------------------------------------------------------
    function changed(item) {
      draft.error = null;
      renderItem(item);
      renderProgress();
      var error = $("[data-error]", document.getElementById("ef-item-" + item.id));
      error.hidden = true;
      save();
    }

    formBox.addEventListener("change", function (event) {
      var card = event.target.closest(".ef-item");
      if (!card) { return; }
      var item = itemById[card.dataset.item];
      var answer = answerOf(item.id);
      if (event.target.type === "radio") {
        answer.result = event.target.value;
        if (answer.result === "fail" && !(answer.occurrences >= 1)) { answer.occurrences = 1; }
        changed(item);
      } else if (event.target.matches("[data-photo-input]")) {
        addPhotos(item, event.target);
      } else if (event.target.matches("[data-occurrences]")) {
        answer.occurrences = Math.min(999, Math.max(1, parseInt(event.target.value, 10) || 1));
        changed(item);
      }
    });

    formBox.addEventListener("input", function (event) {
      var card = event.target.closest(".ef-item");
      if (card && event.target.matches("[data-note]")) {
        answerOf(card.dataset.item).note = event.target.value;
        save();
      } else if (card && event.target.matches("[data-occurrences]")) {
        var n = parseInt(event.target.value, 10);
        if (n >= 1 && n <= 999) {
          answerOf(card.dataset.item).occurrences = n;
          var item = itemById[card.dataset.item];
          $("[data-deduct]", card).textContent = t("deduct", { n: pointsText(deduction(item, answerOf(item.id))) });
          save();
        }
      } else if (event.target.id === "ef-note") {
        draft.note = event.target.value;
        save();
      }
    });

    root.addEventListener("click", function (event) {
      var target = event.target;
      var card = target.closest(".ef-item");
      if (card && (target.closest("[data-dec]") || target.closest("[data-inc]"))) {
        var item = itemById[card.dataset.item];
        var answer = answerOf(item.id);
        var n = (parseInt(answer.occurrences, 10) || 1) + (target.closest("[data-inc]") ? 1 : -1);
        answer.occurrences = Math.min(999, Math.max(1, n));
        changed(item);
        return;
      }
      var remove = target.closest("[data-remove-photo]");
      if (remove && card) {
        removePhoto(itemById[card.dataset.item], remove.dataset.removePhoto);
        return;
      }
      var jump = target.closest("[data-goto]");
      if (jump && !jump.disabled) { showStep(parseInt(jump.dataset.goto, 10), jump.dataset.item); return; }
      if (target.closest("[data-next]")) { showStep((draft.step || 0) + 1); return; }
      if (target.closest("[data-prev]")) { showStep((draft.step || 0) - 1); }
    });

    // -- photos -----------------------------------------------------------------------------
    function addPhotos(item, input) {
      var files = Array.prototype.slice.call(input.files || []);
      input.value = "";
      var error = $("[data-error]", document.getElementById("ef-item-" + item.id));
      var messages = [];
      var work = files.map(function (file) {
        if (file.type && file.type.indexOf("image/") !== 0) {
          messages.push(t("photo_not_image", { name: file.name }));
          return Promise.resolve();
        }
        if (form.photo_max_bytes && file.size > form.photo_max_bytes) {
          messages.push(t("photo_too_big", { name: file.name, mb: Math.round(form.photo_max_bytes / 1048576) }));
          return Promise.resolve();
        }
        // Read into memory first: a camera's temporary file may be gone by the time the
        // Blob is read back from IndexedDB.
        var read = typeof file.arrayBuffer === "function"
          ? file.arrayBuffer()
          : new Promise(function (resolve, reject) {
            var reader = new FileReader();
            reader.onload = function () { resolve(reader.result); };
            reader.onerror = function () { reject(reader.error); };
            reader.readAsArrayBuffer(file);
          });
        return read.then(function (buffer) {
          var record = {
            key: owner + "-p" + newKey(),
            owner: owner,
            item: item.id,
            blob: new Blob([buffer], { type: file.type || "image/jpeg" }),
            name: file.name || "photo.jpg",
            type: file.type || "image/jpeg",
            serverId: null,
            error: ""
          };
          photoRecords[record.key] = record;
          answerOf(item.id).photos.push(record.key);
          return stored ? db.put("photos", record).catch(storageFailed) : null;
        });
      });
      Promise.all(work).then(function () {
        changed(item);
        if (messages.length) { error.textContent = messages.join(" "); error.hidden = false; }
      });
    }

    function removePhoto(item, key) {
      var answer = answerOf(item.id);
      answer.photos = answer.photos.filter(function (k) { return k !== key; });
      delete photoRecords[key];
      if (stored) { db.remove("photos", key).catch(storageFailed); }
      changed(item);
    }

    // -- submitting -------------------------------------------------------------------------
    function buildEntry() {
      return {
        id: owner,
        user: user,
        inspection: form.id,
        key: newKey(),
        name: form.point.name,
        pageUrl: pageUrl,
        submitUrl: root.dataset.submitUrl,
        photoUrl: root.dataset.photoUrl,
        queuedAt: new Date().toISOString(),
        attempts: 0,
        results: items.map(function (item) {
          var answer = answerOf(item.id);
          var failed = answer.result === "fail";
          return {
            item_id: item.id,
            result: answer.result,
            occurrences: failed ? Math.max(parseInt(answer.occurrences, 10) || 1, 1) : 0,
            note: failed ? (answer.note || "").trim() : "",
            // Pictures of an item answered 合格 or 不适用 stay in the draft, unsent.
            photos: failed ? answer.photos.slice() : []
          };
        }),
        checkin: {
          lat: draft.checkin.lat,
          lng: draft.checkin.lng,
          at: draft.checkin.at,
          exception: draft.checkin.exception || ""
        },
        note: (draft.note || "").trim()
      };
    }

    var inMemoryEntry = null;  // the submission, when IndexedDB is unavailable

    function submit() {
      if (problems().length || sending) { renderSummary(); return; }
      draft.error = null;
      showAlert("");
      var entry = buildEntry();
      sending = true;
      showPending(entry, t("sending"));
      var queued = stored
        ? save().then(function () { return db.put("outbox", entry); }).then(function () { return flush(user); })
        : sendUnstored(entry);
      queued.catch(function () {
        // The outbox could not be written: send straight away, nothing kept.
        storageFailed();
        return sendUnstored(entry);
      }).then(function () {
        sending = false;
        if (!formBox.hidden && draft.step === summaryStep) { renderSummary(); }
      });
    }

    function sendUnstored(entry) {
      inMemoryEntry = entry;
      entry.results.forEach(function (r) {
        r.photos.forEach(function (key) {
          var record = photoRecords[key];
          if (record && record.serverId == null) { record.pending = true; }
        });
      });
      // Without storage the photos go up from memory, in the same order as from the outbox.
      var chain = Promise.resolve(null);
      entry.results.forEach(function (r) {
        r.photos.forEach(function (key) {
          chain = chain.then(function (stopped) {
            if (stopped) { return stopped; }
            var record = photoRecords[key];
            if (!record || record.serverId != null) { return null; }
            return uploadPhoto(entry.photoUrl, record).then(function (outcome) {
              if (outcome.kind === "ok") { record.serverId = outcome.data.id; return null; }
              return outcome;
            });
          });
        });
      });
      return chain.then(function (stopped) {
        if (stopped) { return stopped; }
        return post(entry.submitUrl, JSON.stringify({
          submission_key: entry.key,
          results: entry.results.map(function (r) {
            return { item_id: r.item_id, result: r.result, occurrences: r.occurrences, note: r.note,
              photo_ids: r.photos.map(function (key) { return photoRecords[key].serverId; }) };
          }),
          checkin: entry.checkin,
          note: entry.note
        }), SUBMIT_TIMEOUT_MS);
      }).then(function (outcome) {
        if (outcome.kind === "ok") { inMemoryEntry = null; showDone(outcome.data); }
        else if (outcome.kind === "refused") { inMemoryEntry = null; backToForm(outcome.message, outcome.field); }
        else { showPending(entry, waitingText(outcome.reason)); }
      });
    }

    function showPending(entry, title) {
      formBox.hidden = true;
      progress.hidden = true;
      doneBox.hidden = true;
      pendingBox.hidden = false;
      $("#ef-pending-title", root).textContent = title;
      $("#ef-pending-text", root).textContent = [
        t("queued_at", { t: clock(entry.queuedAt) }),
        entry.triedAt ? t("last_try", { t: clock(entry.triedAt) }) : ""
      ].filter(Boolean).join(" · ");
      $("#ef-withdraw", root).disabled = title === t("sending");
      $("#ef-retry", root).disabled = title === t("sending");
    }

    function showDone(data) {
      formBox.hidden = true;
      progress.hidden = true;
      pendingBox.hidden = true;
      doneBox.hidden = false;
      $("#ef-done-score", root).textContent = t("score", { score: pointsText(cents(data.score)), max: pointsText(cents(data.max)) });
      $("#ef-done-cases", root).textContent = data.cases && data.cases.length
        ? t("cases_opened", { codes: data.cases.join("、") })
        : t("no_cases");
      doneBox.scrollIntoView && doneBox.scrollIntoView({ block: "start" });
    }

    function backToForm(message, field, photoKey) {
      pendingBox.hidden = true;
      doneBox.hidden = true;
      formBox.hidden = false;
      progress.hidden = false;
      if (photoKey && photoRecords[photoKey]) { photoRecords[photoKey].error = message; }
      var step = field === "checkin" ? 0 : summaryStep;
      if (photoKey && photoRecords[photoKey]) { step = itemById[photoRecords[photoKey].item].step; }
      if (field === "checkin") {
        // The server measured differently or the reason is missing: check in again.
        draft.checkin = null;
      }
      draft.error = { message: message, field: field || "" };
      items.forEach(renderItem);
      showStep(step);
      showAlert(t("refused", { error: message }));
    }

    $("#ef-submit", root).addEventListener("click", submit);
    $("#ef-retry", root).addEventListener("click", function () {
      if (inMemoryEntry) { showPending(inMemoryEntry, t("sending")); sendUnstored(inMemoryEntry); }
      else { flush(user); }
    });
    $("#ef-withdraw", root).addEventListener("click", function () {
      if (!window.confirm(t("withdraw_confirm"))) { return; }
      inMemoryEntry = null;
      var removed = stored ? db.remove("outbox", owner) : Promise.resolve();
      removed.then(function () {
        pendingBox.hidden = true;
        formBox.hidden = false;
        progress.hidden = false;
        showStep(summaryStep);
      });
    });

    function mineEvent(event) { return event.detail.entry.id === owner; }
    document.addEventListener("ef:sending", function (event) {
      if (mineEvent(event)) { showPending(event.detail.entry, t("sending")); }
    });
    document.addEventListener("ef:progress", function (event) {
      if (mineEvent(event)) {
        $("#ef-pending-title", root).textContent = t("uploading", { n: event.detail.done + 1, total: event.detail.total });
      }
    });
    document.addEventListener("ef:waiting", function (event) {
      if (mineEvent(event)) { sending = false; showPending(event.detail.entry, waitingText(event.detail.reason)); }
    });
    document.addEventListener("ef:sent", function (event) {
      if (mineEvent(event)) { sending = false; showDone(event.detail.data); }
    });
    document.addEventListener("ef:refused", function (event) {
      if (mineEvent(event)) { sending = false; backToForm(event.detail.message, event.detail.field, event.detail.photo); }
    });
    showNotices($("#ef-notices", root), function (entry) { return entry.id === owner; });

    // -- start: the draft in this browser, else the answers on record -----------------------
    function start(saved, pending, records) {
      records.forEach(function (r) { photoRecords[r.key] = r; });
      if (saved && saved.version !== form.version && !pending) {
        // The inspection moved on since (returned, reassigned): its record is the truth.
        saved = null;
      }
      if (saved) {
        draft = saved;
      } else {
        var fresh = fromServer();
        draft = fresh.draft;
        fresh.records.forEach(function (r) {
          photoRecords[r.key] = r;
          if (stored) { db.put("photos", r).catch(storageFailed); }
        });
      }
      items.forEach(renderItem);
      $("#ef-note", root).value = draft.note || "";
      if (pending) {
        showPending(pending, pending.triedAt ? waitingText(pending.reason) : t("saved_offline"));
      } else {
        showStep(draft.step || 0, null, true);
        if (draft.error) { showAlert(t("refused", { error: draft.error.message })); }
      }
      if (!draft.checkin) { locate(); }
      if (stored) { keepSending(user); }
    }

    Promise.all([db.get("drafts", owner), db.get("outbox", owner), db.photosOf(owner)])
      .then(null, function () {
        storageFailed();
        return [null, null, []];
      })
      .then(function (found) { start(found[0], found[1], found[2] || []); });
  }

  // -- a result on record -------------------------------------------------------------------
  function resultPage(root) {
    var user = root.dataset.user;
    var owner = ownerKey(user, root.dataset.inspection);
    showNotices($("#ef-notices", root));
    var ready = Promise.resolve();
    if (root.dataset.settled) {
      // Submitted and on record: a draft left in this browser is stale, unless it still
      // waits in the outbox (then sending it again is answered from the record).
      ready = db.get("outbox", owner).then(function (pending) {
        return pending ? null : db.forget(owner);
      }).catch(function () {});
    }
    ready.then(function () { keepSending(user); });
  }

  // -- 复查 ---------------------------------------------------------------------------------
  function reinspectPage(root) {
    var user = root.dataset.user;
    showNotices($("#ef-notices", root));
    keepSending(user);
    var mapEl = $("#ef-re-map", root);
    var map = null, meMarker = null, here = null;
    if (mapEl && typeof L !== "undefined") {
      map = baseMap(mapEl);
      here = [parseFloat(mapEl.dataset.lat), parseFloat(mapEl.dataset.lng)];
      L.marker(here, { icon: pin("ef-point-pin"), title: mapEl.dataset.labelPoint }).addTo(map);
      map.setView(here, 16);
    }
    var form = $("#ef-re-form", root);
    if (!form) { return; }
    var thumbs = $("#ef-re-thumbs", form);
    var input = $("#ef-re-photos", form);
    var photoError = $("#ef-re-photo-error", form);
    var submitButton = $("#ef-re-submit", form);
    var uploading = 0;
    // The script uploads each picture at once; the form then carries only their ids.
    input.removeAttribute("name");

    function busy() {
      submitButton.disabled = uploading > 0;
      submitButton.textContent = uploading > 0 ? submitButton.dataset.busy : submitButton.dataset.label;
    }
    submitButton.dataset.label = submitButton.textContent;

    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files || []);
      input.value = "";
      photoError.hidden = true;
      files.forEach(function (file) {
        var li = document.createElement("li");
        li.className = "uploading";
        var img = document.createElement("img");
        img.alt = "";
        img.src = URL.createObjectURL(file);
        li.appendChild(img);
        thumbs.appendChild(li);
        uploading += 1;
        busy();
        var body = new FormData();
        body.append("photo", file, file.name || "photo.jpg");
        post(form.dataset.photoUrl, body, PHOTO_TIMEOUT_MS).then(function (outcome) {
          uploading -= 1;
          busy();
          li.classList.remove("uploading");
          if (outcome.kind !== "ok") {
            li.remove();
            photoError.textContent = t("photo_failed", { error: outcome.kind === "refused" ? outcome.message : waitingText(outcome.reason) });
            photoError.hidden = false;
            return;
          }
          li.dataset.photoId = outcome.data.id;
          var hidden = document.createElement("input");
          hidden.type = "hidden";
          hidden.name = "photo_ids";
          hidden.value = outcome.data.id;
          li.appendChild(hidden);
          var remove = document.createElement("button");
          remove.type = "button";
          remove.className = "ef-thumb-remove";
          remove.textContent = "×";
          remove.setAttribute("aria-label", thumbs.dataset.remove);
          li.appendChild(remove);
        });
      });
    });
    thumbs.addEventListener("click", function (event) {
      var remove = event.target.closest(".ef-thumb-remove");
      if (remove) { remove.closest("li").remove(); }
    });

    var geo = $("#ef-re-geo", form);
    function locate() {
      if (!navigator.geolocation) { geo.textContent = geo.dataset.failed; return; }
      geo.textContent = geo.dataset.locating;
      navigator.geolocation.getCurrentPosition(function (fix) {
        var lat = fix.coords.latitude, lng = fix.coords.longitude;
        $("#ef-re-lat", form).value = lat.toFixed(7);
        $("#ef-re-lng", form).value = lng.toFixed(7);
        var distance = here ? distanceM(here[0], here[1], lat, lng) : 0;
        geo.textContent = here ? t("from_you", { d: distanceText(distance) }) : "";
        if (map) {
          if (!meMarker) { meMarker = L.marker([lat, lng], { icon: pin("ef-me"), title: mapEl.dataset.labelMe, zIndexOffset: 1000 }).addTo(map); }
          else { meMarker.setLatLng([lat, lng]); }
          map.fitBounds(L.latLngBounds([here, [lat, lng]]), { padding: [24, 24], maxZoom: 17, animate: false });
        }
      }, function () { geo.textContent = geo.dataset.failed; }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 });
    }
    $("#ef-re-locate", form).addEventListener("click", locate);
    if (!$("#ef-re-lat", form).value) { locate(); }

    form.addEventListener("submit", function (event) {
      var check = $("#ef-re-check", form);
      var chosen = $("input[name=result]:checked", form);
      var message = "";
      if (!chosen) { message = form.dataset.msgResult; }
      else if (chosen.value === "fail" && !$("#ef-re-note", form).value.trim()) { message = form.dataset.msgNote; }
      if (message || uploading > 0) {
        event.preventDefault();
        if (message) { check.textContent = message; check.hidden = false; check.scrollIntoView({ block: "center" }); }
        return;
      }
      submitButton.disabled = true;
    });
    $$(".ef-choice input", form).forEach(function (radio) {
      radio.addEventListener("change", function () {
        $$(".ef-opt", form).forEach(function (opt) { opt.classList.toggle("checked", $("input", opt).checked); });
      });
    });
    $$(".ef-opt", form).forEach(function (opt) { opt.classList.toggle("checked", $("input", opt).checked); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    LABELS = readJson("ef-labels") || {};
    var capture = document.getElementById("ef-capture");
    var home = document.getElementById("ef-home");
    var result = document.getElementById("ef-result");
    var reinspect = document.getElementById("ef-reinspect");
    if (capture) { capturePage(capture); }
    else if (home) { homePage(home); }
    else if (result) { resultPage(result); }
    else if (reinspect) { reinspectPage(reinspect); }
  });

  // For browser tests and the console: what waits in this browser.
  window.EvaluationField = { db: db, flush: flush };
})();
