"""Lists page by numbers and by a page size the user picks (core/paging.py), on the people,
company and deal lists."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from attract.core.paging import page_for
from attract.people.models import Person
from attract.people.tests.factories import PersonFactory
from attract.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(owner):
    PersonFactory.create_batch(130, owner=owner, last_name="Paged")


def _page(query: str):
    request = RequestFactory().get(f"/people/?{query}")
    return page_for(request, Person.objects.order_by("pk"), default_size=50)


def test_a_chosen_page_size_is_honoured_and_anything_else_falls_back(many):
    assert len(_page("per_page=25").object_list) == 25
    assert len(_page("per_page=100").object_list) == 100
    for bad in ("per_page=7", "per_page=-1", "per_page=99999999999999", "per_page=abc"):
        assert _page(bad).paginator.per_page == 50


def test_page_numbers_are_elided_around_the_current_page(many):
    page = _page("per_page=25&page=3")  # 130 rows: 6 pages
    assert page.number == 3
    assert page.numbers == [1, 2, 3, 4, 5, 6]
    page = page_for(RequestFactory().get("/?per_page=25&page=1"), Person.objects.order_by("pk")[:0])
    assert page.numbers == [1]


def test_a_page_past_the_end_shows_the_last_one(many):
    assert _page("page=999").number == 3
    assert _page("page=x").number == 1


def test_the_people_list_shows_numbers_and_keeps_filters_in_them(many, owner_client):
    html = owner_client.get("/people/", {"q": "paged", "per_page": "25"}).content.decode()
    assert 'aria-label="Page 6"' in html
    assert "q=paged" in html and "per_page=25" in html
    assert html.count('name="ids"') == 25  # one checkbox a row: 25 rows on the page
    assert 'name="per_page"' in html


def test_the_deal_list_pages_by_number(owner, owner_client):
    DealFactory.create_batch(60, owner=owner)
    html = owner_client.get("/deals/", {"per_page": "25"}).content.decode()
    assert "1–25 of 60 deals" in html and 'aria-label="Page 3"' in html
