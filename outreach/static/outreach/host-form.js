// Moves focus to the summary of what to fix, so keyboard and screen-reader users start there.
// Without JavaScript the summary is still first in the page and announced (role="alert").
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
})();
