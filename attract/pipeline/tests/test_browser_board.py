"""The board as people use it, at 1366 px and on a 390 px phone: one Tab stop and the arrow
keys, a finger that holds a card and drags it, Undo after a move, column totals that stay in
view, a refusal explained on the card without an error in the console, and a page that never
scrolls sideways."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from attract.conftest import sign_in
from attract.pipeline.models import Deal, Stage
from attract.pipeline.services import deal_create

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def open_board(browser, live_server, owner):
    """A signed-in page on the board at a given size; console errors are collected."""
    contexts = []

    def open_at(viewport, touch=False):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport, has_touch=touch, is_mobile=touch
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        sign_in(page, owner)
        page.goto("/pipeline/")
        return page

    yield open_at
    for context in contexts:
        context.close()


def _column(page, stage):
    return page.locator(f'.board-column[data-stage="{stage}"]')


def _shot(page, name):
    """A screenshot to look at, when ATTRACT_TEST_SCREENSHOTS names a folder."""
    shots = os.environ.get("ATTRACT_TEST_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / f"{name}.png"))


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "390"])
def test_the_board_is_one_tab_stop_and_the_arrow_keys_walk_and_move_the_cards(
    open_board, owner, viewport
):
    first = deal_create(actor=owner, title="First lead", pain="Slow", revenue="1000")
    second = deal_create(actor=owner, title="Second lead", revenue="500")
    third = deal_create(actor=owner, title="Third lead", pain="Costly", revenue="800")
    Deal.objects.filter(pk=third.pk).update(stage=Stage.CONVICTION)
    page = open_board(viewport)
    assert _no_sideways_scroll(page)
    # Tab from the filter bar lands on one card only; the next Tab leaves the board.
    page.locator(".filters button[type=submit]").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab") if page.evaluate(
        "!document.activeElement.classList.contains('deal-card')"
    ) else None
    expect(page.locator(f"#deal-{first.pk}")).to_be_focused()
    assert page.locator('.deal-card[tabindex="0"]').count() == 1
    page.keyboard.press("ArrowDown")
    expect(page.locator(f"#deal-{second.pk}")).to_be_focused()
    page.keyboard.press("ArrowRight")  # Interest is empty: on to Conviction
    expect(page.locator(f"#deal-{third.pk}")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Home")
    expect(page.locator(f"#deal-{first.pk}")).to_be_focused()

    page.keyboard.press("Shift+ArrowRight")
    expect(_column(page, "interest").locator(f"#deal-{first.pk}")).to_be_focused()
    expect(_column(page, "interest").locator("[data-column-count]")).to_have_text("1")
    assert Deal.objects.get(pk=first.pk).stage == Stage.INTEREST

    # Undo in the toast puts it back, with the focus still on the card.
    toast = page.locator("[data-board-toast]")
    expect(toast).to_contain_text("Moved “First lead” to Interest.")
    toast.get_by_role("button", name="Undo").click()
    expect(_column(page, "attention").locator(f"#deal-{first.pk}")).to_be_visible()
    expect(page.locator("[data-board-toast]")).to_contain_text("back to Attention")
    expect(_column(page, "interest").locator("[data-column-count]")).to_have_text("0")
    assert Deal.objects.get(pk=first.pk).stage == Stage.ATTENTION
    assert first.moves.count() == 1  # the undone move left no trace in the stage history
    assert _no_sideways_scroll(page)
    assert page.console_errors == []


def _touch_drag(page, card, target):
    """Hold a card with a finger, then drag it onto the visible part of another column."""
    page.evaluate(
        """async ([card, target]) => {
          const from = card.getBoundingClientRect();
          const box = target.getBoundingClientRect();
          const board = document.querySelector('[data-board-scroll]').getBoundingClientRect();
          const x0 = from.left + 20, y0 = from.top + 20;
          const x1 = (Math.max(box.left, board.left) + Math.min(box.right, board.right)) / 2;
          const y1 = box.top + 80;
          const fire = (type, x, y, el) => el.dispatchEvent(new PointerEvent(type, {
            bubbles: true, cancelable: true, pointerId: 7, pointerType: 'touch',
            isPrimary: true, clientX: x, clientY: y, button: 0}));
          fire('pointerdown', x0, y0, card);
          await new Promise(r => setTimeout(r, 450));
          for (let i = 1; i <= 5; i++) fire('pointermove', x0 + (x1 - x0) * i / 5, y0 + (y1 - y0) * i / 5, card);
          fire('pointerup', x1, y1, card);
        }""",
        [card.element_handle(), target.element_handle()],
    )


def test_on_a_phone_a_held_card_is_dragged_to_the_next_stage_with_a_finger(open_board, owner):
    deal = deal_create(actor=owner, title="Phone deal", pain="Too slow", revenue="900")
    page = open_board(PHONE, touch=True)
    assert _no_sideways_scroll(page)
    # The board scrolls inside its own box: one column and a bit of the next are shown.
    width = page.evaluate(
        "document.querySelector('[data-board-scroll]').getBoundingClientRect().width"
    )
    assert width <= 390

    _touch_drag(page, page.locator(f"#deal-{deal.pk}"), _column(page, "interest"))

    expect(_column(page, "interest").locator(f"#deal-{deal.pk}")).to_be_visible()
    expect(page.locator("[data-board-toast]")).to_contain_text("Moved “Phone deal” to Interest.")
    assert Deal.objects.get(pk=deal.pk).stage == Stage.INTEREST
    assert page.url.endswith("/pipeline/")  # the held card's link was not followed
    assert _no_sideways_scroll(page)
    _shot(page, "board-390")
    assert page.console_errors == []


def test_a_quick_swipe_scrolls_instead_of_moving_the_card(open_board, owner):
    deal = deal_create(actor=owner, title="Swipe past", pain="Slow", revenue="100")
    page = open_board(PHONE, touch=True)
    card = page.locator(f"#deal-{deal.pk}")
    page.evaluate(
        """(card) => {
          const r = card.getBoundingClientRect();
          const fire = (type, x) => card.dispatchEvent(new PointerEvent(type, {bubbles: true,
            cancelable: true, pointerId: 3, pointerType: 'touch', isPrimary: true,
            clientX: x, clientY: r.top + 10}));
          fire('pointerdown', r.left + 200); fire('pointermove', r.left + 120);
          fire('pointermove', r.left + 20); fire('pointerup', r.left + 20);
        }""",
        card.element_handle(),
    )
    page.wait_for_timeout(500)
    assert Deal.objects.get(pk=deal.pk).stage == Stage.ATTENTION
    assert not page.locator(".deal-card.is-lifted").count()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "390"])
def test_the_stage_chance_and_totals_stay_in_view_while_the_cards_scroll(
    open_board, owner, viewport
):
    for n in range(18):
        deal_create(actor=owner, title=f"Lead {n}", revenue="100")
    page = open_board(viewport)
    scroller = page.locator("[data-board-scroll]")
    assert page.evaluate("(el) => el.scrollHeight > el.clientHeight", scroller.element_handle())
    scroller.evaluate("(el) => { el.scrollTop = 700; }")
    header = _column(page, "attention").locator("[data-column-header]")
    board_top = scroller.bounding_box()["y"]
    expect(header).to_be_visible()
    assert abs(header.bounding_box()["y"] - board_top) <= 2
    assert "Deals 18" in header.inner_text().replace("\n", " ")
    assert "$1,800" in header.inner_text()
    # The other columns are as tall as the longest, so their headers stay in view too.
    other = _column(page, "interest").locator("[data-column-header]")
    assert abs(other.bounding_box()["y"] - board_top) <= 2
    assert _no_sideways_scroll(page)
    _shot(page, f"board-sticky-{viewport['width']}")


def test_a_refused_drag_is_explained_on_the_card_without_a_console_error(open_board, owner):
    deal = deal_create(actor=owner, title="Vague lead", revenue="500")
    page = open_board(DESKTOP)
    page.locator(f"#deal-{deal.pk}").drag_to(_column(page, "interest").locator(".board-cards"))
    refusal = page.locator(f"#deal-{deal.pk} [role=alert]")
    expect(refusal).to_contain_text("Cannot move to Interest yet")
    expect(refusal).to_be_focused()
    assert Deal.objects.get(pk=deal.pk).stage == Stage.ATTENTION
    refusal.get_by_role("button", name="Dismiss").click()
    expect(page.locator(f"#deal-{deal.pk}")).to_be_focused()
    assert page.console_errors == []
    _shot(page, "board-1366")


def test_a_move_someone_else_overtook_is_explained_on_the_card(open_board, owner):
    deal = deal_create(actor=owner, title="Contested", pain="Slow", revenue="500")
    page = open_board(DESKTOP)
    Deal.objects.filter(pk=deal.pk).update(version=deal.version + 1)  # someone else's edit
    page.locator(f"#deal-{deal.pk}").focus()
    page.keyboard.press("Shift+ArrowRight")
    expect(page.locator(f"#deal-{deal.pk} [role=alert]")).to_contain_text("Someone else changed")
    assert Deal.objects.get(pk=deal.pk).stage == Stage.ATTENTION
    assert page.console_errors == []
