/*
 * Autosave an admin form to the editor's private draft, and offer it back.
 *
 * Every data-autosave-seconds (settings.CMS_AUTOSAVE_SECONDS) the form is read
 * (window.CmsEditing, admin-unsaved.js) and, when it differs from the form as loaded and
 * from the last copy sent, POSTed as JSON to data-autosave-url. Nothing is published and
 * no revision is made; a save deletes the copy on the server.
 *
 * "Restore" fills the form with the copy the page carries (#cms-autosave-data): it adds
 * inline rows through their own "Add another" link until there are as many as were
 * saved, then sets every field, rich-text editors included. The stale-edit token is left
 * as the page has it now.
 */
(function () {
  "use strict";

  // django-prose-editor announces each editor it builds; remember them by textarea.
  const richEditors = new WeakMap();
  document.addEventListener("prose-editor:ready", function (event) {
    richEditors.set(event.detail.textarea, event.detail.editor);
  });

  const NOT_RESTORED = /(^csrfmiddlewaretoken$|^edit_token$|-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$)/;

  function t(text) {
    return typeof window.gettext === "function" ? window.gettext(text) : text;
  }

  function csrfToken(form) {
    const field = form.querySelector("[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function announce(text) {
    const status = document.getElementById("cms-autosave-status");
    if (status) status.textContent = text;
  }

  function fire(element) {
    element.dispatchEvent(new Event("input", { bubbles: true }));
    element.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function addInlineRows(form, fields) {
    Object.keys(fields).forEach(function (name) {
      const match = name.match(/^(.*)-TOTAL_FORMS$/);
      if (!match) return;
      const total = form.elements.namedItem(name);
      const group = document.getElementById(match[1] + "-group");
      const wanted = parseInt(fields[name][0], 10);
      let guard = 1000;
      while (total && group && parseInt(total.value, 10) < wanted && guard-- > 0) {
        const addLink = group.querySelector(".add-row a");
        if (!addLink) break;
        addLink.click();
      }
    });
  }

  function setSelect(select, values, labels) {
    values.forEach(function (value) {
      const exists = Array.from(select.options).some((option) => option.value === value);
      if (!exists) select.add(new Option((labels && labels[value]) || value, value));
    });
    for (const option of select.options) option.selected = values.includes(option.value);
    fire(select);
  }

  function restore(form, state) {
    const fields = state.fields || {};
    const labels = state.labels || {};
    addInlineRows(form, fields);
    const position = {};
    for (const element of form.elements) {
      const name = element.name;
      if (!name || NOT_RESTORED.test(name) || !(name in fields)) continue;
      if (element.type === "file" || element.type === "submit" || element.type === "button") continue;
      const values = fields[name];
      if (element.type === "checkbox" || element.type === "radio") {
        const checked = values.includes(element.value);
        if (element.checked !== checked) {
          element.checked = checked;
          fire(element);
        }
      } else if (element.tagName === "SELECT") {
        setSelect(element, values, labels[name]);
      } else {
        const index = (position[name] = name in position ? position[name] + 1 : 0);
        const value = index < values.length ? values[index] : "";
        if (element.value === value) continue;
        element.value = value;
        const editor = richEditors.get(element);
        if (editor) editor.commands.setContent(value);
        fire(element);
      }
    }
  }

  function start(editing) {
    const config = document.getElementById("cms-editing");
    if (!config || !editing.form) return;
    const form = editing.form;

    const offer = document.getElementById("cms-autosave-offer");
    const data = document.getElementById("cms-autosave-data");
    const restoreButton = document.getElementById("cms-autosave-restore");
    if (offer && data && restoreButton) {
      restoreButton.hidden = false;
      restoreButton.addEventListener("click", function () {
        restore(form, JSON.parse(data.textContent));
        offer.hidden = true;
        announce(restoreButton.dataset.done);
        const first = form.querySelector("input:not([type=hidden]), textarea, select");
        if (first) first.focus();
      });
    }

    const url = config.dataset.autosaveUrl;
    const seconds = parseInt(config.dataset.autosaveSeconds, 10);
    if (!url || !(seconds > 0)) return;
    let lastSent = editing.baseline;
    let sending = false;

    function autosave() {
      if (sending || editing.submitting) return;
      const state = editing.snapshot();
      const current = editing.key(state);
      if (current === lastSent || current === editing.baseline) return;
      sending = true;
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(form) },
        body: JSON.stringify(state),
      })
        .then(function (response) {
          return response.json().then(function (body) {
            if (!response.ok) throw new Error(body.error || response.statusText);
            lastSent = current;
            announce(body.message);
          });
        })
        .catch(function (error) {
          announce(t("Autosave failed:") + " " + error.message + " " + t("Your changes are still in this form."));
        })
        .finally(function () {
          sending = false;
        });
    }

    window.setInterval(autosave, seconds * 1000);
  }

  document.addEventListener("cms-editing:ready", function (event) {
    start(event.detail);
  });
})();
