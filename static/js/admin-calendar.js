/* The publishing calendar: drag a scheduled page to another day. Dropping fills the page's
   own "Move to another day" form and submits it, so drag and drop, the keyboard and a
   browser without script all reach the server the same way. */
(function () {
  "use strict";
  let dragged = null;
  const status = document.getElementById("calendar-status");

  document.querySelectorAll(".cms-calendar__event[draggable=true]").forEach(function (item) {
    item.addEventListener("dragstart", function (event) {
      dragged = item;
      item.classList.add("is-dragged");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", item.dataset.item);
    });
    item.addEventListener("dragend", function () {
      item.classList.remove("is-dragged");
      dragged = null;
      document.querySelectorAll(".is-drop-target").forEach(function (day) {
        day.classList.remove("is-drop-target");
      });
    });
  });

  document.querySelectorAll(".cms-calendar__day[data-day]").forEach(function (day) {
    day.addEventListener("dragover", function (event) {
      if (!dragged) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      day.classList.add("is-drop-target");
    });
    day.addEventListener("dragleave", function (event) {
      if (!day.contains(event.relatedTarget)) day.classList.remove("is-drop-target");
    });
    day.addEventListener("drop", function (event) {
      event.preventDefault();
      day.classList.remove("is-drop-target");
      const key = event.dataTransfer.getData("text/plain") || (dragged && dragged.dataset.item);
      const form = key && document.querySelector("form[data-move='" + CSS.escape(key) + "']");
      if (!form) return;
      form.querySelector("input[name=day]").value = day.dataset.day;
      if (status) status.textContent = "Moving to " + day.querySelector("h2").textContent + "…";
      form.submit(); // the server refuses a past day with a message, as for the form
    });
  });
})();
