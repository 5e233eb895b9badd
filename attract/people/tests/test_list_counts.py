"""Long lists say their length without counting every row (core.counting) and the API pages
by position (core.keyset): the rules tried with the threshold brought down to a few rows."""

from __future__ import annotations

import pytest

from attract.core import counting
from attract.core.counting import ListCount, about, list_count, table_estimate
from attract.people.models import Person
from attract.people.tests.factories import PersonFactory
from attract.people.tests.test_api import ApiClient

LIST = "/people/"


@pytest.fixture
def low_threshold(monkeypatch):
    monkeypatch.setattr(counting, "EXACT_UP_TO", 4)


def test_about_says_two_significant_figures_in_words():
    assert about(1_183_407) == "1.2 million"
    assert about(48_213) == "48,000"
    assert about(731) == "731"
    assert about(12_400_000) == "12 million"
    assert str(ListCount(1_183_407, exact=False, estimated=True)) == "about 1.2 million"
    assert str(ListCount(10_000, exact=False)) == "more than 10,000"
    assert str(ListCount(1234)) == "1,234"


def test_a_short_list_is_counted_exactly_a_long_one_estimated_or_floored(owner, low_threshold):
    PersonFactory.create_batch(3, owner=owner, last_name="Smith")
    assert list_count(Person.objects.all(), filtered=False) == ListCount(3)
    PersonFactory.create_batch(5, owner=owner, last_name="Jones")
    unfiltered = list_count(Person.objects.all(), filtered=False)
    assert unfiltered.estimated and unfiltered.value >= 5
    assert table_estimate(Person) >= 8
    floored = list_count(Person.objects.filter(last_name="Jones"), filtered=True)
    assert floored == ListCount(4, exact=False)


def test_the_person_list_says_about_or_more_than_and_keeps_its_queries(
    owner, owner_client, low_threshold, django_assert_num_queries
):
    PersonFactory.create_batch(7, owner=owner, last_name="Smith")
    page = owner_client.get(LIST, {"per_page": 25})
    assert "of about" in page.content.decode()
    filtered = owner_client.get(LIST, {"q": "smith", "per_page": 25})
    assert "of more than 4" in filtered.content.decode()
    # With the estimate (one query: the span of ids, or PostgreSQL's pg_class) the page makes
    # one query more than with an exact count, however long the list.
    with django_assert_num_queries(10):
        owner_client.get(LIST)


def test_the_api_pages_by_position_without_gaps_or_repeats(owner, low_threshold):
    # Ties on the name: the id orders them, in both directions.
    for n in range(7):
        PersonFactory(owner=owner, first_name="Ann" if n % 2 else "Bo", last_name="Lee")
    api = ApiClient(owner)
    every = [p["id"] for p in api.get("/persons", limit=100).json()["items"]]
    for sort in ("name", "-name", "created", "-created"):
        ordered = [p["id"] for p in api.get("/persons", limit=100, sort=sort).json()["items"]]
        seen, after = [], ""
        while True:
            page = api.get("/persons", limit=3, sort=sort, after=after).json()
            seen += [p["id"] for p in page["items"]]
            after = page["next"]
            if not after:
                break
        assert seen == ordered and sorted(seen) == sorted(every)
    first = api.get("/persons", limit=3).json()
    assert first["count"] >= 5 and first["count_exact"] is False
    assert api.get("/persons", after="garbage!").status_code == 422
    assert api.get("/persons", after=first["next"], offset=3).status_code == 422
    assert api.get("/persons", sort="company", after=first["next"]).status_code == 422
    small = api.get("/persons", search="no such name").json()
    assert (small["count"], small["count_exact"], small["next"]) == (0, True, None)
