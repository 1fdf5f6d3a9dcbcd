// The "Import an interview" page: a box that takes a paste from Google Docs or Word whole.
// A textarea only ever receives plain text; this box catches the clipboard's HTML instead
// (bold questions, lists, headings, embedded pictures) and puts it in the hidden field the
// server reads. The box itself shows only the pasted text: no pasted markup is rendered
// here, so no picture the paste names is loaded from another site.
(function () {
  "use strict";
  var row = document.querySelector("[data-import-paste-row]");
  var zone = document.querySelector("[data-import-paste]");
  var status = document.querySelector("[data-import-paste-status]");
  var hidden = document.getElementById("id_pasted_html");
  var textarea = document.getElementById("id_text");
  if (!row || !zone || !hidden) { return; }
  row.hidden = false;

  function say(text) {
    if (!status) { return; }
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function describe(html, text) {
    var words = (text.match(/\S+/g) || []).length;
    var pictures = (html.match(/<img\b/gi) || []).length;
    var what = words + " words";
    if (pictures) { what += ", " + pictures + (pictures === 1 ? " picture" : " pictures"); }
    return html ? "Pasted with its formatting: " + what + ". Now choose “Show the split”."
                : "Pasted as plain text: " + what + ". Now choose “Show the split”.";
  }

  zone.addEventListener("paste", function (event) {
    var data = event.clipboardData || window.clipboardData;
    if (!data) { return; }
    event.preventDefault();
    var html = data.getData("text/html") || "";
    var text = data.getData("text/plain") || "";
    hidden.value = html;
    zone.textContent = text;
    if (textarea) { textarea.value = html ? "" : text; }
    say(describe(html, text));
  });

  // Typed (not pasted) into the box: plain text, like the textarea.
  zone.addEventListener("input", function (event) {
    if (event.inputType === "insertFromPaste") { return; }
    hidden.value = "";
    if (textarea) { textarea.value = zone.innerText; }
  });

  // The textarea edited after a paste: what it holds now is what the editor means.
  if (textarea) {
    textarea.addEventListener("input", function () {
      if (hidden.value) {
        hidden.value = "";
        zone.textContent = "";
        say("The formatted paste was replaced by the text typed below.");
      }
    });
  }
})();
