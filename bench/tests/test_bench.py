"""The benchmark itself works: a tiny seed, a couple of timed requests, sensible figures."""

import pytest

from attract.accounts.tests.factories import UserFactory
from attract.people.models import Company, Person
from bench import measuring, seeding
from bench.urls_under_test import detail_url, person_search_param

pytestmark = pytest.mark.django_db


# Re-seeding at another size flushes the database, which PostgreSQL refuses inside the
# test's wrapping transaction while deferred foreign-key checks are pending.
@pytest.mark.django_db(transaction=True)
def test_seeding_fills_the_database_once_and_reuses_it_at_the_same_size():
    first = seeding.seed(persons=40, companies=8)
    assert not first.reused
    assert Person.all_objects.count() == 40 and Company.all_objects.count() == 8
    assert Person.history.count() == 40
    again = seeding.seed(persons=40, companies=8)
    assert again.reused and again.owner == first.owner
    resized = seeding.seed(persons=30, companies=8)
    assert not resized.reused
    assert Person.all_objects.count() == 30


def test_every_scenario_answers_200_and_counts_its_queries():
    seeded = seeding.seed(persons=40, companies=8)
    items = measuring.scenarios(search_param=person_search_param(), detail_url=detail_url)
    results = measuring.measure(owner=seeded.owner, items=items, runs=2, warmups=1)
    assert [r.name for r in results] == [s.name for s in items]
    for result in results:
        assert result.status == 200, result
        assert result.queries > 0
        assert 0 < result.median_ms <= result.p95_ms


def test_seeding_never_empties_a_database_it_did_not_fill():
    owner = UserFactory(email="real-owner@example.com")
    Person.objects.create(first_name="Real", last_name="Customer", owner=owner)
    with pytest.raises(seeding.ForeignDataError):
        seeding.seed(persons=10, companies=2)
    assert Person.objects.filter(first_name="Real").exists()
