"""The global search: the search page, the command palette's results and /api/v1/search
find people, companies, deals and plan lines — only those the user may see."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attract.accounts.services import api_token_create
from attract.attraction.models import Quality
from attract.attraction.services import plan_get
from attract.people.models import Relationship
from attract.people.tests.factories import CompanyFactory, EmailAddressFactory, PersonFactory
from attract.pipeline.models import Outcome
from attract.pipeline.tests.factories import DealFactory
from attract.web.search import search_everything

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(owner, teammate):
    acme = CompanyFactory(name="Acme Harbour", owner=owner, relationship=Relationship.CUSTOMER)
    hidden = CompanyFactory(name="Harbour Secrets", owner=teammate, is_private=True)
    ana = PersonFactory(first_name="Ana", last_name="Harbour", owner=owner, company=hidden)
    EmailAddressFactory(person=ana, email="ana@harbour.example")
    PersonFactory(first_name="Hidden", last_name="Harbourmaster", owner=teammate, is_private=True)
    DealFactory(title="Harbour refit", owner=owner, company=acme, revenue=Decimal("12500"))
    DealFactory(title="Harbour lost", owner=owner, company=acme, outcome=Outcome.LOST)
    DealFactory(title="Private harbour deal", owner=teammate, company=hidden, is_private=True)
    Quality.objects.create(plan=plan_get(), text="Values a harbour view over the price")
    return {"acme": acme, "ana": ana}


def _labels(results, kind):
    return [h.label for g in results.groups if g.kind == kind for h in g.hits]


def test_search_finds_every_kind_the_user_may_see_and_nothing_private_of_others(world, owner):
    results = search_everything(user=owner, query="harbour")
    assert _labels(results, "person") == ["Ana Harbour"]
    assert _labels(results, "company") == ["Acme Harbour"]
    assert sorted(_labels(results, "deal")) == ["Harbour lost", "Harbour refit"]
    assert _labels(results, "plan") == ["Values a harbour view over the price"]
    ana = next(h for g in results.groups for h in g.hits if h.label == "Ana Harbour")
    # Her company is someone else's private record: named as such, never by its name.
    assert ana.detail == "a private company · ana@harbour.example"


def test_the_private_records_owner_finds_them(world, teammate):
    results = search_everything(user=teammate, query="harbour")
    assert "Hidden Harbourmaster" in _labels(results, "person")
    assert "Harbour Secrets" in _labels(results, "company")
    assert "Private harbour deal" in _labels(results, "deal")


def test_search_by_email_address_and_by_several_words(world, owner):
    assert _labels(search_everything(user=owner, query="ana@harbour"), "person") == ["Ana Harbour"]
    assert _labels(search_everything(user=owner, query="harbour ana"), "person") == ["Ana Harbour"]
    assert search_everything(user=owner, query="harbour zebra").count == 0


def test_an_empty_or_unreadable_query_finds_nothing_without_error(world, owner):
    assert search_everything(user=owner, query="").count == 0
    assert search_everything(user=owner, query="   \x00  ").count == 0
    assert search_everything(user=owner, query="x" * 10_000).query == "x" * 200


def test_a_full_group_links_to_its_list_filtered_by_the_same_words(owner):
    for n in range(3):
        PersonFactory(first_name=f"Kim{n}", last_name="Sample", owner=owner)
    results = search_everything(user=owner, query="sample", limit=2)
    people = next(g for g in results.groups if g.kind == "person")
    assert len(people.hits) == 2
    assert people.more_url == "/people/?q=sample"


def test_search_makes_a_fixed_number_of_queries_however_many_match(owner):
    def count_for(rows: int) -> int:
        for n in range(rows):
            PersonFactory(first_name=f"Query{n}", last_name="Count", owner=owner)
            DealFactory(title=f"Count deal {n}", owner=owner)
        with CaptureQueriesContext(connection) as queries:
            search_everything(user=owner, query="count")
        return len(queries)

    few = count_for(2)
    assert count_for(20) == few


def test_the_search_page_shows_groups_and_actions(world, owner_client):
    html = owner_client.get("/search/", {"q": "harbour"}).content.decode()
    assert "Ana Harbour" in html and "Acme Harbour" in html and "Harbour refit" in html
    assert "Harbour Secrets" not in html and "Private harbour deal" not in html
    assert "a private company" in html
    empty = owner_client.get("/search/", {"q": "nothing-like-this"}).content.decode()
    assert "Nothing found" in empty


def test_the_palette_offers_actions_pages_and_records(world, owner_client, viewer_client):
    html = owner_client.get("/search/palette/", {"q": "new"}).content.decode()
    assert "New deal" in html and "New person" in html
    html = owner_client.get("/search/palette/", {"q": "fore"}).content.decode()
    assert "Forecast" in html
    # A viewer is not offered what their role cannot do.
    html = viewer_client.get("/search/palette/", {"q": "new"}).content.decode()
    assert "New deal" not in html
    html = viewer_client.get("/search/palette/", {"q": "background"}).content.decode()
    assert "Background work" not in html


def test_log_a_call_asks_for_the_record_and_opens_it_at_the_form(world, owner_client):
    first = owner_client.get("/search/palette/", {"q": "log"}).content.decode()
    assert 'data-then="log_call"' in first
    html = owner_client.get("/search/palette/", {"q": "ana", "then": "log_call"}).content.decode()
    assert f'href="/people/{world["ana"].pk}/#id_summary"' in html
    assert "New deal" not in html  # only records now
    forged = owner_client.get("/search/palette/", {"q": "ana", "then": "<script>"})
    assert forged.status_code == 200 and b"<script>" not in forged.content


def test_search_needs_a_login(client):
    assert client.get("/search/", {"q": "x"}).status_code == 302
    assert client.get("/search/palette/", {"q": "x"}).status_code == 302


def test_the_api_search_answers_what_the_web_shows(world, owner, teammate):
    _, raw = api_token_create(user=owner, name="t")
    from django.test import Client

    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    body = api.get("/api/v1/search", {"q": "harbour", "kind": ["deal", "company"]}).json()
    kinds = {g["kind"]: [h["label"] for h in g["hits"]] for g in body["groups"]}
    assert set(kinds) == {"deal", "company"}
    assert "Private harbour deal" not in kinds["deal"]
    refit = next(h for g in body["groups"] for h in g["hits"] if h["label"] == "Harbour refit")
    assert Decimal(refit["amount"]) == Decimal("12500")
    assert api.get("/api/v1/search", {"q": "a", "limit": 0}).status_code == 422
    assert api.get("/api/v1/search", {"q": "a", "kind": "secrets"}).status_code == 422
    assert Client().get("/api/v1/search", {"q": "a"}).status_code == 401


def test_the_deal_list_searches_titles_and_companies(world, owner_client):
    html = owner_client.get("/deals/", {"q": "refit"}).content.decode()
    assert "Harbour refit" in html
    closed = owner_client.get("/deals/closed/", {"q": "harbour"}).content.decode()
    assert "Harbour lost" in closed and "Harbour refit" not in closed
    none = owner_client.get("/deals/", {"q": "zebra"}).content.decode()
    assert "No deals match" in none


def test_partners_are_found_by_name_and_a_private_one_only_by_its_owner(owner, teammate):
    from attract.partners.tests.factories import make_partner

    make_partner(owner, name="Harbour Printers")
    make_partner(owner, name="Harbour Secret Ally", is_private=True)

    def partners(user) -> list[str]:
        results = search_everything(user=user, query="harbour", kinds=("partner",))
        return [hit.label for group in results.groups for hit in group.hits]

    assert partners(owner) == ["Harbour Printers", "Harbour Secret Ally"]
    assert partners(teammate) == ["Harbour Printers"]
