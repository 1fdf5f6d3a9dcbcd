/*
 * Ordering for the admin's sortable inlines (class "cms-sortable": question/answer pairs,
 * an interview's photos, a film's credits).
 *
 * - Drag a row by its grip (the vendored SortableJS, mouse, pen or touch), or use the
 *   "Move up" / "Move down" buttons beside it: the keyboard way. Each move is announced
 *   to screen readers ("Question 3 moved to position 2").
 * - The order is a hidden form field (input[data-cms-order]) numbered 1, 2, 3... in the
 *   order the editor sees, on every move and on submit, so saving, autosave and its
 *   restore all carry it. Blank extra rows and rows marked for deletion are not numbered:
 *   a blank row given a number would count as changed and be validated as a new row.
 * - Photos are numbered among the photos after the same answer (their select marked
 *   data-cms-order-within); the answer a photo follows is chosen in its select only.
 * - Selects marked data-cms-follows="pairs" name answers by their number; the numbers
 *   change as pairs move, before the save.
 * - When the order fields change under the page (autosave's restore fires "change" on
 *   them), the rows are rearranged to match; so is a form shown again with errors.
 */
(function () {
  "use strict";

  const NOUNS = { pairs: "Question", figures: "Photo", credits: "Credit" };
  const BLANK = /^\s*(<p>\s*<\/p>)?\s*$/;

  function t(text) {
    return typeof window.gettext === "function" ? window.gettext(text) : text;
  }

  function prefix(group) {
    return group.id.replace(/-group$/, "");
  }

  function isTabular(group) {
    return group.dataset.inlineType === "tabular";
  }

  function container(group) {
    return isTabular(group) ? group.querySelector("tbody") : group.querySelector("fieldset.module");
  }

  function rows(group) {
    const selector = isTabular(group) ? "tbody > tr.form-row" : "fieldset.module > .inline-related";
    return Array.from(group.querySelectorAll(selector)).filter(
      (row) => !row.classList.contains("empty-form") && !row.id.endsWith("-empty")
    );
  }

  function orderField(row) {
    return row.querySelector("input[data-cms-order]");
  }

  function isDeleted(row) {
    const box = row.querySelector('input[type=checkbox][name$="-DELETE"]');
    return Boolean(box && box.checked);
  }

  function isFilled(row) {
    const id = row.querySelector('input[type=hidden][name$="-id"]');
    if (id && id.value) return true;
    return Array.from(row.querySelectorAll("input, select, textarea")).some((field) => {
      if (field.type === "hidden" || field.type === "checkbox" || field.type === "button") return false;
      if (field.closest(".cms-move")) return false;
      return !BLANK.test(field.value || "");
    });
  }

  // The rows that take part in the order, as the editor sees them.
  function orderedRows(group) {
    return rows(group).filter((row) => isFilled(row) && !isDeleted(row));
  }

  function renumber(group) {
    const counters = {};
    orderedRows(group).forEach((row) => {
      const field = orderField(row);
      if (!field) return;
      const within = row.querySelector("select[data-cms-order-within]");
      const key = within ? within.value : "";
      counters[key] = (counters[key] || 0) + 1;
      field.value = counters[key];
    });
    relabelFollowers(group);
  }

  // Answers offered in "After answer" selects carry their number: keep it current.
  function relabelFollowers(group) {
    const selects = document.querySelectorAll(`select[data-cms-follows="${prefix(group)}"]`);
    if (!selects.length) return;
    const numbers = {};
    orderedRows(group).forEach((row, index) => {
      const id = row.querySelector('input[type=hidden][name$="-id"]');
      if (id && id.value) numbers[id.value] = index + 1;
    });
    selects.forEach((select) => {
      Array.from(select.options).forEach((option) => {
        if (!(option.value in numbers)) return;
        option.textContent = option.textContent.replace(/^\d+\./, `${numbers[option.value]}.`);
      });
    });
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

  function announce(group, from, to) {
    const status = group.querySelector(".cms-order-status");
    if (!status || from === to) return;
    const noun = t(NOUNS[prefix(group)] || "Row");
    status.textContent = interpolate(t("%(noun)s %(from)s moved to position %(to)s"), {
      noun: noun, from: from, to: to,
    });
  }

  function interpolate(text, values) {
    if (typeof window.interpolate === "function") return window.interpolate(text, values, true);
    return text.replace(/%\((\w+)\)s/g, (_, key) => values[key]);
  }

  // Django adds rows before its hidden template row, and "Add another" must stay last.
  function keepTemplateLast(group) {
    const box = container(group);
    const template = box.querySelector(":scope > .empty-form");
    const add = box.querySelector(":scope > .add-row");
    if (template) box.appendChild(template);
    if (add) box.appendChild(add);
  }

  function moved(group, row, from) {
    keepTemplateLast(group);
    renumber(group);
    refreshButtons(group);
    announce(group, from, orderedRows(group).indexOf(row) + 1);
  }

  function addControls(group, row) {
    if (row.querySelector(".cms-move")) return;
    const place = isTabular(group) ? row.querySelector("td.original") : row.querySelector("h3");
    if (!place) return;
    const grip = document.createElement("span");
    grip.className = "cms-drag-handle";
    grip.title = t("Drag to reorder");
    grip.setAttribute("aria-hidden", "true");
    // In a table row Django's row name sits first in that cell, placed over the row.
    if (isTabular(group)) place.append(grip); else place.prepend(grip);
    const box = document.createElement("span");
    box.className = "cms-move";
    [["up", t("Move up")], ["down", t("Move down")]].forEach(([direction, label]) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "cms-move-" + direction;
      button.textContent = label;
      button.dataset.direction = direction;
      button.addEventListener("click", () => {
        const filled = orderedRows(group);
        const index = filled.indexOf(row);
        const sibling = filled[direction === "up" ? index - 1 : index + 1];
        if (index === -1 || !sibling) return;
        if (direction === "up") sibling.before(row); else sibling.after(row);
        moved(group, row, index + 1);
        if (button.disabled) {
          const other = row.querySelector(".cms-move button:not(:disabled)");
          if (other) other.focus();
        } else {
          button.focus();
        }
      });
      box.appendChild(button);
    });
    place.appendChild(box);
  }

  // Rows in the order their numbers say (after a restore, or a form shown with errors).
  // Photos are numbered per answer, so their numbers alone give no single order: they stay.
  function arrangeByOrder(group) {
    if (group.querySelector("select[data-cms-order-within]")) return;
    const filled = orderedRows(group);
    if (!filled.length) return;
    const number = (row) => {
      const value = parseInt((orderField(row) || {}).value, 10);
      return isNaN(value) ? Infinity : value;
    };
    const sorted = filled
      .map((row, index) => ({ row, index, order: number(row) }))
      .sort((a, b) => a.order - b.order || a.index - b.index)
      .map((item) => item.row);
    if (sorted.every((row, index) => row === filled[index])) return;
    let previous = filled[0].previousElementSibling;
    sorted.forEach((row) => {
      if (previous) previous.after(row); else container(group).prepend(row);
      previous = row;
    });
    keepTemplateLast(group);
    refreshButtons(group);
    relabelFollowers(group);
  }

  function setUp(group) {
    if (group.dataset.cmsOrdering) return;
    group.dataset.cmsOrdering = "on";
    const status = document.createElement("div");
    status.className = "cms-order-status visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    group.appendChild(status);
    rows(group).forEach((row) => addControls(group, row));
    arrangeByOrder(group);
    refreshButtons(group);
    relabelFollowers(group);

    let restoring = null;
    group.addEventListener("change", (event) => {
      if (!event.target.matches("input[data-cms-order]")) return;
      clearTimeout(restoring);
      restoring = setTimeout(() => arrangeByOrder(group), 0);
    });
    group.addEventListener("input", () => refreshButtons(group));
    group.addEventListener("change", () => refreshButtons(group));
    const form = group.closest("form");
    if (form) form.addEventListener("submit", () => renumber(group));

    if (typeof window.Sortable !== "function") return;
    let from = 0;
    window.Sortable.create(container(group), {
      handle: ".cms-drag-handle",
      draggable: isTabular(group) ? "tr.form-row:not(.empty-form)" : ".inline-related:not(.empty-form)",
      forceFallback: true, // pointer events: the same on mouse, pen and touch
      fallbackOnBody: true, // the dragged copy stays out of the form
      animation: 150,
      ghostClass: "cms-drag-ghost",
      chosenClass: "cms-drag-chosen",
      onStart: (event) => {
        from = orderedRows(group).indexOf(event.item) + 1;
      },
      onEnd: (event) => moved(group, event.item, from),
    });
  }

  function setUpAll() {
    document.querySelectorAll(".inline-group .cms-sortable").forEach((fieldset) => {
      setUp(fieldset.closest(".inline-group"));
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpAll);
  else setUpAll();

  document.addEventListener("formset:added", (event) => {
    const group = event.target.closest(".inline-group");
    if (group && group.dataset.cmsOrdering) {
      addControls(group, event.target);
      refreshButtons(group);
    }
  });
})();
