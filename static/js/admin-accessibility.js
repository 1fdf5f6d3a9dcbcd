/* Accessible names for the controls the admin's widgets draw without one (WCAG 4.1.2):
 * select2's boxes (autocomplete fields), the rich-text editor's editable area, and the
 * inputs of a tabular inline's rows, which only a column header names. Widgets appear
 * after load (select2, the editor, "Add another"), so the page is watched for them. */
'use strict';
(function () {
  function labelOf(control) {
    if (control.id) {
      const label = document.querySelector('label[for="' + CSS.escape(control.id) + '"]');
      if (label) return label;
    }
    return control.closest('div.form-row, div.fieldBox')?.querySelector('label') || null;
  }

  function columnName(control) {
    const cell = control.closest('td[class*="field-"]');
    const field = cell && [...cell.classList].find(name => name.startsWith('field-'));
    const header = field && cell.closest('table')
      ?.querySelector('thead th.column-' + CSS.escape(field.slice(6)));
    return header ? header.textContent.trim() : '';
  }

  function nameOf(control) {
    const label = labelOf(control);
    const text = label ? label.textContent.replace(/:\s*$/, '').trim() : columnName(control);
    return text;
  }

  function name(element, text) {
    if (text && !element.hasAttribute('aria-label')) element.setAttribute('aria-label', text);
  }

  function fix(root) {
    root.querySelectorAll('select.select2-hidden-accessible').forEach(select => {
      const container = select.nextElementSibling;
      if (!container || !container.classList.contains('select2')) return;
      const text = nameOf(select);
      const box = container.querySelector('.select2-selection');
      if (box) {
        box.removeAttribute('aria-labelledby');  // points at the chosen value, empty at first
        name(box, text);
      }
      container.querySelectorAll('.select2-selection__rendered[role="textbox"]')
        .forEach(rendered => {
          rendered.removeAttribute('role');
          rendered.removeAttribute('aria-readonly');
        });
      container.querySelectorAll('ul.select2-selection__rendered').forEach(list => {
        list.setAttribute('role', 'presentation');
      });
      container.querySelectorAll('.select2-search__field').forEach(field => name(field, text));
    });
    root.querySelectorAll('.prose-editor [contenteditable="true"]').forEach(editor => {
      const field = editor.closest('.prose-editor')?.parentElement?.querySelector('textarea');
      name(editor, field ? nameOf(field) : '');
    });
    root.querySelectorAll('.tabular td[class*="field-"] :is(input, select, textarea)')
      .forEach(control => {
        if (control.type !== 'hidden' && !labelOf(control)) name(control, columnName(control));
      });
    root.querySelectorAll('.tabular td.delete input[type="checkbox"]').forEach(box => {
      if (!labelOf(box)) name(box, 'Delete');
    });
  }

  let pending = false;
  function soon() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; fix(document); });
  }

  function start() {
    fix(document);
    new MutationObserver(soon).observe(document.body, {childList: true, subtree: true});
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
