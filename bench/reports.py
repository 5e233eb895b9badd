"""The reports part of `make bench` (issue 18): a closed history of 400,000 deals over five
years on top of the pipeline section's open deals and stage moves (and the engagement
section's interactions, when it ran first), then the Reports dashboard and every report on its
default period (the last twelve months), and one report through the API, timed with their
query counts.

Target: under 150 ms median on SQLite with a fixed number of queries. Rows go in with bulk
inserts and without change history: the benchmark measures reads. Two things are stored ahead
of the requests, as in production: each stage move's time in the stage it left (written with
the move), and the monthly forecast snapshots (the nightly job, run here before timing and its
CPU time printed); the rest is counted on each request (docs/reports.md says what stays fresh).
"""

from __future__ import annotations

import random
import time
from datetime import timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from attract.accounts.models import User
from attract.people.models import Company
from attract.pipeline.models import STAGE_ORDER, Deal, LostReason, Outcome, Source
from attract.reports.forecast_snapshots import forecast_snapshots_refresh
from attract.reports.registry import REPORTS
from bench import measuring

SEED = 20261218
BATCH = 5_000
YEARS = 5
MARK = "bench-report-"  # source_id of the history this section adds


def seed(*, closed_deals: int) -> bool:
    """Add `closed_deals` closed deals spread over five years, unless they are there already.
    Returns whether the rows were reused."""
    added = Deal.all_objects.filter(source_id__startswith=MARK)
    if added.count() == closed_deals:
        return True
    added._raw_delete(Deal.objects.db)
    rng = random.Random(SEED)
    now = timezone.now()
    owners = list(User.objects.filter(is_active=True).values_list("pk", flat=True))
    companies = list(Company.objects.values_list("pk", flat=True)[:50_000]) or [None]
    reasons = list(LostReason.objects.values_list("pk", flat=True)) or [None]
    for begin in range(0, closed_deals, BATCH):
        rows = []
        for n in range(begin, min(begin + BATCH, closed_deals)):
            closed_at = now - timedelta(days=rng.random() * 365 * YEARS)
            furthest = rng.randrange(5)
            outcome = Outcome.WON if rng.random() < 0.2 + 0.15 * furthest else Outcome.LOST
            revenue = Decimal(rng.randrange(2, 2_000) * 25)
            rows.append(
                Deal(
                    title=f"Closed history {n}",
                    source_id=f"{MARK}{n}",
                    company_id=rng.choice(companies),
                    owner_id=rng.choice(owners),
                    revenue=revenue,
                    cost=(revenue * Decimal(rng.randrange(20, 95)) / 100).quantize(Decimal("1")),
                    source=rng.choice(Source.values),
                    stage=STAGE_ORDER[rng.randrange(furthest + 1)],
                    furthest_stage_index=furthest,
                    outcome=outcome,
                    closed_at=closed_at,
                    created_at=closed_at - timedelta(days=rng.randrange(1, 180)),
                    stage_entered_at=closed_at - timedelta(days=rng.randrange(1, 30)),
                    lost_reason_kind_id=rng.choice(reasons) if outcome == Outcome.LOST else None,
                    position=n,
                )
            )
        with transaction.atomic():
            Deal.objects.bulk_create(rows, batch_size=BATCH)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return False


def scenarios() -> list[measuring.Scenario]:
    items = [measuring.Scenario("Reports dashboard", lambda n: "/reports/")]
    items += [
        measuring.Scenario(report.title, lambda n, name=name: f"/reports/{name}/")
        for name, report in REPORTS.items()
    ]
    items.append(
        measuring.Scenario("API profit report", lambda n: "/api/v1/reports/profit", api=True)
    )
    return items


def run(*, console, owner: User, runs: int, warmups: int, closed_deals: int) -> dict:
    reused = seed(closed_deals=closed_deals)
    # What the nightly job keeps: the monthly forecast snapshots that Forecasts, checked reads.
    started = time.process_time()
    snapshots = forecast_snapshots_refresh()
    console.print(
        f"Forecast snapshots: {snapshots['months']} months, {snapshots['cells']:,} cells, "
        f"{time.process_time() - started:.1f} CPU-s (the nightly job's work)."
    )
    results = measuring.measure(owner=owner, items=scenarios(), runs=runs, warmups=warmups)
    rows = {
        "open deals": Deal.objects.filter(outcome=Outcome.OPEN).count(),
        "closed deals": Deal.objects.exclude(outcome=Outcome.OPEN).count(),
    }
    sizes = ", ".join(f"{count:,} {name}" for name, count in rows.items())
    console.print(
        measuring.results_table(
            f"{connection.vendor}: reports, {sizes}{' (reused)' if reused else ''} "
            "(target < 150 ms)",
            results,
        )
    )
    return {"rows": rows, "results": measuring.as_dicts(results)}
