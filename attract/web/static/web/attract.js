// Attract's own small script: the phone menu, keyboard shortcuts, the command palette,
// toasts, the confirm dialog, modal dialogs and keeping focus in place across htmx updates.
// Every page works without it; it only adds speed. No inline scripts or handlers anywhere:
// behaviour hangs on data-* attributes, so a strict Content-Security-Policy holds.
(function () {
  "use strict";

  function typingInField(event) {
    const t = event.target;
    return t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName));
  }

  // --- Print buttons (the plan's printable page) -------------------------------------------
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });

  // --- Phone menu -------------------------------------------------------------------------
  document.addEventListener("click", function (event) {
    const toggle = event.target.closest("[data-nav-toggle]");
    if (!toggle) return;
    const nav = document.getElementById(toggle.getAttribute("aria-controls"));
    const open = nav.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });

  // --- Copy a secret shown once (a new API token, an invitation link) ------------------------
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    const text = (source.value !== undefined ? source.value : source.textContent).trim();
    const done = function () { button.textContent = "Copied"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { selectText(source); });
    } else {
      selectText(source);
    }
  });

  // Without clipboard access (plain http on a LAN), select the text for Ctrl+C.
  function selectText(element) {
    if (element.select) { element.select(); return; }
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // --- Toasts: dismissed by their button, or after a while unless the pointer or focus is
  // on them (an Undo must stay reachable). Errors stay until dismissed. ----------------------
  const TOAST_MS = 12000;
  function armToast(toast) {
    if (toast.dataset.armed || toast.hasAttribute("data-sticky")) return;
    toast.dataset.armed = "1";
    let timer = null;
    const start = function () { timer = window.setTimeout(function () { toast.remove(); }, TOAST_MS); };
    const stop = function () { window.clearTimeout(timer); };
    toast.addEventListener("mouseenter", stop);
    toast.addEventListener("focusin", stop);
    toast.addEventListener("mouseleave", start);
    toast.addEventListener("focusout", start);
    start();
  }
  function armToasts(root) {
    (root || document).querySelectorAll("[data-toast]").forEach(armToast);
  }
  document.addEventListener("click", function (event) {
    const close = event.target.closest("[data-toast-close]");
    if (close) close.closest("[data-toast]").remove();
  });
  // Other scripts (the board) show a toast through this one function.
  window.attractToast = function (html, tone) {
    const region = document.getElementById("toasts");
    if (!region) return;
    const toast = document.createElement("div");
    toast.className = "toast" + (tone ? " toast-" + tone : "");
    toast.setAttribute("data-toast", "");
    const text = document.createElement("div");
    text.className = "toast-text";
    if (html instanceof Node) text.appendChild(html); else text.textContent = html;
    const close = document.createElement("button");
    close.type = "button";
    close.className = "toast-close";
    close.setAttribute("data-toast-close", "");
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "×";
    toast.append(text, close);
    region.appendChild(toast);
    armToast(toast);
    return toast;
  };

  // --- The confirm dialog ----------------------------------------------------------------------
  function askToConfirm(question, label, onConfirm) {
    const dialog = document.getElementById("confirm-dialog");
    if (!dialog || !dialog.showModal) { if (window.confirm(question)) onConfirm(); return; }
    dialog.querySelector("#confirm-text").textContent = question;
    const ok = dialog.querySelector("[data-confirm-ok]");
    ok.textContent = label || "Confirm";
    const cancel = dialog.querySelector("[data-confirm-cancel]");
    const opener = document.activeElement;
    const finish = function (confirmed) {
      ok.removeEventListener("click", yes);
      cancel.removeEventListener("click", no);
      dialog.removeEventListener("close", no);
      if (dialog.open) dialog.close();
      if (confirmed) onConfirm(); else if (opener && opener.focus) opener.focus();
    };
    const yes = function () { finish(true); };
    const no = function () { finish(false); };
    ok.addEventListener("click", yes);
    cancel.addEventListener("click", no);
    dialog.addEventListener("close", no);
    dialog.showModal();
    cancel.focus();
  }
  document.addEventListener("submit", function (event) {
    const form = event.target;
    const question = form.getAttribute("data-confirm");
    if (!question || form.dataset.confirmed) return;
    event.preventDefault();
    const submitter = event.submitter;
    askToConfirm(question, form.getAttribute("data-confirm-label"), function () {
      form.dataset.confirmed = "1";
      if (form.requestSubmit) form.requestSubmit(submitter || undefined); else form.submit();
      delete form.dataset.confirmed;
    });
  });
  document.addEventListener("htmx:confirm", function (event) {
    const question = event.detail.question;
    if (!question) return;
    event.preventDefault();
    askToConfirm(question, event.detail.elt.getAttribute("data-confirm-label"), function () {
      event.detail.issueRequest(true);
    });
  });

  // --- Modal dialogs: data-dialog-open="id" opens, data-dialog-close closes ----------------------
  document.addEventListener("click", function (event) {
    const opener = event.target.closest("[data-dialog-open]");
    if (opener) {
      const dialog = document.getElementById(opener.getAttribute("data-dialog-open"));
      if (dialog && dialog.showModal && !dialog.open) {
        event.preventDefault();
        dialog.showModal();
        const first = dialog.querySelector("[autofocus], select, input:not([type=hidden]), textarea");
        if (first) first.focus();
      }
      return;
    }
    const closer = event.target.closest("[data-dialog-close]");
    if (closer) {
      const dialog = closer.closest("dialog");
      if (dialog) dialog.close();
    }
  });
  // The element that opened a dialog gets the focus back when it closes.
  document.addEventListener("close", function (event) {
    const dialog = event.target;
    if (!(dialog instanceof HTMLDialogElement)) return;
    const opener = document.querySelector('[data-dialog-open="' + dialog.id + '"]');
    // Also when the opener was redrawn while the dialog was open (the fit card behind the
    // "Assess" dialog is): the browser's own return of the focus then finds no element.
    const active = document.activeElement;
    if (opener && (!active || active === document.body || dialog.contains(active))) opener.focus();
  }, true);

  // --- Focus stays where it was after an htmx update --------------------------------------------
  // A swap replaces the element that had the focus; the new element with the same id (or the
  // same name inside the same form) gets it back, so a keyboard user does not land at the top.
  // A control with neither (a form's submit button) is found again by its place among the
  // focusable controls of the swapped element, when that element keeps its id.
  const FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea, [tabindex]";
  let focusKey = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    const active = document.activeElement;
    focusKey = null;
    if (!active || active === document.body) return;
    if (active.id) focusKey = { id: active.id };
    else if (active.name && active.form && active.form.id) focusKey = { form: active.form.id, name: active.name };
    else {
      const swapped = event.detail.target;
      if (swapped && swapped.id && swapped.contains(active)) {
        focusKey = { within: swapped.id, index: Array.prototype.indexOf.call(swapped.querySelectorAll(FOCUSABLE), active) };
      }
    }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    armToasts(document);
    if (!focusKey) return;
    const active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) { focusKey = null; return; }
    let target = null;
    if (focusKey.id) target = document.getElementById(focusKey.id);
    else if (focusKey.within) {
      const swapped = document.getElementById(focusKey.within);
      target = swapped && focusKey.index >= 0 ? swapped.querySelectorAll(FOCUSABLE)[focusKey.index] : null;
    } else {
      const form = document.getElementById(focusKey.form);
      target = form && form.elements.namedItem(focusKey.name);
    }
    focusKey = null;
    if (target && target.focus) target.focus({ preventScroll: true });
  });

  // --- The command palette -----------------------------------------------------------------
  // A dialog with a combobox: htmx fills #palette-results as the user types; the arrow keys
  // move aria-selected through the options; Enter follows the chosen one. An action with
  // data-then ("Log a call") asks for the record next: the same input, a narrower search.
  function paletteParts() {
    const dialog = document.getElementById("palette");
    if (!dialog || !dialog.showModal) return null;
    return { dialog: dialog, input: dialog.querySelector("#palette-input"), then: dialog.querySelector("[data-palette-then]") };
  }
  function paletteRefresh(parts) {
    if (window.htmx) window.htmx.trigger(parts.input, "palette:refresh");
  }
  function paletteAsk(parts, then, prompt) {
    parts.then.value = then || "";
    parts.input.placeholder = prompt || "Search or type a command…";
    parts.input.value = "";
    parts.input.focus();
    paletteRefresh(parts);
  }
  function openPalette(text) {
    const parts = paletteParts();
    if (!parts) return false;
    if (!parts.dialog.open) parts.dialog.showModal();
    parts.then.value = "";
    parts.input.placeholder = "Search or type a command…";
    parts.input.value = text || "";
    parts.input.focus();
    paletteRefresh(parts);
    return true;
  }
  function paletteOptions() {
    return Array.prototype.slice.call(document.querySelectorAll("#palette-results [role=option]"));
  }
  function paletteChoose(option) {
    const parts = paletteParts();
    paletteOptions().forEach(function (o) { o.setAttribute("aria-selected", o === option ? "true" : "false"); });
    if (option) {
      parts.input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      parts.input.removeAttribute("aria-activedescendant");
    }
  }
  function paletteFollow(option) {
    const then = option.getAttribute("data-then");
    if (then) { paletteAsk(paletteParts(), then, option.getAttribute("data-prompt")); return; }
    window.location.assign(option.href);
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id === "palette-results") paletteChoose(paletteOptions()[0] || null);
  });
  document.addEventListener("click", function (event) {
    const field = event.target.closest("[data-palette-field]");
    if (field && openPalette(field.value)) { event.preventDefault(); field.value = ""; return; }
    const option = event.target.closest("#palette-results [role=option]");
    if (option && option.getAttribute("data-then")) { event.preventDefault(); paletteFollow(option); }
  });
  document.addEventListener("input", function (event) {
    const field = event.target.closest("[data-palette-field]");
    if (field && openPalette(field.value)) field.value = "";
  });
  document.addEventListener("keydown", function (event) {
    if (event.target.id !== "palette-input") return;
    const options = paletteOptions();
    const current = options.findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!options.length) return;
      const step = event.key === "ArrowDown" ? 1 : -1;
      paletteChoose(options[(current + step + options.length) % options.length]);
    } else if (event.key === "Enter" && current >= 0) {
      event.preventDefault();
      paletteFollow(options[current]);
    } else if (event.key === "Backspace" && !event.target.value) {
      const parts = paletteParts();
      if (parts.then.value) { event.preventDefault(); paletteAsk(parts, "", ""); }
    }
  });

  // A page opened at a form field (the palette's "Log a call with…") puts the cursor in it;
  // opened at a dialog (a deal's "Assess" → the company's #fit-assess), opens the dialog.
  function focusTargetField() {
    if (!window.location.hash) return;
    const target = document.getElementById(window.location.hash.slice(1));
    if (target && ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) target.focus();
    if (target instanceof HTMLDialogElement && target.showModal && !target.open) {
      target.showModal();
      const first = target.querySelector("[autofocus], select, input:not([type=hidden]), textarea");
      if (first) first.focus();
    }
  }

  // --- Keyboard shortcuts ---------------------------------------------------------------------
  let pendingG = false;
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k") {
      const parts = paletteParts();
      if (parts && parts.dialog.open) { event.preventDefault(); parts.dialog.close(); return; }
      if (!document.querySelector("dialog[open]") && openPalette("")) event.preventDefault();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typingInField(event)) return;
    if (document.querySelector("dialog[open]")) return;
    if (event.key === "/") {
      // The list's own search where the page has one, else the palette.
      const search = document.querySelector("[data-search]");
      if (search) { event.preventDefault(); search.focus(); search.select(); }
      else if (openPalette("")) event.preventDefault();
      return;
    }
    if (event.key === "?") {
      const dialog = document.getElementById("shortcuts");
      if (dialog && !dialog.open) dialog.showModal();
      return;
    }
    if (event.key === "n") {
      const create = document.querySelector("[data-new]");
      if (create) { event.preventDefault(); create.click(); }
      return;
    }
    if (pendingG) {
      pendingG = false;
      const key = '[data-shortcut="' + event.key + '"]';
      // The main menu, else the pages of the day listed in the shortcuts dialog.
      const link = document.querySelector(".main-nav a" + key + ", #shortcuts a" + key);
      if (link) { event.preventDefault(); link.click(); }
      return;
    }
    if (event.key === "g") {
      pendingG = true;
      window.setTimeout(function () { pendingG = false; }, 1500);
    }
  });

  // --- Bulk selection on lists (people/partials/_bulk_bar.html) --------------------------------
  // The bar shows once a row is chosen, with the count, and only the field its action needs.
  function bulkBoxes(form) {
    return Array.prototype.slice.call(document.querySelectorAll('input[name=ids][form="' + form.id + '"]'));
  }
  function bulkRefresh() {
    const form = document.querySelector("[data-bulk]");
    if (!form) return;
    const boxes = bulkBoxes(form);
    const chosen = boxes.filter(function (b) { return b.checked; }).length;
    form.querySelector("[data-bulk-count]").textContent = String(chosen);
    form.classList.add("bulk-enhanced");
    form.classList.toggle("bulk-idle", chosen === 0);
    const all = document.querySelector("[data-bulk-all]");
    if (all) {
      all.checked = chosen > 0 && chosen === boxes.length;
      all.indeterminate = chosen > 0 && chosen < boxes.length;
    }
    const action = form.querySelector("[data-bulk-action]").value;
    form.querySelectorAll("[data-bulk-for]").forEach(function (field) {
      field.hidden = field.getAttribute("data-bulk-for").split(" ").indexOf(action) < 0;
    });
  }
  document.addEventListener("change", function (event) {
    const target = event.target;
    if (target.matches("[data-bulk-all]")) {
      const form = document.querySelector("[data-bulk]");
      if (form) bulkBoxes(form).forEach(function (b) { b.checked = target.checked; });
    }
    if (target.matches("[data-bulk-all], input[name=ids], [data-bulk-action]")) bulkRefresh();
  });
  document.addEventListener("htmx:afterSettle", bulkRefresh);

  // A select that submits its form on change (data-autosubmit), e.g. a phone's sort menu.
  document.addEventListener("change", function (event) {
    const select = event.target.closest("[data-autosubmit]");
    if (select && select.form) select.form.requestSubmit();
  });

  function ready() { armToasts(); focusTargetField(); bulkRefresh(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
