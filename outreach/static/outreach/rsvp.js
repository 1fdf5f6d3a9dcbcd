// The RSVP form's error summary takes the focus, so keyboard and screen reader users start
// at the list of what to fix; each item's link moves to its field. Without this script the
// summary is still announced (role="alert") and the links still work.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".rsvp .error-summary");
  if (summary) summary.focus();
});
