// The pipeline board. A card moves three ways, each posting the card's own "Move to" form
// and swapping in the board the server answers (new totals, or the refusal shown on the card):
//   - drag and drop with a mouse (HTML drag and drop);
//   - touch: hold a card a moment, then drag it to another column (pointer events; the board
//     scrolls sideways by itself near its edges);
//   - the keyboard: the board is one Tab stop (a roving tabindex on the cards); the arrow keys
//     go from card to card and column to column, Shift+→/← moves the deal to the next/previous
//     stage, Enter opens it.
// After a move the toast offers Undo. A refused move (an entry criterion, someone else's
// change) is explained on the card; the server answers it with 200 and X-Board-Outcome, so the
// browser logs no error. Without this script the forms still work as plain posts.
(function () {
  "use strict";

  const board = document.querySelector("[data-board]");
  if (!board) return;
  const HOLD_MS = 350; // how long a finger rests on a card before it is picked up
  const SLOP_PX = 10; // a finger that moves further first is scrolling, not dragging
  const EDGE_PX = 48; // near the board's edge a drag scrolls the board
  let activeId = null; // the card that holds the board's one Tab stop

  function cards() {
    return Array.prototype.slice.call(board.querySelectorAll(".deal-card"));
  }
  function columns() {
    return Array.prototype.slice.call(board.querySelectorAll(".board-column"));
  }
  function cardsOf(column) {
    return Array.prototype.slice.call(column.querySelectorAll(".deal-card"));
  }

  // --- The one Tab stop --------------------------------------------------------------------
  function enhance() {
    board.classList.add("board-enhanced");
    const all = cards();
    // Links and controls inside a card are reached through the card (Enter opens the deal),
    // so Tab goes once into the board and once out of it.
    board.querySelectorAll(".deal-card a, .deal-card .move-form select, .deal-card .move-form button").forEach(function (el) {
      el.setAttribute("tabindex", "-1");
    });
    const active = (activeId && document.getElementById("deal-" + activeId)) || all[0];
    all.forEach(function (card) {
      card.setAttribute("tabindex", card === active ? "0" : "-1");
      card.setAttribute("aria-describedby", "board-keys");
    });
  }

  function focusCard(card) {
    if (!card) return;
    cards().forEach(function (c) { c.setAttribute("tabindex", c === card ? "0" : "-1"); });
    activeId = card.dataset.dealId;
    card.focus();
    card.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  board.addEventListener("focusin", function (event) {
    const card = event.target.closest && event.target.closest(".deal-card");
    if (card && event.target === card) {
      activeId = card.dataset.dealId;
      cards().forEach(function (c) { c.setAttribute("tabindex", c === card ? "0" : "-1"); });
    }
  });

  function stageNeighbour(card, step) {
    const all = columns();
    const index = all.indexOf(card.closest(".board-column"));
    return all[index + step] || null;
  }

  board.addEventListener("keydown", function (event) {
    const card = event.target.classList && event.target.classList.contains("deal-card") ? event.target : null;
    if (!card || event.altKey || event.ctrlKey || event.metaKey) return;
    const column = card.closest(".board-column");
    const inColumn = cardsOf(column);
    const row = inColumn.indexOf(card);
    if (event.shiftKey && (event.key === "ArrowRight" || event.key === "ArrowLeft")) {
      event.preventDefault();
      const target = stageNeighbour(card, event.key === "ArrowRight" ? 1 : -1);
      if (target && card.hasAttribute("data-movable")) moveCard(card, target.dataset.stage);
      return;
    }
    if (event.shiftKey) return;
    let next = null;
    if (event.key === "ArrowDown") next = inColumn[row + 1];
    else if (event.key === "ArrowUp") next = inColumn[row - 1];
    else if (event.key === "Home") next = inColumn[0];
    else if (event.key === "End") next = inColumn[inColumn.length - 1];
    else if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      // The nearest column with cards in that direction, at the same row (or its last card).
      const step = event.key === "ArrowRight" ? 1 : -1;
      let other = stageNeighbour(card, step);
      while (other && !cardsOf(other).length) other = columns()[columns().indexOf(other) + step];
      if (other) {
        const there = cardsOf(other);
        next = there[Math.min(row, there.length - 1)];
      }
    } else if (event.key === "Enter") {
      event.preventDefault();
      const link = card.querySelector("[data-card-link]");
      if (link) link.click();
      return;
    } else {
      return;
    }
    event.preventDefault();
    if (next) focusCard(next);
  });

  // --- Talking to the server -----------------------------------------------------------------
  function showProblem(text) {
    if (window.attractToast) window.attractToast(text, "error");
  }

  async function send(form, stage, dealId) {
    const data = new FormData(form);
    if (stage) data.set("stage", stage);
    board.setAttribute("aria-busy", "true");
    let outcome = "";
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: {
          "HX-Request": "true",
          "X-Board": "move",
          "X-CSRFToken": data.get("csrfmiddlewaretoken") || "",
        },
      });
      if (response.redirected) {
        // Signed out meanwhile: the page itself leads to the login form.
        window.location.reload();
        return;
      }
      outcome = response.headers.get("X-Board-Outcome") || "";
      const type = response.headers.get("content-type") || "";
      if (!response.ok || !outcome || !type.startsWith("text/html")) {
        const messages = {
          403: "Your role can read but not change deals.",
          404: "This deal is no longer here. Reload the page to see the board as it is now.",
        };
        showProblem(messages[response.status] || "The move could not be saved. Reload the page and try again.");
        return;
      }
      const scroller = board.querySelector("[data-board-scroll]");
      const left = scroller ? scroller.scrollLeft : 0;
      const top = scroller ? scroller.scrollTop : 0;
      board.innerHTML = await response.text();
      const again = board.querySelector("[data-board-scroll]");
      if (again) { again.scrollLeft = left; again.scrollTop = top; }
    } catch (error) {
      showProblem("The server could not be reached. Check the connection and try again.");
      return;
    } finally {
      board.removeAttribute("aria-busy");
    }
    activeId = dealId || activeId;
    enhance();
    announce();
    // Keep the keyboard user where they were: on the refusal, or on the moved card.
    const moved = document.getElementById("deal-" + dealId);
    if (moved) {
      const refusal = moved.querySelector("[data-refusal]");
      if (refusal) refusal.focus();
      else focusCard(moved);
    }
  }

  // The outcome of a move goes to a toast, with its Undo; the board's own copy stays as text.
  function announce() {
    const message = board.querySelector("[data-board-message]");
    if (!message || !window.attractToast) return;
    const content = document.createElement("span");
    content.append.apply(content, Array.prototype.slice.call(message.cloneNode(true).childNodes));
    board.querySelectorAll("[data-board-toast]").forEach(function (t) { t.remove(); });
    document.querySelectorAll("[data-board-toast]").forEach(function (t) { t.remove(); });
    const toast = window.attractToast(content, "success");
    if (toast) toast.setAttribute("data-board-toast", "");
    message.querySelectorAll("form").forEach(function (f) { f.remove(); });
  }

  function moveCard(card, stage) {
    if (!stage || stage === card.dataset.stage) return;
    const form = card.querySelector(".move-form");
    if (form) send(form, stage, card.dataset.dealId);
  }

  board.addEventListener("submit", function (event) {
    const form = event.target.closest("[data-move-form]");
    if (!form) return;
    event.preventDefault();
    const card = form.closest("[data-deal-id]");
    send(form, null, card ? card.dataset.dealId : "");
  });

  // Undo lives in a toast, outside the board.
  document.addEventListener("submit", function (event) {
    const form = event.target.closest("[data-undo-form]");
    if (!form) return;
    event.preventDefault();
    const toast = form.closest("[data-toast]");
    const match = form.action.match(/deals\/(\d+)\/moves/);
    send(form, null, match ? match[1] : "");
    if (toast) toast.remove();
  });

  board.addEventListener("click", function (event) {
    const close = event.target.closest("[data-refusal-close]");
    if (!close) return;
    const card = close.closest(".deal-card");
    close.closest("[data-refusal]").remove();
    card.classList.remove("is-refused");
    focusCard(card);
  });

  // --- Mouse: HTML drag and drop --------------------------------------------------------------
  let dragged = null;

  function clearTargets(except) {
    board.querySelectorAll(".is-drop-target").forEach(function (c) {
      if (c !== except) c.classList.remove("is-drop-target");
    });
  }

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
    clearTargets(null);
  });

  board.addEventListener("dragover", function (event) {
    const column = event.target.closest && event.target.closest(".board-column");
    if (!column || !dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    clearTargets(column);
    column.classList.add("is-drop-target");
  });

  board.addEventListener("drop", function (event) {
    const column = event.target.closest && event.target.closest(".board-column");
    if (!column || !dragged) return;
    event.preventDefault();
    column.classList.remove("is-drop-target");
    const card = dragged;
    dragged = null;
    moveCard(card, column.dataset.stage);
  });

  // --- Touch and pen: hold, then drag (pointer events) ------------------------------------------
  let touch = null; // {card, id, x, y, timer, lifted, column}
  let droppedAt = 0; // when a held card was let go: the click that follows is not a tap

  // The column under the finger, looking through the held card that follows it.
  function columnAt(x, y) {
    const held = touch ? touch.card : null;
    const hits = document.elementsFromPoint(x, y);
    for (let i = 0; i < hits.length; i++) {
      if (held && held.contains(hits[i])) continue;
      const column = hits[i].closest && hits[i].closest("[data-board] .board-column");
      if (column) return column;
    }
    return null;
  }

  function lift() {
    if (!touch) return;
    touch.lifted = true;
    touch.card.classList.add("is-dragging", "is-lifted");
    if (navigator.vibrate) navigator.vibrate(15);
  }

  function edgeScroll() {
    if (!touch || !touch.lifted) return;
    const scroller = board.querySelector("[data-board-scroll]");
    if (scroller) {
      const box = scroller.getBoundingClientRect();
      if (touch.x > box.right - EDGE_PX) scroller.scrollLeft += 14;
      else if (touch.x < box.left + EDGE_PX) scroller.scrollLeft -= 14;
    }
    touch.frame = window.requestAnimationFrame(edgeScroll);
  }

  function endTouch() {
    if (!touch) return;
    window.clearTimeout(touch.timer);
    window.cancelAnimationFrame(touch.frame);
    touch.card.classList.remove("is-dragging", "is-lifted");
    touch.card.style.transform = "";
    clearTargets(null);
    touch = null;
  }

  board.addEventListener("pointerdown", function (event) {
    if (event.pointerType === "mouse" || event.button > 0) return;
    const card = event.target.closest && event.target.closest(".deal-card[data-movable]");
    if (!card || event.target.closest("form, [data-refusal]")) return;
    endTouch();
    touch = { card: card, id: event.pointerId, x: event.clientX, y: event.clientY, startX: event.clientX, startY: event.clientY, lifted: false, column: null };
    touch.timer = window.setTimeout(function () { lift(); edgeScroll(); }, HOLD_MS);
  });

  board.addEventListener("pointermove", function (event) {
    if (!touch || event.pointerId !== touch.id) return;
    touch.x = event.clientX;
    touch.y = event.clientY;
    const dx = touch.x - touch.startX;
    const dy = touch.y - touch.startY;
    if (!touch.lifted) {
      if (Math.abs(dx) > SLOP_PX || Math.abs(dy) > SLOP_PX) endTouch(); // a scroll
      return;
    }
    event.preventDefault();
    touch.card.style.transform = "translate(" + dx + "px, " + dy + "px)";
    const column = columnAt(touch.x, touch.y);
    clearTargets(column);
    if (column) column.classList.add("is-drop-target");
    touch.column = column;
  });

  // While a card is held the finger drags it, not the page.
  board.addEventListener("touchmove", function (event) {
    if (touch && touch.lifted) event.preventDefault();
  }, { passive: false });

  board.addEventListener("pointerup", function (event) {
    if (!touch || event.pointerId !== touch.id) return;
    const held = touch;
    if (!held.lifted) { endTouch(); return; } // a tap: the link inside opens as usual
    event.preventDefault();
    droppedAt = Date.now();
    const column = columnAt(held.x, held.y) || held.column;
    endTouch();
    if (column) moveCard(held.card, column.dataset.stage);
  });

  board.addEventListener("pointercancel", endTouch);

  // A held card must not also open the context menu or follow its link.
  board.addEventListener("contextmenu", function (event) {
    if (touch && event.target.closest(".deal-card")) event.preventDefault();
  });
  board.addEventListener("click", function (event) {
    if (Date.now() - droppedAt < 600 && event.target.closest(".deal-card")) event.preventDefault();
  }, true);

  enhance();
})();
