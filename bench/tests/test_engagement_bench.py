"""The engagement benchmark works: a tiny seed, timed requests that answer 200, and the query
count of the review and Today pages does not grow with the data."""

import pytest

from attract.engagement.models import DealSignal, GoalDay, Interaction, ResponseDay
from bench import engagement, measuring, pipeline, seeding

pytestmark = pytest.mark.django_db


def _queries(owner) -> dict[str, int]:
    results = measuring.measure(owner=owner, items=engagement.scenarios(), runs=2, warmups=1)
    assert all(r.status == 200 for r in results), results
    return {r.name: r.queries for r in results}


def test_seeding_writes_interactions_once_and_the_pages_keep_their_query_count():
    seeded = seeding.seed(persons=20, companies=5)
    pipeline.seed(open_deals=30, stage_changes=50)
    first = engagement.seed(interactions=200)
    assert not first.reused and Interaction.objects.count() == 200
    engagement.refresh()
    assert DealSignal.objects.exists() and GoalDay.objects.exists()
    assert ResponseDay.objects.exists()  # the awaiting page's response times
    small = _queries(seeded.owner)
    assert engagement.seed(interactions=200).reused
    engagement.seed(interactions=2_000)
    engagement.refresh()
    assert _queries(seeded.owner) == small
