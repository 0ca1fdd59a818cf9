// "Report a worry": kept on the phone (encrypted, see static/visits/offline.js and
// docs/decisions/0005-offline-visit-reports.md) while the IV types, and sent when there is
// signal. Stored under "concern:<client id>" in the same encrypted store as visit reports,
// so the visits service worker, the 7-day expiry and the wipe at sign-out cover it too.
// Without script the form is a plain POST, as before.
(function () {
  "use strict";
  var ON_PHONE = "Saved on this phone at {time}. Not sent yet.";
  var WAITING = "Saved on this phone, not sent yet: it will be sent when you have signal. " +
    "If the child is in danger, call 999 now.";
  var SENDING = "Sending to the coordinator…";
  var SENT = "Sent. Your report has reached the coordinator.";
  var SIGNED_OUT = "Saved on this phone, not sent: you have been signed out. Sign in again " +
    "and open this page to send it. If the child is in danger, call 999 now.";
  var RETRY_MS = 15000;

  function hhmm(ms) {
    var d = new Date(ms);
    return String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
  }

  // Which stored worry belongs to this page (the form's address, with its ?visit= or ?child=).
  // Only the random client id is kept here, in clear; everything typed is in the encrypted store.
  var POINTER = "ivscheme-concern:" + location.pathname + location.search;
  function pointerGet() {
    try { return localStorage.getItem(POINTER); } catch (e) { return null; }
  }
  function pointerSet(id) {
    try { localStorage.setItem(POINTER, id); } catch (e) { /* private mode: still sent */ }
  }
  function pointerClear() {
    try { localStorage.removeItem(POINTER); } catch (e) { /* nothing to clear */ }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-concern-form]");
    var status = document.getElementById("concern-status");
    var O = self.IVOffline;
    if (!form || !status || !O || !window.indexedDB || !window.crypto || !crypto.subtle) { return; }
    var clientInput = form.querySelector("input[name='client_id']");
    if (!clientInput) { return; }
    if (!clientInput.value && crypto.randomUUID) { clientInput.value = crypto.randomUUID(); }
    if (!clientInput.value) { return; }
    var state = "draft";
    var timer = null;
    var sending = false;
    var registration = null;

    function key() { return "concern:" + clientInput.value; }
    function say(text, ms) { status.textContent = text.replace("{time}", hhmm(ms || Date.now())); }
    function fields() {
      var out = {};
      new FormData(form).forEach(function (value, name) { out[name] = value; });
      return out;
    }
    function save() {
      pointerSet(clientInput.value);
      return O.save(key(), form.action || location.href, clientInput.value, fields(), state)
        .then(function () { say(state === "outbox" ? WAITING : ON_PHONE); });
    }
    function requestSync() {
      if (registration && registration.sync) {
        registration.sync.register("send-reports").catch(function () {});
      }
    }
    function trySend() {
      if (state !== "outbox" || sending) { return Promise.resolve(); }
      if (!navigator.onLine) { say(WAITING); requestSync(); return Promise.resolve(); }
      sending = true;
      say(SENDING);
      var mineKey = key();
      return O.sendOutbox().then(function (results) {
        sending = false;
        var mine = results.filter(function (r) { return r.visit === mineKey; })[0];
        if (!mine) { return O.load(mineKey).then(notMine); }
        if (mine.outcome === "sent") {
          sent(mine.url);
        } else if (mine.outcome === "invalid") {
          state = "draft";
          save().then(function () { form.submit(); });  // the server shows what to fix
        } else if (mine.outcome === "signed-out") {
          say(SIGNED_OUT);
        } else {
          say(WAITING); requestSync();
        }
      }, function () { sending = false; say(WAITING); requestSync(); });
    }
    // The service worker or another tab took this worry: say "sent" only once the server has
    // it, and never guess.
    function notMine(stored) {
      if (stored && stored.state === "sent") { sent(stored.url); return; }
      if (stored) { say(SENDING); setTimeout(trySend, 1000); return; }  // still on its way
      // Gone from the phone without an answer here: send what is on the page; the server
      // knows this worry by its client id and does not make it twice.
      state = "sent";
      pointerClear();
      form.submit();
    }
    function sent(url) {
      state = "sent";
      pointerClear();
      say(SENT);
      location.assign(url);  // the record left on the phone holds only this address now
    }

    if ("serviceWorker" in navigator && form.dataset.sw) {
      navigator.serviceWorker.register(form.dataset.sw, { scope: form.dataset.scope })
        .then(function (reg) { registration = reg; }, function () {});
    }
    var hasErrors = !!document.querySelector("[data-error-summary]");
    var storedId = pointerGet();
    var restore = storedId ? O.load("concern:" + storedId) : Promise.resolve(null);
    restore.then(function (saved) {
      if (!saved) {
        if (storedId) { pointerClear(); }
        if (navigator.onLine) { O.sendOutbox().catch(function () {}); }  // others waiting
        return;
      }
      if (saved.state === "sent") { sent(saved.url); return; }
      clientInput.value = saved.clientId;
      state = saved.state === "sending" ? "outbox" : saved.state;
      if (!hasErrors) {
        Object.keys(saved.fields).forEach(function (name) {
          if (name === "csrfmiddlewaretoken" || name === "client_id") { return; }
          var input = form.elements.namedItem(name);
          if (!input) { return; }
          if (input instanceof RadioNodeList) { input.value = saved.fields[name]; }
          else if (input.type === "checkbox") { input.checked = saved.fields[name] === "on"; }
          else { input.value = saved.fields[name]; }
        });
        // Boxes not in the saved copy were unticked.
        Array.prototype.forEach.call(form.querySelectorAll("input[type='checkbox']"), function (box) {
          box.checked = saved.fields[box.name] === "on";
        });
      }
      say(state === "outbox" ? WAITING : ON_PHONE, saved.savedAt);
      trySend();
    }).catch(function () {});

    form.addEventListener("input", function () {
      if (state === "sent") { return; }
      clearTimeout(timer);
      timer = setTimeout(function () { save().catch(function () {}); }, 300);
    });
    form.addEventListener("change", function () {
      if (state === "sent") { return; }
      clearTimeout(timer);
      timer = setTimeout(function () { save().catch(function () {}); }, 300);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (sending || state === "sent") { return; }
      clearTimeout(timer);
      state = "outbox";
      save().then(trySend, function () { form.submit(); });
    });
    window.addEventListener("online", function () { trySend(); });
    // Some phones never fire "online": try again now and then while a worry is waiting.
    setInterval(function () { if (state === "outbox" && navigator.onLine) { trySend(); } }, RETRY_MS);
    window.addEventListener("offline", function () { if (state === "outbox") { say(WAITING); } });
  });
})();
