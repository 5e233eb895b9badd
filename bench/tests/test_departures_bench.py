"""The departures benchmark works: a tiny seed, timed requests that answer 200, query counts
that do not grow with the data, and its rows removed afterwards."""

import pytest
from rich.console import Console

from attract.aftercare.models import Departure
from attract.people.models import Company
from bench import departures, measuring, seeding

pytestmark = pytest.mark.django_db


def _queries(owner) -> dict[str, int]:
    results = measuring.measure(owner=owner, items=departures.scenarios(), runs=1, warmups=1)
    assert all(r.status == 200 for r in results), results
    return {r.name: r.queries for r in results}


def test_the_pages_keep_their_query_count_and_the_rows_go_afterwards():
    seeded = seeding.seed(persons=10, companies=5)
    departures.seed(owner=seeded.owner, customers=40, departures=20, won_deals=80)
    small = _queries(seeded.owner)
    assert Departure.objects.count() == 20
    departures.remove()
    departures.seed(owner=seeded.owner, customers=60, departures=25, won_deals=150)
    assert _queries(seeded.owner) == small
    figures = departures.run(console=Console(file=None, quiet=True), owner=seeded.owner, runs=1,
                             warmups=0, customers=10, departures=3, won_deals=20)  # fmt: skip
    assert figures["removed_companies"] == 10
    assert Company.objects.count() == 5 and not Departure.objects.exists()
