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

  // Only rows with content take part in the order; a blank extra form stays where it is.
  function orderedRows(group) {
    return rows(group).filter(isFilled);
  }

  function refreshButtons(group) {
    const filled = orderedRows(group);
    rows(group).forEach((row) => {
      const index = filled.indexOf(row);
      row.querySelectorAll(".cms-move button").forEach((button) => {
        const atEnd = button.dataset.direction === "up" ? index <= 0 : index === filled.length - 1;
        button.disabled = index === -1 || atEnd;
      });
    });
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
        const filled = orderedRows(group);
        const index = filled.indexOf(row);
        const sibling = filled[direction === "up" ? index - 1 : index + 1];
        if (index === -1 || !sibling) return;
        if (direction === "up") sibling.before(row); else sibling.after(row);
        renumber(group);
        refreshButtons(group);
        button.focus();
      });
      box.appendChild(button);
    });
    heading.appendChild(box);
  }

  function setUp(group) {
    rows(group).forEach((row) => addButtons(group, row));
    refreshButtons(group);
    group.addEventListener("input", () => refreshButtons(group));
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
      refreshButtons(group);
    }
  });
})();
