"""The attraction benchmark works: a tiny seed, timed requests that answer 200, and the
company list sorted by fit keeps its query count as the data grows."""

import pytest

from attract.attraction.models import Assessment
from bench import attraction, measuring, seeding

pytestmark = pytest.mark.django_db


def _queries(owner) -> dict[str, int]:
    results = measuring.measure(owner=owner, items=attraction.scenarios(), runs=2, warmups=1)
    assert all(r.status == 200 for r in results), results
    return {r.name: r.queries for r in results}


def test_seeding_assesses_every_company_once_and_the_fit_list_keeps_its_query_count():
    seeded = seeding.seed(persons=20, companies=5)
    first = attraction.seed(qualities=4)
    assert not first.reused and Assessment.objects.count() == 5 * 4
    assert attraction.seed(qualities=4).reused
    small = _queries(seeded.owner)
    attraction.seed(qualities=20)
    assert Assessment.objects.count() == 5 * 20
    assert _queries(seeded.owner) == small
