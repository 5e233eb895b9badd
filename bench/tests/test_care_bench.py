"""The care benchmark works: a tiny seed, timed requests that answer 200, and the query
count of the Care page, a customer page and Today does not grow with the data."""

import pytest

from attract.aftercare.models import CareStep, CustomerCare, Promise
from bench import care, measuring, seeding

pytestmark = pytest.mark.django_db


def _queries(owner) -> dict[str, int]:
    results = measuring.measure(owner=owner, items=care.scenarios(), runs=2, warmups=1)
    assert all(r.status == 200 for r in results), results
    return {r.name: r.queries for r in results}


def test_seeding_writes_care_once_and_the_pages_keep_their_query_count():
    seeded = seeding.seed(persons=40, companies=10)
    assert not care.seed(customers=20, steps=100, promises=30, owner=seeded.owner)
    assert CustomerCare.objects.count() == 20 and CareStep.objects.count() == 100
    assert Promise.objects.count() == 30
    small = _queries(seeded.owner)
    assert care.seed(customers=20, steps=100, promises=30, owner=seeded.owner)
    care.seed(customers=45, steps=400, promises=90, owner=seeded.owner)
    assert _queries(seeded.owner) == small
