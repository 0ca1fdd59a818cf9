// Visit reports kept on the phone while there is no signal (see docs/decisions/0005-offline-visit-reports.md).
// Everything stored is encrypted with AES-GCM under a key the browser made and cannot export
// (a non-extractable CryptoKey kept in IndexedDB). Used by pages and by the service worker
// (importScripts), so it must not touch `window` or `document` outside the page-only part.
(function (root) {
  "use strict";
  var DB_NAME = "ivscheme-visits";
  var KEEP_FOR_MS = 7 * 24 * 60 * 60 * 1000;
  // A sender that has not finished after this long (the page was closed mid-send) has let go.
  var LEASE_MS = 30 * 1000;
  // A sent report leaves only where the server put it, for other tabs that wait for the answer.
  var SENT_KEPT_MS = 10 * 60 * 1000;

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

  // A stored report as the page needs it: the typed fields and state; or, once sent, only
  // {state: "sent", url} (the record keeps no content after sending).
  function load(visit) {
    return run("reports", "readonly", function (s) { return s.get(visit); }).then(function (record) {
      if (!record) { return null; }
      if (Date.now() - record.savedAt > KEEP_FOR_MS) { return remove(visit).then(function () { return null; }); }
      if (record.state === "sent") { return { state: "sent", url: record.url, savedAt: record.savedAt }; }
      return decrypt(record).then(function (value) {
        value.state = record.state;
        value.savedAt = record.savedAt;
        return value;
      }).catch(function () { return remove(visit).then(function () { return null; }); });
    });
  }

  // Read, change and write one record in a single transaction, so that the pages and the
  // service worker (which share this database) never both act on the same report.
  function update(visit, change) {
    var out = null;
    return run("reports", "readwrite", function (s) {
      var request = s.get(visit);
      request.onsuccess = function () {
        var next = change(request.result);
        if (next) { out = next; s.put(next); }
      };
      return null;
    }).then(function () { return out; });
  }

  function isFree(record) {
    return record.state === "outbox" ||
      (record.state === "sending" && Date.now() - (record.sendingAt || 0) > LEASE_MS);
  }

  // Take a waiting report for sending, unless another sender has it; null if not taken.
  function claim(visit) {
    return update(visit, function (record) {
      if (!record || !isFree(record)) { return null; }
      record.state = "sending";
      record.sendingAt = Date.now();
      return record;
    });
  }

  // Sending failed: the report waits again, unless it was changed meanwhile.
  function release(record) {
    return update(record.visit, function (current) {
      if (!current || current.state !== "sending" || current.sendingAt !== record.sendingAt) { return null; }
      current.state = "outbox";
      delete current.sendingAt;
      return current;
    });
  }

  // Sent: keep only where the server put it, for the page that is waiting for the answer.
  function markSent(visit, url) {
    return update(visit, function () {
      return { visit: visit, state: "sent", savedAt: Date.now(), url: url };
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
      var old = records.filter(function (r) {
        return Date.now() - r.savedAt > (r.state === "sent" ? SENT_KEPT_MS : KEEP_FOR_MS);
      });
      return Promise.all(old.map(function (r) { return remove(r.visit); }));
    });
  }

  // Send one stored report. Outcomes: sent, offline, invalid (the server refused the
  // content: the page shows why), signed-out (no session: sign in again, then it is sent).
  // Only the sender that claimed the report posts it; the server also ignores a repeat
  // (the same client id), so a report is never lost and never made twice.
  function sendOne(record) {
    var answer = function (outcome) {
      return release(record).then(function () { return { visit: record.visit, outcome: outcome }; });
    };
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
            return markSent(record.visit, json.url).then(function () {
              return { visit: record.visit, outcome: "sent", url: json.url };
            });
          });
        }
        if (response.status === 400) { return answer("invalid"); }
        return answer("signed-out");
      }, function () { return answer("offline"); });
    }, function () { return answer("offline"); });
  }

  function sendOutbox() {
    return all().then(function (records) {
      var waiting = records.filter(function (r) {
        return isFree(r) && Date.now() - r.savedAt <= KEEP_FOR_MS;
      });
      return Promise.all(waiting.map(function (r) {
        return claim(r.visit).then(function (taken) { return taken ? sendOne(taken) : null; });
      }));
    }).then(function (results) { return results.filter(Boolean); });
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
