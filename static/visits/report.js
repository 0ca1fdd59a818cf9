// The visit report form: kept on the phone (encrypted) while typing, sent when there is a
// connection, and always saying plainly whether the report is on the phone or sent.
(function () {
  "use strict";
  var ON_PHONE = "Saved on this phone at {time}. Not sent yet.";
  var WAITING = "Saved on this phone at {time}. You have no signal, so it is not sent yet. " +
    "It will be sent by itself when you are back online, even if you close this page.";
  var SIGNED_OUT = "Saved on this phone, not sent: you have been signed out. Sign in again " +
    "and open this page to send it.";

  function hhmm(ms) {
    var d = new Date(ms);
    return String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-offline-report]");
    var status = document.getElementById("report-status");
    var O = self.IVOffline;
    if (!form || !status || !O || !window.indexedDB || !window.crypto || !crypto.subtle) { return; }
    var visit = form.dataset.visit;
    var clientInput = form.querySelector("input[name='client_id']");
    if (!clientInput.value && crypto.randomUUID) { clientInput.value = crypto.randomUUID(); }
    var state = "draft";
    var timer = null;
    var sending = false;

    function say(text, ms) { status.textContent = text.replace("{time}", hhmm(ms || Date.now())); }
    function fields() {
      var out = {};
      new FormData(form).forEach(function (value, name) { out[name] = value; });
      return out;
    }
    function save() {
      return O.save(visit, form.action || location.href, clientInput.value, fields(), state)
        .then(function () { say(state === "outbox" ? WAITING : ON_PHONE); });
    }
    function requestSync() {
      if (!("serviceWorker" in navigator)) { return; }
      navigator.serviceWorker.ready.then(function (reg) {
        if (reg.sync) { return reg.sync.register("send-reports"); }
      }).catch(function () {});
    }
    function trySend() {
      if (state !== "outbox" || sending) { return Promise.resolve(); }
      if (!navigator.onLine) { say(WAITING); requestSync(); return Promise.resolve(); }
      sending = true;
      say("Sending your report…");
      return O.sendOutbox().then(function (results) {
        sending = false;
        var mine = results.filter(function (r) { return r.visit === visit; })[0];
        if (!mine) { return O.load(visit).then(notMine); }
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
    // The service worker or another tab took this report: follow it to the server's answer.
    function notMine(stored) {
      if (stored && stored.state === "sent") { sent(stored.url); return; }
      if (stored) { say("Sending your report…"); setTimeout(trySend, 1000); return; }
      // Gone from the phone without an answer here: send what is on the page; the server
      // knows this report by its client id and does not make it twice.
      state = "sent";
      form.submit();
    }
    function sent(url) {
      state = "sent";
      say("Sent. Your report has reached the coordinator.");
      location.assign(url);
    }

    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(form.dataset.sw, { scope: form.dataset.scope }).catch(function () {});
    }
    var hasErrors = !!document.querySelector("[data-error-summary]");
    O.load(visit).then(function (saved) {
      // Sent earlier (by the service worker): the page the server gave is the truth now.
      if (saved && saved.state === "sent") { O.remove(visit).catch(function () {}); return; }
      if (saved) {
        clientInput.value = saved.clientId;
        state = saved.state === "sending" ? "outbox" : saved.state;
        if (!hasErrors) {
          Object.keys(saved.fields).forEach(function (name) {
            if (name === "csrfmiddlewaretoken" || name === "client_id") { return; }
            var input = form.elements.namedItem(name);
            if (!input) { return; }
            if (input.type === "checkbox") { input.checked = saved.fields[name] === "on"; }
            else { input.value = saved.fields[name]; }
          });
        }
        say(state === "outbox" ? WAITING : ON_PHONE, saved.savedAt);
        trySend();
      }
    }).catch(function () {});

    form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { save().catch(function () {}); }, 300);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      state = "outbox";
      save().then(trySend, function () { form.submit(); });
    });
    window.addEventListener("online", function () { trySend(); });
    // Some phones never fire "online": try again now and then while a report is waiting.
    setInterval(function () { if (state === "outbox" && navigator.onLine) { trySend(); } }, 15000);
    window.addEventListener("offline", function () { if (state === "outbox") { say(WAITING); } });
  });
})();
