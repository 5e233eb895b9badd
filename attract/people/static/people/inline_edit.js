// Edit in place (people/views/inline.py): a field's ✎ link (or a click on its value) opens
// the editor through htmx; Enter or leaving the field saves, Escape cancels. A refused save
// comes back as the editor with the reason and the input kept: it then waits for the user
// (no save on leaving it), so a stale edit is never written over someone else's by a blur.
// Without JavaScript the ✎ link opens the full edit page.
(function () {
  "use strict";

  function editorOf(node) {
    return node && node.closest ? node.closest("[data-inline-editor]") : null;
  }

  function control(form) {
    return form.querySelector("[name=value]");
  }

  function changed(form) {
    const input = control(form);
    return input && input.value !== input.getAttribute("data-initial");
  }

  function cancel(form) {
    const button = form.querySelector("[data-inline-cancel]");
    if (button) button.click();
  }

  // A click on a value (not on its own link) opens its editor, as the ✎ link does.
  document.addEventListener("click", function (event) {
    const value = event.target.closest("[data-inline-value]");
    if (!value || event.target.closest("a, button")) return;
    const field = value.closest("[data-inline-field]");
    const edit = field && field.querySelector(".inline-edit");
    if (edit) { event.preventDefault(); edit.click(); }
  });

  document.addEventListener("keydown", function (event) {
    const form = editorOf(event.target);
    if (!form) return;
    if (event.key === "Escape") {
      // The editor closes, not a dialog around it or the page's other handlers.
      event.preventDefault();
      event.stopPropagation();
      cancel(form);
    } else if (event.key === "Enter" && event.target.tagName === "SELECT") {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  // Leaving the editor saves a changed value and closes an unchanged one.
  document.addEventListener("focusout", function (event) {
    const form = editorOf(event.target);
    if (!form) return;
    window.setTimeout(function () {
      if (!document.contains(form) || form.contains(document.activeElement)) return;
      if (form.hasAttribute("data-inline-hold") || form.dataset.sending) return;
      if (changed(form)) form.requestSubmit(); else cancel(form);
    }, 0);
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    const form = editorOf(event.detail.elt);
    if (form) form.dataset.sending = "1";
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    const form = editorOf(event.detail.elt);
    if (form && document.contains(form)) delete form.dataset.sending;
  });

  // After a swap: a new editor takes the focus; a field shown again after its editor had
  // it gives the focus to its ✎ link, so the keyboard user stays where they were. A save
  // made by leaving the field for another one does not pull the focus back. Done once htmx
  // has settled the new content: before that its form is not wired to htmx yet, and an
  // Enter typed into it would post the whole page.
  let pending = null;
  document.addEventListener("htmx:afterSwap", function (event) {
    const target = event.detail.target;
    pending = null;
    if (!target || !target.id || target.id.indexOf("field-") !== 0) return;
    const active = document.activeElement;
    pending = {
      id: target.id,
      opened: event.detail.requestConfig && event.detail.requestConfig.verb === "get",
      focusLost: !active || active === document.body || !document.contains(active),
    };
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!pending) return;
    const wanted = pending;
    pending = null;
    const field = document.getElementById(wanted.id);
    if (!field) return;
    const active = document.activeElement;
    const ours = wanted.focusLost || field.contains(active);
    const input = field.querySelector("[data-inline-editor] [name=value]");
    if (input) {
      if (ours || wanted.opened) {
        input.focus();
        if (input.tagName === "INPUT" && !field.querySelector("[aria-invalid]")) input.select();
      }
      return;
    }
    const edit = field.querySelector(".inline-edit");
    if (ours && edit) edit.focus({ preventScroll: true });
  });
})();
