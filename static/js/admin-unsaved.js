/*
 * Warn before leaving an admin change form whose fields were changed and not saved.
 *
 * The form is read into a plain object ({fields: {name: [values]}, labels: {...}}) when the
 * page has loaded and again when the editor leaves; the browser asks "Leave site?" only when
 * the two differ, never after the editor pressed a save button. A form shown again with
 * errors holds changes that were not saved, so it warns from the start.
 *
 * Also the shared reader for admin-autosave.js: window.CmsEditing. Safe to load twice
 * (base_site.html for every form, and a publishable admin's media).
 */
(function () {
  "use strict";
  if (window.CmsEditing) return;

  const SKIPPED = new Set(["csrfmiddlewaretoken"]);
  const IGNORED_TYPES = new Set(["submit", "button", "reset", "image"]);

  function changeForm() {
    return document.querySelector("body.change-form #content-main form[method='post' i]");
  }

  function add(object, name, value) {
    (object[name] = object[name] || []).push(value);
  }

  // Read every field a save would send, inline rows included (but not the hidden
  // template row Django copies for "Add another").
  function snapshot(form) {
    const fields = {};
    const labels = {};
    for (const element of form.elements) {
      const name = element.name;
      if (!name || SKIPPED.has(name) || name.includes("__prefix__")) continue;
      if (IGNORED_TYPES.has(element.type) || element.disabled) continue;
      if (element.type === "file") {
        // A chosen file is a change to warn about; its name is all an autosave can keep.
        add(fields, name, Array.from(element.files).map((file) => file.name).join(", "));
        continue;
      }
      if (element.type === "checkbox" || element.type === "radio") {
        fields[name] = fields[name] || [];
        if (element.checked) fields[name].push(element.value);
      } else if (element.tagName === "SELECT") {
        // The "chosen" box of a two-box selector holds its choices unselected until submit.
        const all = element.id.endsWith("_to") && element.classList.contains("filtered");
        fields[name] = fields[name] || [];
        labels[name] = labels[name] || {};
        for (const option of element.options) {
          if (!all && !option.selected) continue;
          fields[name].push(option.value);
          labels[name][option.value] = option.text;
        }
      } else {
        add(fields, name, element.value);
      }
    }
    return { fields: fields, labels: labels };
  }

  function key(state) {
    return JSON.stringify(state.fields);
  }

  const editing = {
    form: null,
    baseline: null, // the form as loaded; null when it holds unsaved data from the start
    submitting: false,
    snapshot: function () {
      return snapshot(editing.form);
    },
    key: key,
    isDirty: function () {
      if (!editing.form || editing.submitting) return false;
      return editing.baseline === null || key(editing.snapshot()) !== editing.baseline;
    },
  };
  window.CmsEditing = editing;

  window.addEventListener("load", function () {
    const form = changeForm();
    if (!form) return;
    editing.form = form;
    const refused = document.querySelector("#content-main .errornote, #content-main .errorlist");
    editing.baseline = refused ? null : key(snapshot(form));
    form.addEventListener("submit", function () {
      editing.submitting = true;
    });
    document.dispatchEvent(new CustomEvent("cms-editing:ready", { detail: editing }));
  });

  // pageshow: coming back through the history (bfcache) after a submit leaves the form live.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) editing.submitting = false;
  });

  window.addEventListener("beforeunload", function (event) {
    if (!editing.isDirty()) return;
    event.preventDefault();
    event.returnValue = ""; // older browsers need a value to ask
  });
})();
