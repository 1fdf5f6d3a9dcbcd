/*
 * Tell the server this admin form is still open, and show who else has it open.
 *
 * A heartbeat is POSTed every data-heartbeat-seconds (settings.CMS_PRESENCE_HEARTBEAT_SECONDS)
 * to data-presence-url; the answer lists the other editors ("Ann has been editing since
 * 10:02"), shown in #cms-presence. Closing the page says goodbye at once (sendBeacon), so a
 * colleague is not told about a form nobody has open any more.
 */
(function () {
  "use strict";

  function start(editing) {
    const config = document.getElementById("cms-editing");
    const list = document.getElementById("cms-presence");
    if (!config || !list || !editing.form) return;
    const url = config.dataset.presenceUrl;
    const seconds = parseInt(config.dataset.heartbeatSeconds, 10);
    if (!url || !(seconds > 0)) return;
    const tokenField = editing.form.querySelector("[name=csrfmiddlewaretoken]");
    const token = tokenField ? tokenField.value : "";

    function show(texts) {
      const shown = Array.from(list.children).map((item) => item.textContent);
      if (JSON.stringify(shown) === JSON.stringify(texts)) return;
      list.replaceChildren(
        ...texts.map(function (text) {
          const item = document.createElement("li");
          item.className = "warning";
          item.textContent = text;
          return item;
        })
      );
    }

    function beat() {
      const body = new FormData();
      body.append("csrfmiddlewaretoken", token);
      fetch(url, { method: "POST", credentials: "same-origin", body: body })
        .then((response) => (response.ok ? response.json() : null))
        .then((answer) => answer && show(answer.others))
        .catch(function () {
          /* Offline for a moment: the next heartbeat tries again. */
        });
    }

    window.setInterval(beat, seconds * 1000);
    // Leaving without saving ends the visit now; after a save the form usually opens again
    // ("Save and continue"), so the visit lapses on its own instead and keeps its "since".
    window.addEventListener("pagehide", function () {
      if (editing.submitting) return;
      const body = new FormData();
      body.append("csrfmiddlewaretoken", token);
      body.append("leave", "1");
      navigator.sendBeacon(url, body);
    });
    // Back from the history cache: the goodbye was sent, so say hello again.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) beat();
    });
  }

  // The change list: mark the rows of pages another editor has open.
  function markRows() {
    document.querySelectorAll("#cms-open-by-others li[data-object-id]").forEach(function (item) {
      const selector = '#result_list input.action-select[value="' + CSS.escape(item.dataset.objectId) + '"]';
      const checkbox = document.querySelector(selector);
      const row = checkbox && checkbox.closest("tr");
      if (!row || row.querySelector(".cms-open-badge")) return;
      row.classList.add("cms-open-elsewhere");
      const badge = document.createElement("span");
      badge.className = "cms-open-badge";
      badge.textContent = item.dataset.badge;
      const cell = row.querySelector("th") || row.lastElementChild;
      cell.append(" ", badge);
    });
  }
  document.addEventListener("DOMContentLoaded", markRows);

  document.addEventListener("cms-editing:ready", function (event) {
    start(event.detail);
  });
})();
