// A form kept on the phone while the person types and sent when there is signal, through the
// encrypted outbox of static/visits/offline.js (docs/decisions/0005-offline-visit-reports.md).
// The visit report (static/visits/report.js) and "Report a worry"
// (static/safeguarding/concern.js) are both one of these; each says only where its copy is
// kept and what the person is told. Without script either form is a plain POST.
(function (root) {
  "use strict";
  var RETRY_MS = 15000;

  function hhmm(ms) {
    var d = new Date(ms);
    return String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
  }

  // Put a saved copy back into the form (not the CSRF token or the client id).
  function refill(form, fields) {
    Object.keys(fields).forEach(function (name) {
      if (name === "csrfmiddlewaretoken" || name === "client_id") { return; }
      var input = form.elements.namedItem(name);
      if (!input) { return; }
      if (input instanceof RadioNodeList) { input.value = fields[name]; }
      else if (input.type === "checkbox") { input.checked = fields[name] === "on"; }
      else { input.value = fields[name]; }
    });
    // Boxes not in the saved copy were unticked.
    Array.prototype.forEach.call(form.querySelectorAll("input[type='checkbox']"), function (box) {
      box.checked = fields[box.name] === "on";
    });
  }

  // o.form, o.status: the form and the element that says where its content is.
  // o.text: {onPhone, waiting, sending, sent, signedOut}; "{time}" is replaced by hh:mm.
  // o.keyFor(clientId): where the copy is kept. o.stored(): the key of a copy to restore, or
  // null. o.remember(clientId) on every save and o.forget() once sent (default: nothing).
  // o.followSent: a copy found already sent goes to the server's page for it; otherwise the
  // page the server gave is the truth and the copy is removed.
  function bind(o) {
    var O = root.IVOffline;
    var form = o.form;
    var text = o.text;
    var remember = o.remember || function () {};
    var forget = o.forget || function () {};
    if (!O || !root.indexedDB || !root.crypto || !crypto.subtle) { return; }
    var clientInput = form.querySelector("input[name='client_id']");
    if (!clientInput) { return; }
    if (!clientInput.value && crypto.randomUUID) { clientInput.value = crypto.randomUUID(); }
    if (!clientInput.value) { return; }
    var state = "draft";
    var timer = null;
    var sending = false;

    function key() { return o.keyFor(clientInput.value); }
    function say(message, ms) { o.status.textContent = message.replace("{time}", hhmm(ms || Date.now())); }
    function fields() {
      var out = {};
      new FormData(form).forEach(function (value, name) { out[name] = value; });
      return out;
    }
    function save() {
      remember(clientInput.value);
      return O.save(key(), form.action || location.href, clientInput.value, fields(), state)
        .then(function () { say(state === "outbox" ? text.waiting : text.onPhone); });
    }
    function requestSync() {
      if (!("serviceWorker" in navigator)) { return; }
      navigator.serviceWorker.ready.then(function (reg) {
        if (reg.sync) { return reg.sync.register("send-reports"); }
      }).catch(function () {});
    }
    function trySend() {
      if (state !== "outbox" || sending) { return Promise.resolve(); }
      if (!navigator.onLine) { say(text.waiting); requestSync(); return Promise.resolve(); }
      sending = true;
      say(text.sending);
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
          say(text.signedOut);
        } else {
          say(text.waiting); requestSync();
        }
      }, function () { sending = false; say(text.waiting); requestSync(); });
    }
    // The service worker or another tab took it: say "sent" only once the server has it, and
    // never guess.
    function notMine(stored) {
      if (stored && stored.state === "sent") { sent(stored.url); return; }
      if (stored) { say(text.sending); setTimeout(trySend, 1000); return; }  // still on its way
      // Gone from the phone without an answer here: send what is on the page; the server
      // knows it by its client id and does not make it twice.
      state = "sent";
      forget();
      form.submit();
    }
    function sent(url) {
      state = "sent";
      forget();
      say(text.sent);
      location.assign(url);  // the record left on the phone holds only this address now
    }

    if ("serviceWorker" in navigator && form.dataset.sw) {
      navigator.serviceWorker.register(form.dataset.sw, { scope: form.dataset.scope }).catch(function () {});
    }
    var hasErrors = !!document.querySelector("[data-error-summary]");
    var storedKey = o.stored();
    var restore = storedKey ? O.load(storedKey) : Promise.resolve(null);
    restore.then(function (saved) {
      if (!saved) {
        if (storedKey) { forget(); }
        if (navigator.onLine) { O.sendOutbox().catch(function () {}); }  // others waiting
        return;
      }
      if (saved.state === "sent") {
        if (o.followSent) { sent(saved.url); } else { O.remove(storedKey).catch(function () {}); }
        return;
      }
      clientInput.value = saved.clientId;
      state = saved.state === "sending" ? "outbox" : saved.state;
      if (!hasErrors) { refill(form, saved.fields); }
      say(state === "outbox" ? text.waiting : text.onPhone, saved.savedAt);
      trySend();
    }).catch(function () {});

    function typed() {
      if (state === "sent") { return; }
      clearTimeout(timer);
      timer = setTimeout(function () { save().catch(function () {}); }, 300);
    }
    form.addEventListener("input", typed);
    form.addEventListener("change", typed);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (sending || state === "sent") { return; }  // a second tap sends nothing more
      clearTimeout(timer);
      state = "outbox";
      save().then(trySend, function () { form.submit(); });
    });
    window.addEventListener("online", function () { trySend(); });
    // Some phones never fire "online": try again now and then while it is waiting.
    setInterval(function () { if (state === "outbox" && navigator.onLine) { trySend(); } }, RETRY_MS);
    window.addEventListener("offline", function () { if (state === "outbox") { say(text.waiting); } });
  }

  root.IVOutboxForm = { bind: bind };
})(self);
