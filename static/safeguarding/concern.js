// "Report a worry": kept on the phone (encrypted) while the IV types, and sent when there is
// signal, by static/visits/outbox_form.js. Stored under "concern:<client id>" in the same
// encrypted store as visit reports, so the visits service worker, the 7-day expiry and the
// wipe at sign-out cover it too. Without script the form is a plain POST.
(function () {
  "use strict";
  // Which stored worry belongs to this page (the form's address, with its ?visit= or ?child=).
  // Only the random client id is kept here, in clear; everything typed is in the encrypted store.
  var POINTER = "ivscheme-concern:" + location.pathname + location.search;
  function keyFor(clientId) { return "concern:" + clientId; }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-concern-form]");
    var status = document.getElementById("concern-status");
    if (!form || !status || !self.IVOutboxForm) { return; }
    self.IVOutboxForm.bind({
      form: form,
      status: status,
      keyFor: keyFor,
      stored: function () {
        var id = null;
        try { id = localStorage.getItem(POINTER); } catch (e) { /* private mode */ }
        return id ? keyFor(id) : null;
      },
      remember: function (clientId) {
        try { localStorage.setItem(POINTER, clientId); } catch (e) { /* private mode: still sent */ }
      },
      forget: function () {
        try { localStorage.removeItem(POINTER); } catch (e) { /* nothing to clear */ }
      },
      followSent: true,
      text: {
        onPhone: "Saved on this phone at {time}. Not sent yet.",
        waiting: "Saved on this phone, not sent yet: it will be sent when you have signal. " +
          "If the child is in danger, call 999 now.",
        sending: "Sending to the coordinator…",
        sent: "Sent. Your report has reached the coordinator.",
        signedOut: "Saved on this phone, not sent: you have been signed out. Sign in again " +
          "and open this page to send it. If the child is in danger, call 999 now."
      }
    });
  });
})();
