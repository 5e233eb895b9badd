"""The pipeline benchmark works: a tiny seed, timed requests, and query counts that do not
grow with the number of deals."""

import pytest

from attract.pipeline.models import Deal, Outcome, StageMove
from bench import pipeline, seeding

pytestmark = pytest.mark.django_db


def test_seeding_writes_open_and_closed_deals_and_stage_changes_once():
    seeding.seed(persons=20, companies=5)
    first = pipeline.seed(open_deals=50, stage_changes=300)
    assert not first.reused
    assert Deal.objects.filter(outcome=Outcome.OPEN).count() == 50
    assert Deal.objects.exclude(outcome=Outcome.OPEN).count() == 10
    assert StageMove.objects.count() == 300
    assert pipeline.seed(open_deals=50, stage_changes=300).reused
    resized = pipeline.seed(open_deals=30, stage_changes=100)
    assert not resized.reused and StageMove.objects.count() == 100


def test_every_pipeline_scenario_answers_with_the_same_queries_at_any_size():
    owner = seeding.seed(persons=20, companies=5).owner
    pipeline.seed(open_deals=20, stage_changes=50)
    small = {r.name: r for r in pipeline.measure(owner=owner, runs=2, warmups=1)}
    pipeline.seed(open_deals=200, stage_changes=500)
    large = {r.name: r for r in pipeline.measure(owner=owner, runs=2, warmups=1)}
    for name, result in large.items():
        assert result.status == 200, result
        assert 0 < result.median_ms <= result.p95_ms
        assert result.queries == small[name].queries, name
