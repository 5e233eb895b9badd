"""The sample deals `attract demo` adds: every stage, a believable history, the same each time."""

import pytest

from attract.people.demo import people_demo_create
from attract.pipeline.demo import pipeline_demo_create
from attract.pipeline.models import Deal, Outcome, Stage, StageMove
from attract.pipeline.selectors import long_maybes_for_user
from attract.web.demo import demo_load

pytestmark = pytest.mark.django_db


def _snapshot():
    return [
        (d.title, d.stage, d.outcome, d.revenue, d.moves.count())
        for d in Deal.objects.order_by("pk")
    ]


def test_the_demo_spreads_deals_over_stages_with_backward_moves_wins_losses_and_long_maybes(
    owner,
):
    people_demo_create(owner=owner, seed=3, companies=20, persons=40)
    assert pipeline_demo_create(owner=owner, seed=3) == {"deals": 60}
    open_stages = set(Deal.objects.filter(outcome=Outcome.OPEN).values_list("stage", flat=True))
    assert open_stages == set(Stage.values)
    outcomes = set(Deal.objects.values_list("outcome", flat=True))
    assert {Outcome.WON, Outcome.LOST, Outcome.OPEN} <= outcomes
    assert StageMove.objects.filter(is_backward=True).exists()
    assert long_maybes_for_user(user=owner).exists()
    # Moves were set back in time in order, and every closed deal closed after its last move.
    for deal in Deal.objects.exclude(outcome=Outcome.OPEN)[:10]:
        last = deal.moves.order_by("-moved_at").first()
        assert deal.closed_at >= last.moved_at >= deal.created_at


def test_the_same_seed_gives_the_same_deals(owner):
    people_demo_create(owner=owner, seed=5, companies=10, persons=20)
    pipeline_demo_create(owner=owner, seed=5, deals=15)
    first = _snapshot()
    Deal.all_objects.all().delete()
    pipeline_demo_create(owner=owner, seed=5, deals=15)
    assert _snapshot() == first


def test_demo_load_includes_the_deals(owner):
    demo_load(owner=owner, seed=2)
    # The pipeline's sixty, besides the earlier orders the care demo gives its repeat buyers.
    assert Deal.objects.exclude(title__startswith="Order for ").count() == 60
    assert Deal.objects.filter(title__startswith="Order for ", outcome=Outcome.WON).exists()
    assert Deal.objects.filter(outcome=Outcome.WON).exists()
