/*
 * Re-ordering for the admin's sortable inlines (question/answer pairs): "Move up" and
 * "Move down" buttons next to each pair swap it with its neighbour and renumber the
 * order fields, so the order the editor sees is the order that is saved. Works with
 * the keyboard; the order fields stay editable for people who prefer numbers.
 */
(function () {
  "use strict";

  function rows(group) {
    return Array.from(group.querySelectorAll(".inline-related:not(.empty-form)")).filter(
      (row) => !row.id.endsWith("-empty")
    );
  }

  // A blank extra form must stay untouched, or Django would validate it as a new pair.
  function isFilled(row) {
    const id = row.querySelector('input[name$="-id"]');
    const question = row.querySelector('textarea[name$="-question"]');
    return (id && id.value) || (question && question.value.trim());
  }

  function renumber(group) {
    let number = 0;
    rows(group).forEach((row) => {
      const field = row.querySelector('input[name$="-sort_order"]');
      if (field && isFilled(row)) field.value = ++number;
    });
  }

  function addButtons(group, row) {
    if (row.querySelector(".cms-move")) return;
    const heading = row.querySelector("h3");
    if (!heading) return;
    const box = document.createElement("span");
    box.className = "cms-move";
    [["up", "Move up"], ["down", "Move down"]].forEach(([direction, label]) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      button.dataset.direction = direction;
      button.addEventListener("click", () => {
        const sibling = direction === "up" ? row.previousElementSibling : row.nextElementSibling;
        if (!sibling || !sibling.classList.contains("inline-related") || sibling.classList.contains("empty-form")) return;
        if (direction === "up") sibling.before(row); else sibling.after(row);
        renumber(group);
        button.focus();
      });
      box.appendChild(button);
    });
    heading.appendChild(box);
  }

  function setUp(group) {
    rows(group).forEach((row) => addButtons(group, row));
    const form = group.closest("form");
    if (form) form.addEventListener("submit", () => renumber(group));
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".inline-group .cms-sortable").forEach((fieldset) => {
      setUp(fieldset.closest(".inline-group"));
    });
  });
  document.addEventListener("formset:added", (event) => {
    const group = event.target.closest(".inline-group");
    if (group && group.querySelector(".cms-sortable")) {
      addButtons(group, event.target);
    }
  });
})();
