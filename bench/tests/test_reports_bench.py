"""The reports benchmark works at a tiny size: every page answers 200, with the same number
of queries at two sizes of closed history."""

import pytest

from bench import pipeline, reports, seeding

pytestmark = pytest.mark.django_db


def test_every_report_answers_with_the_same_queries_at_any_size():
    owner = seeding.seed(persons=20, companies=5).owner
    pipeline.seed(open_deals=20, stage_changes=60)
    assert not reports.seed(closed_deals=30)
    assert reports.seed(closed_deals=30)  # reused
    small = {r.name: r for r in measuring_run(owner)}
    reports.seed(closed_deals=120)
    large = {r.name: r for r in measuring_run(owner)}
    for name, result in large.items():
        assert result.status == 200, result
        assert result.queries == small[name].queries, name


def measuring_run(owner):
    from bench import measuring

    return measuring.measure(owner=owner, items=reports.scenarios(), runs=1, warmups=1)
