"""Monthly forecast snapshots, so that Forecasts, checked reads a few rows a month instead of
finding every deal's stage at every month's start.

For each month (its first moment t) a ForecastMonth holds the chances known at t — the
configured percentages then and the learned counts from the deals closed before t — written
once, when the month is first snapshotted (the nightly job does so on the month's first
night; the first run fills every past month). Its ForecastCells count the deals open at t (not
in the trash) by owner, privacy, stage at t and outcome now, with their revenue now: those
change as deals are decided, edited, handed over or trashed, so every month's cells are
counted again each night (`attract forecast_snapshots` does the same at once, after a bulk
import for example). The report reads these rows; a month without a snapshot yet, or a tag
filter (tags are not in the cells), is computed from the deals as before.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import Count, Min, OuterRef, Subquery, Sum
from django.utils import timezone

from attract.pipeline.models import STAGE_ORDER, Deal, Outcome, StageMove
from attract.reports.chances import configured_chances_at, learned_chances_at
from attract.reports.figures import ZERO, local_midnight
from attract.reports.filters import MAX_DAYS, add_months, month_start
from attract.reports.models import ForecastCell, ForecastMonth

CHANCE_BATCH = 12  # months whose learned counts are taken in one query


def stage_then(moment: datetime) -> Subquery:
    """A deal's stage at `moment`: the stage of its last move before."""
    return Subquery(
        StageMove.objects.filter(deal_id=OuterRef("pk"), moved_at__lt=moment)
        .order_by("-moved_at", "-id")
        .values("to_stage")[:1]
    )


def chances_at(moments: list[datetime]) -> list[dict[str, list]]:
    """The chances known at each moment: {stage: [configured percent, won, reached]}."""
    found = []
    for begin in range(0, len(moments), CHANCE_BATCH):
        batch = moments[begin : begin + CHANCE_BATCH]
        configured = configured_chances_at(batch)
        learned = learned_chances_at(batch)
        for m in range(len(batch)):
            found.append(
                {
                    stage: [configured[m][stage], *learned[m * len(STAGE_ORDER) + i]]
                    for i, stage in enumerate(STAGE_ORDER)
                }
            )
    return found


def _cells(snapshot: ForecastMonth, moment: datetime) -> list[ForecastCell]:
    opened = Deal.objects.filter(created_at__lt=moment)
    still_open = (
        opened.filter(outcome=Outcome.OPEN)
        .values("owner_id", "is_private")
        .annotate(n=Count("id"), amount=Sum("revenue"))
        .order_by()
        .values_list("owner_id", "is_private", "n", "amount")
    )
    decided = (
        opened.filter(outcome__in=[Outcome.WON, Outcome.LOST], closed_at__gte=moment)
        .annotate(stage_then=stage_then(moment))
        .values("owner_id", "is_private", "stage_then", "outcome")
        .annotate(n=Count("id"), amount=Sum("revenue"))
        .order_by()
        .values_list("owner_id", "is_private", "stage_then", "outcome", "n", "amount")
    )
    cells = [
        ForecastCell(
            snapshot=snapshot,
            owner_id=owner_id,
            is_private=private,
            stage="",
            outcome=Outcome.OPEN,
            deals=n,
            revenue=amount or ZERO,
        )
        for owner_id, private, n, amount in still_open
    ]
    cells += [
        ForecastCell(
            snapshot=snapshot,
            owner_id=owner_id,
            is_private=private,
            stage=stage or "",
            outcome=outcome,
            deals=n,
            revenue=amount or ZERO,
        )
        for owner_id, private, stage, outcome, n, amount in decided
    ]
    return cells


def months_to_snapshot(today: date) -> list[date]:
    """Every month from the first deal's (at most ten years back) to this one."""
    first = Deal.objects.aggregate(first=Min("created_at"))["first"]
    if first is None:
        return []
    earliest = add_months(month_start(today), -(MAX_DAYS // 30))
    month = max(month_start(timezone.localdate(first)), earliest)
    found = []
    while month <= today:
        found.append(month)
        month = add_months(month, 1)
    return found


def forecast_snapshots_refresh(*, today: date | None = None) -> dict[str, int]:
    """Snapshot every month not yet snapshotted (its chances, known at its start), then count
    every month's cells again. Each month is written in its own transaction."""
    today = today or timezone.localdate()
    months = months_to_snapshot(today)
    known = set(ForecastMonth.objects.filter(month__in=months).values_list("month", flat=True))
    new = [m for m in months if m not in known]
    chances = dict(zip(new, chances_at([local_midnight(m) for m in new]), strict=True))
    snapshots = {s.month: s for s in ForecastMonth.objects.filter(month__in=months)}
    cells = 0
    for month in months:
        # A new month's chances and its first cells go in together: the report never reads a
        # snapshot without its cells.
        with transaction.atomic():
            now = timezone.now()
            snapshot = snapshots.get(month) or ForecastMonth.objects.create(
                month=month, chances=chances[month], made_at=now, counted_at=now
            )
            written = _cells(snapshot, local_midnight(month))
            snapshot.cells.all().delete()
            ForecastCell.objects.bulk_create(written)
            snapshot.counted_at = now
            snapshot.save(update_fields=["counted_at"])
        cells += len(written)
    return {"months": len(months), "new_months": len(new), "cells": cells}
