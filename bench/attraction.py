"""The attraction plan's part of `make bench`: 20 qualities, every company assessed against
each (100,000 companies → 2,000,000 assessments), then the company list sorted by fit and a
company's fit through the API, timed with their query counts.

Assessments are written with raw bulk inserts and without change history: the benchmark
measures reads. The stored fit scores are then computed the way `attract plan refit` does
(timed and reported: it is what a change of a quality's weight costs at this size).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from attract.accounts.models import User
from attract.attraction.models import Answer, Assessment, FitScore, Quality
from attract.attraction.services import fit_scores_rebuild, plan_get
from attract.people.models import Company
from bench import measuring

SEED = 20260505
BATCH = 10_000
QUALITIES = 20


@dataclass
class AttractionSeed:
    companies: int
    assessments: int
    reused: bool
    seconds: float
    refit_seconds: float = 0.0


def seed(
    *, qualities: int = QUALITIES, on_progress: Callable[[int], None] | None = None
) -> AttractionSeed:
    """Assess every company against every quality, unless the database already holds that."""
    started = time.perf_counter()
    company_ids = list(Company.objects.order_by("pk").values_list("pk", flat=True))
    expected = len(company_ids) * qualities
    active = Quality.objects.filter(removed_at__isnull=True).count()
    if active == qualities and Assessment.objects.count() == expected:
        if FitScore.objects.filter(company__isnull=False).count() != len(company_ids):
            # Seeded before fit scores were stored (or they drifted): compute them once.
            refit_started = time.perf_counter()
            fit_scores_rebuild()
            return AttractionSeed(
                len(company_ids), expected, True, 0.0, time.perf_counter() - refit_started
            )
        return AttractionSeed(len(company_ids), expected, True, 0.0)
    Assessment.objects.all()._raw_delete(Assessment.objects.db)
    Quality.objects.all()._raw_delete(Quality.objects.db)
    plan = plan_get()
    rng = random.Random(SEED)
    quality_ids = [
        Quality.objects.create(plan=plan, text=f"Bench quality {n + 1}", weight=1 + n % 5).pk
        for n in range(qualities)
    ]
    now = timezone.now()
    table = Assessment._meta.db_table
    sql = (
        f"INSERT INTO {table} (created_at, updated_at, company_id, quality_id, answer) "
        "VALUES (%s, %s, %s, %s, %s)"
    )
    answers = [Answer.YES, Answer.YES, Answer.PARTLY, Answer.NO, Answer.UNKNOWN]
    rows = []
    with transaction.atomic(), connection.cursor() as cursor:
        for company_id in company_ids:
            for quality_id in quality_ids:
                rows.append((now, now, company_id, quality_id, rng.choice(answers)))
            if len(rows) >= BATCH:
                cursor.executemany(sql, rows)
                if on_progress:
                    on_progress(len(rows))
                rows = []
        if rows:
            cursor.executemany(sql, rows)
            if on_progress:
                on_progress(len(rows))
    refit_started = time.perf_counter()
    fit_scores_rebuild()
    refit_seconds = time.perf_counter() - refit_started
    return AttractionSeed(
        len(company_ids), expected, False, time.perf_counter() - started, refit_seconds
    )


def scenarios() -> list[measuring.Scenario]:
    first = Company.objects.order_by("pk").values_list("pk", flat=True).first() or 0
    return [
        measuring.Scenario("Companies sorted by fit", lambda n: "/plan/fit/companies/?sort=fit"),
        measuring.Scenario(
            "Customers sorted by fit",
            lambda n: "/plan/fit/companies/?sort=fit&relationship=customer",
        ),
        measuring.Scenario("Companies list, sort by fit", lambda n: "/companies/?sort=fit"),
        measuring.Scenario(
            "Poorest fit first, page 20", lambda n: "/plan/fit/companies/?sort=-fit&page=20"
        ),
        measuring.Scenario("Company page with fit card", lambda n: f"/companies/{first}/"),
        measuring.Scenario(
            "API fit of a company", lambda n: f"/api/v1/companies/{first}/fit", api=True
        ),
    ]


def run(*, console, owner: User, runs: int, warmups: int) -> dict:
    """Seed, measure, print a table; return the figures for results.json."""

    with console.status("Assessing every company against the plan"):
        seeded = seed()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    how = "reused" if seeded.reused else f"seeded in {seeded.seconds:.1f} s"
    console.print(
        f"Attraction: {seeded.companies:,} companies × {QUALITIES} qualities = "
        f"{seeded.assessments:,} assessments ({how})."
    )
    if seeded.refit_seconds:
        console.print(
            f"Stored fit scores of every company computed in {seeded.refit_seconds:.1f} s."
        )
    results = measuring.measure(owner=owner, items=scenarios(), runs=runs, warmups=warmups)
    console.print(measuring.results_table(f"{connection.vendor}: attraction", results))
    return {
        "companies": seeded.companies,
        "assessments": seeded.assessments,
        "seeding_seconds": None if seeded.reused else round(seeded.seconds, 1),
        "refit_seconds": round(seeded.refit_seconds, 1) if seeded.refit_seconds else None,
        "results": measuring.as_dicts(results),
    }
