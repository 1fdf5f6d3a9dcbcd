// Copy buttons on the admin's share-link page: each link to the clipboard in one click.
// Where the clipboard API is missing or refused (an insecure address, an old browser), the
// link is selected instead, for the editor to copy with the keyboard. What happened is said
// in the page's status line, which screen readers announce (aria-live).
(function () {
  "use strict";
  var status = document.querySelector("[data-copy-status]");

  function say(text) {
    if (!status) { return; }
    status.textContent = "";  // a repeated message is announced again
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function selectAndCopy(field) {
    field.focus();
    field.select();
    field.setSelectionRange(0, field.value.length);
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    say(copied ? "Copied." : "The link is selected: press Ctrl+C (⌘C on a Mac) to copy it.");
  }

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(
          function () { say("Copied."); },
          function () { selectAndCopy(field); }
        );
      } else {
        selectAndCopy(field);
      }
    });
  });
})();
