// ivscheme page behaviour. Loaded as a file: the Content Security Policy forbids inline script.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Error summary pattern: move focus to the summary so screen readers announce it.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  });
})();
