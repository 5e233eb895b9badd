// Attract's own small script: the phone menu and keyboard shortcuts. Everything works
// without it; it only adds speed.
(function () {
  "use strict";

  function typingInField(event) {
    const t = event.target;
    return t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName));
  }

  document.addEventListener("click", function (event) {
    const toggle = event.target.closest("[data-nav-toggle]");
    if (!toggle) return;
    const nav = document.getElementById(toggle.getAttribute("aria-controls"));
    const open = nav.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });

  // Copy a secret shown once (a new API token, an invitation link) to the clipboard.
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    const text = source.textContent.trim();
    const done = function () { button.textContent = "Copied"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { selectText(source); });
    } else {
      selectText(source);
    }
  });

  // Without clipboard access (plain http on a LAN), select the text for Ctrl+C.
  function selectText(element) {
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // Ask before a destructive submit when the form says so.
  document.addEventListener("submit", function (event) {
    const message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });

  let pendingG = false;
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typingInField(event)) return;
    if (event.key === "/") {
      const search = document.querySelector("[data-search]");
      if (search) { event.preventDefault(); search.focus(); search.select(); }
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
})();
