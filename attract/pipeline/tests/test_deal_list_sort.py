"""The deal lists sort by their columns (and by a menu on a phone) and filter by owner and
tag, like the people lists, in a fixed number of queries; the API sorts the same way."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from attract.accounts.services import api_token_create
from attract.people.models import Tag
from attract.pipeline.models import Outcome, Stage
from attract.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db


def _titles(client, url_name: str, **params) -> list[str]:
    response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    return [d.title for d in response.context["page"].object_list]


@pytest.fixture
def open_deals(owner, teammate):
    now = timezone.now()
    rows = [
        ("Bravo", Stage.INTEREST, 500, 3, owner),
        ("alpha", Stage.ATTENTION, 9000, 40, teammate),
        ("Charlie", Stage.DESIRE, 2000, 10, owner),
    ]
    made = {}
    for title, stage, revenue, days, who in rows:
        made[title] = DealFactory(
            title=title,
            stage=stage,
            revenue=Decimal(revenue),
            cost=Decimal(revenue) / 2,
            owner=who,
            stage_entered_at=now - timedelta(days=days),
        )
    return made


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["alpha", "Charlie", "Bravo"]),  # grouped by stage (by its stored name), as before
        ("title", ["Bravo", "Charlie", "alpha"]),  # as stored (SQLite and PostgreSQL agree)
        ("revenue", ["alpha", "Charlie", "Bravo"]),  # the biggest first
        ("-revenue", ["Bravo", "Charlie", "alpha"]),
        ("days", ["alpha", "Charlie", "Bravo"]),  # the longest in its stage first
        ("-days", ["Bravo", "Charlie", "alpha"]),
        ("nonsense", ["alpha", "Charlie", "Bravo"]),  # an unknown sort is the default
    ],
)
def test_the_open_list_sorts_by_its_columns(open_deals, owner_client, sort, expected):
    titles = _titles(owner_client, "pipeline:deal_list", sort=sort)
    if sort == "title":
        expected = sorted(expected)  # the database's own order of the stored titles
    assert titles == expected


def test_a_header_says_how_the_list_is_sorted_and_a_second_click_reverses(open_deals, owner_client):
    html = owner_client.get(reverse("pipeline:deal_list"), {"sort": "revenue"}).content.decode()
    assert 'aria-sort="descending" class="num"><a href="?sort=-revenue">Revenue' in html
    assert '<a href="?sort=title">Deal</a>' in html
    assert 'id="sort-menu-open-deals"' in html and "Biggest revenue first" in html


def test_the_open_list_filters_by_owner_and_tag(open_deals, owner_client, teammate):
    assert _titles(owner_client, "pipeline:deal_list", owner=teammate.pk) == ["alpha"]
    open_deals["Charlie"].tags.add(Tag.objects.create(name="VIP"))
    assert _titles(owner_client, "pipeline:deal_list", tag="vip") == ["Charlie"]
    # An owner that is no id narrows nothing, and never answers 500.
    for raw in ("abc", "²", "9" * 30, "-1"):
        assert len(_titles(owner_client, "pipeline:deal_list", owner=raw)) == 3


def test_the_closed_list_sorts_by_close_and_revenue(owner, owner_client):
    now = timezone.now()
    for title, days_ago, revenue in (("Old", 30, 100), ("New", 1, 50), ("Mid", 10, 900)):
        DealFactory(
            title=title,
            owner=owner,
            outcome=Outcome.WON,
            revenue=Decimal(revenue),
            cost=Decimal(1),
            closed_at=now - timedelta(days=days_ago),
        )
    assert _titles(owner_client, "pipeline:closed_list") == ["New", "Mid", "Old"]
    assert _titles(owner_client, "pipeline:closed_list", sort="-closed") == ["Old", "Mid", "New"]
    assert _titles(owner_client, "pipeline:closed_list", sort="revenue") == ["Mid", "Old", "New"]


@pytest.mark.parametrize("rows", [3, 30])
def test_a_sorted_and_filtered_list_runs_a_fixed_number_of_queries(
    owner_client, owner, django_assert_num_queries, rows
):
    for n in range(rows):
        DealFactory(owner=owner, title=f"Deal {n}")
    # session, user, count, page, tags, stored fits, owners, saved views
    with django_assert_num_queries(8):
        response = owner_client.get(
            reverse("pipeline:deal_list"), {"sort": "-title", "owner": owner.pk}
        )
    assert len(response.context["page"].object_list) == rows


def test_the_api_sorts_deals_the_same_way(open_deals, owner):
    _, raw = api_token_create(user=owner, name="t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    body = client.get("/api/v1/deals", {"sort": "revenue"}).json()
    assert [d["title"] for d in body["items"]] == ["alpha", "Charlie", "Bravo"]
    assert client.get("/api/v1/deals", {"sort": "x" * 50}).status_code == 422


def test_the_tag_filter_names_no_tag_of_a_private_record(owner, teammate, teammate_client):
    secret = DealFactory(owner=owner, is_private=True, title="Secret")
    secret.tags.add(Tag.objects.create(name="zqsecrettag"))
    DealFactory(owner=teammate, title="Shared")
    html = teammate_client.get(reverse("pipeline:deal_list")).content.decode()
    assert "Shared" in html and "zqsecrettag" not in html
