// A form sent with mistakes: the summary of what to fix takes the focus, so keyboard and
// screen-reader users start there; each item's link moves to its field. Without this script
// the summary is still first in the form and announced (role="alert").
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
})();
