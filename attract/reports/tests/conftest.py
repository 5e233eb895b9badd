"""A small known history the reports' tests share: won and lost deals over a few months,
one private deal of the owner's, a tag, companies."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from attract.attraction.models import Answer
from attract.attraction.tests.factories import AssessmentFactory, QualityFactory
from attract.people.models import Tag
from attract.pipeline.models import Deal, Outcome, Source, Stage, StageMove
from attract.pipeline.tests.factories import DealFactory


def at(year: int, month: int, day: int = 10) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


@pytest.fixture
def history(owner, teammate):
    tag = Tag.objects.create(name="Retail")
    deals = {
        "march_big": DealFactory(
            owner=owner,
            outcome=Outcome.WON,
            revenue=Decimal("10000"),
            cost=Decimal("9000"),
            source=Source.OUTBOUND,
            closed_at=at(2026, 3),
        ),
        "march_small": DealFactory(
            owner=teammate,
            outcome=Outcome.WON,
            revenue=Decimal("2000"),
            cost=Decimal("500"),
            source=Source.INBOUND,
            closed_at=at(2026, 3, 20),
        ),
        "march_year_before": DealFactory(
            owner=teammate,
            outcome=Outcome.WON,
            revenue=Decimal("1000"),
            cost=Decimal("200"),
            closed_at=at(2025, 3),
        ),
        "april_private": DealFactory(
            owner=owner,
            is_private=True,
            outcome=Outcome.WON,
            revenue=Decimal("5000"),
            cost=Decimal("1000"),
            closed_at=at(2026, 4),
        ),
        "april_lost": DealFactory(
            owner=teammate, outcome=Outcome.LOST, revenue=Decimal("7000"), closed_at=at(2026, 4)
        ),
    }
    deals["march_small"].tags.add(tag)
    # The plan has one quality; the big March customer has it, the small one does not.
    quality = QualityFactory(text="Decides fast")
    AssessmentFactory(quality=quality, company=deals["march_big"].company, answer=Answer.YES)
    AssessmentFactory(quality=quality, company=deals["march_small"].company, answer=Answer.NO)
    # Each entered the pipeline in January (the forecast of March and April knows them).
    Deal.all_objects.filter(pk__in=[d.pk for d in deals.values()]).update(created_at=at(2026, 1, 5))
    StageMove.objects.bulk_create(
        StageMove(deal=d, to_stage=Stage.ATTENTION, moved_at=at(2026, 1, 5)) for d in deals.values()
    )
    return deals
