// The visit report form: kept on the phone (encrypted) while typing, sent when there is a
// connection (static/visits/outbox_form.js), and always saying plainly whether the report is
// on the phone or sent. One copy per visit, kept under the visit's id.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-offline-report]");
    var status = document.getElementById("report-status");
    if (!form || !status || !self.IVOutboxForm) { return; }
    var visit = form.dataset.visit;
    self.IVOutboxForm.bind({
      form: form,
      status: status,
      keyFor: function () { return visit; },
      stored: function () { return visit; },
      followSent: false,
      text: {
        onPhone: "Saved on this phone at {time}. Not sent yet.",
        waiting: "Saved on this phone at {time}. You have no signal, so it is not sent yet. " +
          "It will be sent by itself when you are back online, even if you close this page.",
        sending: "Sending your report…",
        sent: "Sent. Your report has reached the coordinator.",
        signedOut: "Saved on this phone, not sent: you have been signed out. Sign in again " +
          "and open this page to send it."
      }
    });
  });
})();
