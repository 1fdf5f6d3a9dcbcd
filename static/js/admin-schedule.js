/* The Schedule control: a time typed into the picker while "Publish now" is chosen means
   "Schedule for" (a draft keeps its choice: the server asks whether to schedule it). */
(function () {
  "use strict";
  document.querySelectorAll(".cms-schedule").forEach(function (control) {
    const picker = control.querySelector(".cms-schedule__when input");
    const scheduled = control.querySelector("input[type=radio][value=scheduled]");
    const now = control.querySelector("input[type=radio][value=published]");
    if (!picker || !scheduled || !now) return;
    picker.addEventListener("change", function () {
      if (picker.value && now.checked) scheduled.checked = true;
    });
    scheduled.addEventListener("change", function () {
      if (scheduled.checked && !picker.value) picker.focus();
    });
  });
  const question = document.getElementById("schedule-question");
  if (question) {
    const first = question.querySelector("button");
    if (first) first.focus();
  }
})();
