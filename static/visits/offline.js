// Visit reports kept on the phone while there is no signal (see docs/decisions/0005-offline-visit-reports.md).
// Everything stored is encrypted with AES-GCM under a key the browser made and cannot export
// (a non-extractable CryptoKey kept in IndexedDB). Used by pages and by the service worker
// (importScripts), so it must not touch `window` or `document` outside the page-only part.
(function (root) {
  "use strict";
  var DB_NAME = "ivscheme-visits";
  var KEEP_FOR_MS = 7 * 24 * 60 * 60 * 1000;

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        db.createObjectStore("keys");
        db.createObjectStore("reports", { keyPath: "visit" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(storeName, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName, mode);
        var request = work(tx.objectStore(storeName));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = function (event) { event.preventDefault(); db.close(); reject(tx.error); };
        tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function getKey() {
    return run("keys", "readonly", function (s) { return s.get("reports"); }).then(function (key) {
      if (key) { return key; }
      return crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"])
        .then(function (made) {
          // add(), not put(): if another tab made a key first, keep theirs.
          return run("keys", "readwrite", function (s) { return s.add(made, "reports"); })
            .catch(function () { return null; })
            .then(function () { return run("keys", "readonly", function (s) { return s.get("reports"); }); });
        });
    });
  }

  function encrypt(value) {
    return getKey().then(function (key) {
      var iv = crypto.getRandomValues(new Uint8Array(12));
      var plain = new TextEncoder().encode(JSON.stringify(value));
      return crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, key, plain).then(function (data) {
        return { iv: iv, data: data };
      });
    });
  }

  function decrypt(record) {
    return getKey().then(function (key) {
      return crypto.subtle.decrypt({ name: "AES-GCM", iv: record.iv }, key, record.data);
    }).then(function (plain) { return JSON.parse(new TextDecoder().decode(plain)); });
  }

  // Save a report: `fields` (the form, with its CSRF token) is encrypted; only the visit's
  // random id, the state and the time are in clear, to find and expire records.
  function save(visit, action, clientId, fields, state) {
    return encrypt({ action: action, clientId: clientId, fields: fields }).then(function (box) {
      var record = { visit: visit, state: state, savedAt: Date.now(), iv: box.iv, data: box.data };
      return run("reports", "readwrite", function (s) { return s.put(record); });
    });
  }

  function load(visit) {
    return run("reports", "readonly", function (s) { return s.get(visit); }).then(function (record) {
      if (!record) { return null; }
      if (Date.now() - record.savedAt > KEEP_FOR_MS) { return remove(visit).then(function () { return null; }); }
      return decrypt(record).then(function (value) {
        value.state = record.state;
        value.savedAt = record.savedAt;
        return value;
      }).catch(function () { return remove(visit).then(function () { return null; }); });
    });
  }

  function remove(visit) {
    return run("reports", "readwrite", function (s) { return s.delete(visit); });
  }

  function all() {
    return run("reports", "readonly", function (s) { return s.getAll(); });
  }

  function purgeExpired() {
    return all().then(function (records) {
      var old = records.filter(function (r) { return Date.now() - r.savedAt > KEEP_FOR_MS; });
      return Promise.all(old.map(function (r) { return remove(r.visit); }));
    });
  }

  // Send one stored report. Outcomes: sent, offline, invalid (the server refused the
  // content: the page shows why), signed-out (no session: sign in again, then it is sent).
  function sendOne(record) {
    return decrypt(record).then(function (value) {
      var body = new URLSearchParams();
      Object.keys(value.fields).forEach(function (k) { body.append(k, value.fields[k]); });
      return fetch(value.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        redirect: "manual",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        if (response.ok) {
          return response.json().then(function (json) {
            return remove(record.visit).then(function () {
              return { visit: record.visit, outcome: "sent", url: json.url };
            });
          });
        }
        if (response.status === 400) { return { visit: record.visit, outcome: "invalid" }; }
        return { visit: record.visit, outcome: "signed-out" };
      }, function () { return { visit: record.visit, outcome: "offline" }; });
    });
  }

  function sendOutbox() {
    return all().then(function (records) {
      var waiting = records.filter(function (r) {
        return r.state === "outbox" && Date.now() - r.savedAt <= KEEP_FOR_MS;
      });
      return Promise.all(waiting.map(sendOne));
    });
  }

  function wipe() {
    return new Promise(function (resolve) {
      var request = indexedDB.deleteDatabase(DB_NAME);
      request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
    });
  }

  root.IVOffline = {
    save: save, load: load, remove: remove, sendOutbox: sendOutbox, purgeExpired: purgeExpired, wipe: wipe
  };

  // Page-only behaviour: expire old drafts, send waiting reports, wipe at sign-out.
  if (typeof document === "undefined" || !root.indexedDB || !root.crypto || !crypto.subtle) { return; }
  document.addEventListener("DOMContentLoaded", function () {
    purgeExpired().catch(function () {});
    var sent = document.querySelector("[data-report-sent]");
    if (sent) { remove(sent.getAttribute("data-report-sent")).catch(function () {}); }
    if (document.querySelector("[data-offline-flush]") && navigator.onLine) {
      sendOutbox().catch(function () {});
    }
    document.querySelectorAll("form[action$='/logout/']").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.wiped) { return; }
        event.preventDefault();
        form.dataset.wiped = "1";
        wipe().then(function () { form.submit(); });
      });
    });
  });
})(self);
