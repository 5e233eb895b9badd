from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from attract.people.tests.factories import CompanyFactory
from attract.pipeline.models import Deal, Outcome, Stage, StageSetting, ToughQuestion
from attract.pipeline.services import deal_create, deal_update
from attract.pipeline.tests.factories import DealFactory, QuoteFactory
from attract.pipeline.views.board import CARDS_PER_STAGE

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _move(client, deal, stage, **extra):
    data = {"stage": stage, "version": deal.version, **extra}
    return client.post(reverse("pipeline:deal_move", args=[deal.pk]), data, **HTMX)


def test_the_pipeline_menu_item_opens_the_board(owner_client):
    response = owner_client.get(reverse("web:today"))
    assert reverse("pipeline:board") in response.content.decode()
    board = owner_client.get(reverse("pipeline:board"))
    assert board.status_code == 200
    assert 'aria-current="page"' in board.content.decode()


def test_the_board_shows_columns_with_count_total_and_weighted_total(owner_client, owner):
    DealFactory(owner=owner, stage=Stage.DESIRE, revenue=Decimal("1000"), title="Kitchen")
    html = owner_client.get(reverse("pipeline:board")).content.decode()
    for label in ("Attention", "Interest", "Conviction", "Desire", "Action"):
        assert label in html
    # Money in the installation's currency, written the reader's way.
    assert "Kitchen" in html and "$1,000" in html and "$700" in html


@pytest.mark.parametrize("per_stage", [1, 6])
def test_the_board_page_runs_a_fixed_number_of_queries(
    owner_client, owner, django_assert_num_queries, per_stage
):
    for stage in Stage.values:
        for _ in range(per_stage):
            DealFactory(owner=owner, stage=stage)
    # session + user, owner choices, settings, aggregate, the 5 columns' cards (one UNION
    # ALL), the Push/Pull badges (engagement: pull signals, overrides) and the stored fits of
    # the cards' companies (attraction) read once for all cards
    with django_assert_num_queries(9):
        assert owner_client.get(reverse("pipeline:board")).status_code == 200


@pytest.mark.parametrize("rows", [1, 8])
def test_the_long_maybes_page_runs_at_most_ten_queries(
    owner_client, owner, django_assert_num_queries, rows
):
    long_ago = timezone.now() - timedelta(days=400)
    for _ in range(rows):
        DealFactory(owner=owner, stage=Stage.INTEREST, stage_entered_at=long_ago)
        closed = {"owner": owner, "closed_at": timezone.now()}
        DealFactory(outcome=Outcome.LOST, lost_reason="Price", **closed)
        DealFactory(outcome=Outcome.WON, **closed)
    # session, user, stage settings, count, page, tough questions, the won and lost counts
    # (one query), the middle rows of each
    with django_assert_num_queries(9):
        response = owner_client.get(reverse("pipeline:long_maybes"))
    assert response.status_code == 200 and len(response.context["page"].object_list) == rows


def test_a_refused_move_shows_what_is_missing_on_the_card(owner_client, owner):
    deal = deal_create(actor=owner, title="No pain yet")
    response = _move(owner_client, deal, Stage.INTEREST)
    assert response.status_code == 409
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Cannot move to Interest yet" in html
    assert "the customer&#x27;s pain, described in their own words" in html
    assert "Override and move" in html  # the owner may override
    assert Deal.objects.get(pk=deal.pk).stage == Stage.ATTENTION


def test_a_member_sees_the_refusal_without_an_override_form(teammate_client, teammate):
    deal = deal_create(actor=teammate, title="Mine")
    html = _move(teammate_client, deal, Stage.INTEREST).content.decode()
    assert "Cannot move to Interest yet" in html and "Override and move" not in html


def test_a_move_answers_the_board_with_new_totals(owner_client, owner):
    deal = deal_create(actor=owner, title="Ready", pain="Lost orders", revenue="2000")
    response = _move(owner_client, deal, Stage.INTEREST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Moved “Ready” to Interest." in html
    assert "$400" in html  # 20 % of 2,000
    assert Deal.objects.get(pk=deal.pk).stage == Stage.INTEREST


def test_an_admin_override_from_the_card_moves_and_records_the_reason(owner_client, owner):
    deal = deal_create(actor=owner, title="Override")
    response = _move(owner_client, deal, Stage.INTEREST, override_reason="Told me by phone")
    assert response.status_code == 200
    assert deal.moves.order_by("-id").first().override_reason == "Told me by phone"


def test_a_stale_card_is_told_someone_else_moved_it(owner_client, owner):
    deal = deal_create(actor=owner, title="Race", pain="x")
    stale_version = deal.version
    deal_update(actor=owner, deal=deal, title="Race (renamed)")
    response = owner_client.post(
        reverse("pipeline:deal_move", args=[deal.pk]),
        {"stage": Stage.INTEREST, "version": stale_version},
        **HTMX,
    )
    assert response.status_code == 409
    assert "Someone else changed" in response.content.decode()
    assert Deal.objects.get(pk=deal.pk).stage == Stage.ATTENTION


def test_without_javascript_a_move_redirects_back_with_a_message(owner_client, owner):
    deal = deal_create(actor=owner, title="Plain", pain="Slow")
    response = owner_client.post(
        reverse("pipeline:deal_move", args=[deal.pk]) + "?tag=vip",
        {"stage": Stage.INTEREST, "version": deal.version},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("pipeline:board") + "?tag=vip"
    assert "Moved “Plain” to Interest." in response.content.decode()


def test_moves_need_csrf_and_post(csrf_client, owner):
    deal = deal_create(actor=owner, title="Guarded", pain="x")
    url = reverse("pipeline:deal_move", args=[deal.pk])
    assert csrf_client.post(url, {"stage": "interest"}).status_code == 403
    assert csrf_client.get(url).status_code == 405


def test_a_viewer_cannot_move_and_an_outsider_cannot_see_a_private_deal(
    viewer_client, outsider_client, owner
):
    deal = deal_create(actor=owner, title="Private", is_private=True, pain="x")
    public = deal_create(actor=owner, title="Public", pain="x")
    assert _move(viewer_client, public, Stage.INTEREST).status_code == 403
    assert outsider_client.get(reverse("pipeline:deal_detail", args=[deal.pk])).status_code == 404
    assert _move(outsider_client, deal, Stage.INTEREST).status_code == 404
    assert "Private" not in outsider_client.get(reverse("pipeline:board")).content.decode()


def test_creating_a_deal_shows_bad_input_next_to_the_field(owner_client, owner):
    company = CompanyFactory(owner=owner, name="Ferris Bakery")
    response = owner_client.post(
        reverse("pipeline:deal_create"),
        {"title": "Ovens", "company": "Ferris Bakery", "revenue": "-5", "source": "inbound"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_revenue_errors"' in html and "Revenue cannot be negative." in html
    assert not Deal.objects.exists()
    response = owner_client.post(
        reverse("pipeline:deal_create"),
        {
            "title": "Ovens",
            "company": "Ferris Bakery",
            "revenue": "5000",
            "source": "inbound",
            "owner": owner.pk,
        },
    )
    deal = Deal.objects.get()
    assert response.url == reverse("pipeline:deal_detail", args=[deal.pk])
    assert deal.company == company and deal.owner == owner


def test_editing_over_a_newer_change_is_refused_on_the_form(owner_client, owner):
    deal = deal_create(actor=owner, title="Original")
    deal_update(actor=owner, deal=deal, title="Changed by someone")
    response = owner_client.post(
        reverse("pipeline:deal_edit", args=[deal.pk]),
        {"title": "Mine", "source": "inbound", "version": 1},
    )
    assert response.status_code == 200
    assert "Someone else changed" in response.content.decode()
    assert Deal.objects.get(pk=deal.pk).title == "Changed by someone"


def test_the_deal_page_shows_pain_quotes_and_time_in_each_stage(owner_client, owner):
    with time_machine.travel(datetime(2026, 4, 1, 9, tzinfo=UTC), tick=False):
        deal = deal_create(actor=owner, title="Path", pain="“We lose a day a week to invoices”")
    QuoteFactory(deal=deal, amount=Decimal("1234"))
    with time_machine.travel(datetime(2026, 4, 4, 9, tzinfo=UTC), tick=False):
        _move(owner_client, deal, Stage.INTEREST)
        html = owner_client.get(reverse("pipeline:deal_detail", args=[deal.pk])).content.decode()
    assert "We lose a day a week to invoices" in html
    assert "1,234.00" in html
    assert "Attention → Interest" in html
    assert "Attention 3 days" in html


def test_winning_from_the_page_makes_the_company_a_customer(owner_client, owner):
    company = CompanyFactory(owner=owner)
    deal = deal_create(actor=owner, title="Yes", company=company)
    owner_client.post(reverse("pipeline:deal_win", args=[deal.pk]), {"version": deal.version})
    company.refresh_from_db()
    assert company.relationship == "customer"
    closed = owner_client.get(reverse("pipeline:closed_list")).content.decode()
    assert "Yes" in closed and "Won" in closed


def test_losing_without_a_reason_changes_nothing(owner_client, owner):
    deal = deal_create(actor=owner, title="Maybe")
    response = owner_client.post(
        reverse("pipeline:deal_lose", args=[deal.pk]), {"lost_reason": ""}, follow=True
    )
    assert "Say why the deal was lost" in response.content.decode()
    assert Deal.objects.get(pk=deal.pk).outcome == Outcome.OPEN


@pytest.mark.parametrize("rows", [3, 30])
def test_the_closed_list_runs_a_fixed_number_of_queries(
    owner_client, owner, django_assert_num_queries, rows
):
    for _ in range(rows):
        DealFactory(owner=owner, outcome=Outcome.LOST, lost_reason="Price")
    # session, user, count, page, tags, the page's stored fits (one query for all rows), the
    # owners (filter and bulk bar), the user's saved views
    with django_assert_num_queries(8):
        assert owner_client.get(reverse("pipeline:closed_list")).status_code == 200


def test_the_forecast_page_shows_both_ways_and_the_profit_ranking(owner_client, owner):
    DealFactory(owner=owner, stage=Stage.ACTION, revenue=1000)
    DealFactory(owner=owner, outcome=Outcome.WON, revenue=5000, cost=1000, furthest_stage_index=4)
    html = owner_client.get(reverse("pipeline:forecast")).content.decode()
    assert "Weighted (configured %)" in html and "Weighted (learned %)" in html
    assert "900.00" in html  # 90 % of 1,000
    assert "4,000.00" in html  # profit won
    assert "1 won of 1" in html


def test_long_maybes_list_stalled_deals_with_questions_and_close_them_as_no(owner_client, owner):
    with time_machine.travel(datetime(2026, 1, 1, tzinfo=UTC)):
        deal = deal_create(actor=owner, title="Stuck")
    ToughQuestion.objects.create(text="What does waiting cost you?")
    with time_machine.travel(datetime(2026, 3, 1, tzinfo=UTC)):
        html = owner_client.get(reverse("pipeline:long_maybes")).content.decode()
        assert "Stuck" in html and "What does waiting cost you?" in html
        board = owner_client.get(reverse("pipeline:board")).content.decode()
        assert "Long maybe</span>" in board
        owner_client.post(
            reverse("pipeline:deal_close_as_no", args=[deal.pk]),
            {"next": reverse("pipeline:long_maybes")},
        )
    deal.refresh_from_db()
    assert deal.outcome == Outcome.LOST and deal.lost_reason.startswith("Fast no")


def test_admins_change_stage_settings_and_members_only_read_them(owner_client, teammate_client):
    url = reverse("pipeline:stage_settings")
    assert 'name="probability"' not in teammate_client.get(url).content.decode()
    refused = teammate_client.post(
        url, {"stage": "desire", "probability": 5, "stale_after_days": 5}
    )
    assert refused.status_code == 403
    bad = owner_client.post(url, {"stage": "desire", "probability": 500, "stale_after_days": 5})
    assert bad.status_code == 422 and "between 0 and 100" in bad.content.decode()
    owner_client.post(url, {"stage": "desire", "probability": 55, "stale_after_days": 9})
    assert StageSetting.objects.get(stage="desire").probability == 55


def test_the_question_bank_can_be_extended_and_edited(owner_client):
    url = reverse("pipeline:questions")
    assert owner_client.post(url, {"text": ""}).status_code == 422
    owner_client.post(url, {"text": "Who else decides?"})
    question = ToughQuestion.objects.get(text="Who else decides?")
    owner_client.post(
        reverse("pipeline:question_update", args=[question.pk]), {"text": "Who else signs?"}
    )
    question.refresh_from_db()
    assert question.text == "Who else signs?" and not question.is_active


def test_cards_flag_a_deal_that_loses_money_or_has_a_past_close_date(owner_client, owner):
    with time_machine.travel(datetime(2026, 6, 1, 12, tzinfo=UTC)):
        DealFactory(owner=owner, revenue=100, cost=300, title="Costly")
        DealFactory(owner=owner, title="Late", expected_close_date=datetime(2026, 5, 1).date())
        html = owner_client.get(reverse("pipeline:board")).content.decode()
    assert html.count(">Loses money</span>") == 1
    assert html.count(">Close date passed</span>") == 1


def test_the_long_maybes_page_reports_the_median_time_to_a_no_and_to_a_yes(owner_client, owner):
    now = datetime(2026, 6, 1, 12, tzinfo=UTC)
    for days in (2, 4, 10):
        DealFactory(
            owner=owner,
            outcome=Outcome.LOST,
            created_at=now - timedelta(days=days),
            closed_at=now,
        )
    DealFactory(
        owner=owner, outcome=Outcome.WON, created_at=now - timedelta(days=30), closed_at=now
    )
    html = owner_client.get(reverse("pipeline:long_maybes")).content.decode()
    assert "Median time to a no</dt><dd>4 days" in html
    assert "Median time to a yes</dt><dd>30 days" in html


@pytest.mark.parametrize("rows", [3, 30])
def test_the_open_deals_list_filters_by_stage_in_a_fixed_number_of_queries(
    owner_client, owner, django_assert_num_queries, rows
):
    for index in range(rows):
        DealFactory(owner=owner, stage=Stage.DESIRE if index % 3 else Stage.ACTION)
    with django_assert_num_queries(8):  # as above, with the page's stored fits
        response = owner_client.get(reverse("pipeline:deal_list"), {"stage": "action"})
    assert response.content.decode().count('data-label="Stage">Action<') == len(range(0, rows, 3))


def test_a_long_column_links_to_the_rest_of_its_deals(owner_client, owner):
    for _ in range(CARDS_PER_STAGE + 2):
        DealFactory(owner=owner, stage=Stage.INTEREST)
    html = owner_client.get(reverse("pipeline:board")).content.decode()
    assert f'href="{reverse("pipeline:deal_list")}?stage=interest">and 2 more in Interest' in html


def test_an_admin_switches_a_stage_gate_off_from_the_settings_page(owner_client):
    url = reverse("pipeline:stage_settings")
    assert 'id="enforce-interest"' in owner_client.get(url).content.decode()
    assert 'id="enforce-attention"' not in owner_client.get(url).content.decode()
    owner_client.post(url, {"stage": "interest", "probability": 20, "stale_after_days": 21})
    assert StageSetting.objects.get(stage="interest").enforce_entry_criteria is False
    owner_client.post(
        url,
        {
            "stage": "interest",
            "probability": 20,
            "stale_after_days": 21,
            "enforce_entry_criteria": "on",
        },
    )
    assert StageSetting.objects.get(stage="interest").enforce_entry_criteria is True
