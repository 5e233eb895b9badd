// The plan page: the weight control saves on change through htmx, so its "Save weight" button
// is only for browsers without script; an Undo in a toast closes its toast once it is done.
(function () {
  "use strict";
  document.documentElement.classList.add("plan-js");
  document.addEventListener("htmx:afterRequest", function (event) {
    const toast = event.detail.elt.closest && event.detail.elt.closest("[data-toast]");
    if (toast && event.detail.successful) toast.remove();
  });
  // Editing a quality in place: opening it puts the cursor in its text.
  document.addEventListener("toggle", function (event) {
    const details = event.target;
    if (!details.classList || !details.classList.contains("quality-edit") || !details.open) return;
    const input = details.querySelector("input[name=text]");
    if (input) input.focus();
  }, true);
})();
