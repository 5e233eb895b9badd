"""Finding deals by a word of their title or of their company's name, whatever answers it:
SQLite's trigram indexes (words of three characters or more), LIKE (shorter words) or
PostgreSQL's pg_trgm. The results are the same either way; only the speed differs."""

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection

from attract.core import trigram_index
from attract.people.models import Company
from attract.people.selectors import company_list_for_user, person_list_for_user
from attract.people.tests.factories import CompanyFactory
from attract.pipeline.models import Deal
from attract.pipeline.selectors import deal_list_for_user
from attract.pipeline.tests.factories import DealFactory
from attract.pipeline.title_index import DEAL_TITLES

pytestmark = pytest.mark.django_db


def _titles(user, query: str) -> list[str]:
    return sorted(d.title for d in deal_list_for_user(user=user, outcome=None, search=query))


@pytest.fixture
def deals(owner, teammate):
    acme = CompanyFactory(name="Acme Corporation", owner=owner)
    hidden = CompanyFactory(name="Zanzibar Holdings", owner=owner, is_private=True)
    DealFactory(title="Website redesign", company=acme, owner=owner)
    DealFactory(title="ERP rollout, phase 2", company=None, owner=owner)
    DealFactory(title="Café fit-out", company=None, owner=owner)
    DealFactory(title="東京 office move", company=None, owner=owner)
    DealFactory(title="Annual support", company=hidden, owner=owner)
    return acme, hidden


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("redesign", ["Website redesign"]),
        ("WEBSITE", ["Website redesign"]),  # case ignored
        ("rollout erp", ["ERP rollout, phase 2"]),  # every word, any order
        ("acme", ["Website redesign"]),  # by its company's name
        ("acme redes", ["Website redesign"]),  # one word each way
        ("acme erp", []),  # words that are not all in one deal
        ("er", ["ERP rollout, phase 2"]),  # a short word goes through LIKE
        ("café", ["Café fit-out"]),  # as typed, accent and all
        ("CAFÉ FIT", ["Café fit-out"]),
        ("東京", ["東京 office move"]),  # two characters: no trigram, LIKE finds it
        ("東京 office", ["東京 office move"]),
        ('"quoted" or*', []),  # the index's syntax is plain text here
    ],
)
def test_a_word_finds_the_deal_by_title_or_company(deals, owner, query, expected):
    assert _titles(owner, query) == expected


def test_a_private_company_of_someone_else_does_not_lead_to_its_deals(deals, owner, teammate):
    Deal.objects.filter(title="Annual support").update(is_private=False)
    assert _titles(owner, "zanzibar") == ["Annual support"]
    assert _titles(teammate, "zanzibar") == []
    assert _titles(teammate, "annual") == ["Annual support"]  # its own title still finds it


def test_renamed_and_deleted_deals_and_companies_are_found_by_their_new_names(deals, owner):
    acme, _ = deals
    Deal.objects.filter(title="Website redesign").update(title="Brand refresh")
    assert _titles(owner, "redesign") == []
    assert _titles(owner, "refresh") == ["Brand refresh"]
    Company.objects.filter(pk=acme.pk).update(name="Initech", search_name="initech")
    assert _titles(owner, "acme") == []
    assert _titles(owner, "initech") == ["Brand refresh"]
    assert [c.name for c in company_list_for_user(user=owner, search="initech")] == ["Initech"]
    Deal.all_objects.filter(title="Brand refresh").delete()
    assert _titles(owner, "refresh") == []


def test_after_a_migrate_the_title_index_is_whole_again_even_if_its_triggers_were_lost(owner):
    """Django rebuilds the deal table on SQLite when a migration alters it, and the triggers
    go with the old table. (PostgreSQL's index needs no triggers.)"""
    indexed = trigram_index.in_use(connection)
    if indexed:
        with connection.cursor() as cursor:
            for trigger in DEAL_TITLES.triggers():
                cursor.execute(f"DROP TRIGGER {trigger}")
    DealFactory(title="Written meanwhile", owner=owner, company=None)
    assert _titles(owner, "meanwhile") == ([] if indexed else ["Written meanwhile"])

    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)

    assert _titles(owner, "meanwhile") == ["Written meanwhile"]


def test_the_company_search_finds_every_word_in_any_script(owner):
    for name in ("Acme Corporation", "Acme, Inc.", "Müller & Söhne GmbH", "株式会社東京"):
        CompanyFactory(name=name, owner=owner)

    def names(query):
        return sorted(c.name for c in company_list_for_user(user=owner, search=query))

    assert names("acme") == ["Acme Corporation", "Acme, Inc."]
    assert names("corp acm") == ["Acme Corporation"]
    assert names("muller sohne") == ["Müller & Söhne GmbH"]
    assert names("東京") == ["株式会社東京"]
    assert names("株式会社") == ["株式会社東京"]


@pytest.mark.parametrize("many", [0, 10_000])
@pytest.mark.parametrize("first_rows", [False, True])
def test_the_same_deals_and_people_are_found_whichever_way_the_search_starts(
    deals, owner, monkeypatch, many, first_rows
):
    """With `many` at 0 every word counts as common: the search reads the rows with LIKE
    (walking the list when only the first rows are wanted); at 10,000 it starts from the
    trigram index. The answer is the same; only the speed differs."""
    from attract.people import selectors as people_selectors
    from attract.people.tests.factories import PersonFactory
    from attract.pipeline import selectors as pipeline_selectors

    monkeypatch.setattr(pipeline_selectors, "MANY_MATCHES", many)
    monkeypatch.setattr(pipeline_selectors, "MANY_MATCHES_TO_COUNT", many)
    monkeypatch.setattr(people_selectors, "MANY_MATCHES", many)
    for first, last in (("Ann", "Redesign"), ("Rollo", "Acme")):
        PersonFactory(first_name=first, last_name=last, owner=owner)
    expected = {
        "acme redes": ["Website redesign"],
        "rollout erp": ["ERP rollout, phase 2"],
        "café": ["Café fit-out"],
        "acme erp": [],
    }
    for query, titles in expected.items():
        found = deal_list_for_user(user=owner, outcome=None, search=query, first_rows=first_rows)
        assert sorted(d.title for d in found) == titles, query
    people = person_list_for_user(user=owner, search="redesign", first_rows=first_rows)
    assert [p.full_name for p in people] == ["Ann Redesign"]
