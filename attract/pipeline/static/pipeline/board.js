// The pipeline board: drag a card to another column, or use the card's "Move to" form from
// the keyboard. Both post the card's own move form and swap in the board the server answers,
// with its new totals or the refusal shown on the card. Without this script the forms still
// work as plain posts.
(function () {
  "use strict";

  const board = document.querySelector("[data-board]");
  if (!board) return;

  function showStatus(text) {
    const status = board.querySelector("[data-board-status]");
    if (!status) return;
    const p = document.createElement("p");
    p.className = "message message-error";
    p.textContent = text;
    status.replaceChildren(p);
  }

  async function submitMove(form, stage) {
    const card = form.closest("[data-deal-id]");
    const dealId = card ? card.dataset.dealId : "";
    const data = new FormData(form);
    if (stage) data.set("stage", stage);
    board.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: {
          "HX-Request": "true",
          "X-CSRFToken": data.get("csrfmiddlewaretoken") || "",
        },
      });
      if (response.redirected) {
        // Signed out meanwhile: the page itself leads to the login form.
        window.location.reload();
        return;
      }
      const type = response.headers.get("content-type") || "";
      // 200: moved; 409: refused by a gate or a newer version; 422: bad input. Each answers
      // the board with the outcome shown on the card. Anything else is not a board.
      if (![200, 409, 422].includes(response.status) || !type.startsWith("text/html")) {
        const messages = {
          403: "Your role can read but not change deals.",
          404: "This deal is no longer here. Reload the page to see the board as it is now.",
        };
        showStatus(messages[response.status] || "The move could not be saved. Reload the page and try again.");
        return;
      }
      board.innerHTML = await response.text();
    } catch (error) {
      showStatus("The server could not be reached. Check the connection and try again.");
      return;
    } finally {
      board.removeAttribute("aria-busy");
    }
    // Keep the keyboard user where they were: on the refusal, or on the moved card's list.
    const moved = document.getElementById("deal-" + dealId);
    if (moved) {
      const target = moved.querySelector("[data-refusal]") || moved.querySelector(".move-form select");
      if (target) target.focus();
    }
  }

  board.addEventListener("submit", function (event) {
    const form = event.target.closest("[data-move-form]");
    if (!form) return;
    event.preventDefault();
    submitMove(form, null);
  });

  let dragged = null;

  board.addEventListener("dragstart", function (event) {
    const card = event.target.closest && event.target.closest(".deal-card[draggable]");
    if (!card) return;
    dragged = card;
    card.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.dealId);
  });

  board.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("is-dragging");
    dragged = null;
    board.querySelectorAll(".is-drop-target").forEach(function (c) { c.classList.remove("is-drop-target"); });
  });

  board.addEventListener("dragover", function (event) {
    const column = event.target.closest && event.target.closest(".board-column");
    if (!column || !dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    board.querySelectorAll(".is-drop-target").forEach(function (c) {
      if (c !== column) c.classList.remove("is-drop-target");
    });
    column.classList.add("is-drop-target");
  });

  board.addEventListener("drop", function (event) {
    const column = event.target.closest && event.target.closest(".board-column");
    if (!column || !dragged) return;
    event.preventDefault();
    column.classList.remove("is-drop-target");
    const card = dragged;
    dragged = null;
    if (column.dataset.stage === card.dataset.stage) return;
    const form = card.querySelector(".move-form");
    if (form) submitMove(form, column.dataset.stage);
  });
})();
