// Sends visit reports waiting on the phone when the connection comes back, even with the
// page closed (Background Sync). Served by visits.views.service_worker at /visits/sw.js.
/* global importScripts */
importScripts("__OFFLINE_JS__");

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });
self.addEventListener("sync", function (event) {
  if (event.tag !== "send-reports") { return; }
  event.waitUntil(self.IVOffline.purgeExpired().then(self.IVOffline.sendOutbox).then(function (results) {
    // Still no connection: fail, so the browser tries again later.
    if (results.some(function (r) { return r.outcome === "offline"; })) { throw new Error("offline"); }
  }));
});
