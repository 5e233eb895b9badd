"""The person name search: every word of the query anywhere in the name, in any script,
whatever the index that answers it (SQLite's trigram index for words of three characters or
more, LIKE for shorter ones, PostgreSQL's pg_trgm)."""

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection

from attract.core import trigram_index
from attract.core.search_text import search_key
from attract.people import services
from attract.people.models import Person
from attract.people.name_index import PERSON_NAMES
from attract.people.selectors import person_list_for_user
from attract.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

NAMES = [
    ("John", "Smith"),
    ("Jane", "Smithson"),
    ("Zoë", "Müller"),
    ("Иван", "Петров"),
    ("李", "小龙"),
    ("محمد", "علي"),
    ("Seán", "O'Brien"),
    ("Jean", '"JJ" Dupont'),
    ("Anne-Marie", "Li"),
    ("Ali", "Ng"),
]


def _found(owner, query: str) -> list[str]:
    return sorted(p.full_name for p in person_list_for_user(user=owner, search=query))


@pytest.mark.parametrize(
    "query",
    [
        "smit",  # the start of two names
        "mithso",  # inside a name
        "SMITH jo",  # two words, case ignored
        "muller",  # accents ignored
        "MÜL",
        "петр",  # Cyrillic
        "小龙",  # Chinese, two characters
        "龙",
        "علي",  # Arabic
        "o'br",  # punctuation
        '"jj"',  # quotes are plain characters
        "anne-m",
        "li",  # words shorter than three characters
        "n",
        "ng al",
        "smith zzz",  # one word matches no one
        "a*b",
        "100%",
        "j_n",
    ],
)
def test_name_search_finds_exactly_the_names_that_hold_every_word(owner, query):
    persons = [PersonFactory(owner=owner, first_name=f, last_name=last) for f, last in NAMES]
    words = search_key(query).split()
    expected = sorted(p.full_name for p in persons if all(w in p.search_name for w in words))

    assert _found(owner, query) == expected


def test_name_search_follows_renames_deletions_and_rows_written_in_bulk(owner):
    person = services.person_create(actor=owner, first_name="Ann", last_name="Smith")
    services.person_update(actor=owner, person=person, job_title="Buyer")  # name unchanged
    assert _found(owner, "smith") == ["Ann Smith"]

    services.person_update(actor=owner, person=person, last_name="Jones")
    assert _found(owner, "smith") == []
    assert _found(owner, "jones") == ["Ann Jones"]

    # Imports write persons in bulk, without the services.
    Person.objects.bulk_create(
        [Person(first_name="Bulk", last_name="Smith", search_name="bulk smith", owner=owner)]
    )
    assert _found(owner, "smith") == ["Bulk Smith"]

    Person.all_objects.filter(search_name="bulk smith").delete()
    assert _found(owner, "smith") == []


def test_after_a_migrate_the_search_index_is_whole_again_even_if_its_triggers_were_lost(owner):
    """Django rebuilds the person table on SQLite when a migration alters it, and the
    triggers go with the old table. (PostgreSQL's pg_trgm index needs no triggers: there a
    migrate changes nothing and the person is found throughout.)"""
    indexed = trigram_index.in_use(connection)
    if indexed:
        with connection.cursor() as cursor:
            for trigger in PERSON_NAMES.triggers():
                cursor.execute(f"DROP TRIGGER {trigger}")
    PersonFactory(owner=owner, first_name="Written", last_name="Meanwhile")
    assert _found(owner, "meanwhile") == ([] if indexed else ["Written Meanwhile"])

    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)

    assert _found(owner, "meanwhile") == ["Written Meanwhile"]
    PersonFactory(owner=owner, first_name="Written", last_name="Afterwards")
    assert _found(owner, "written") == ["Written Afterwards", "Written Meanwhile"]
