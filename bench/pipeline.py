"""The pipeline's part of `make bench`: 100,000 open deals with 1,000,000 stage changes (and a
closed history for the learned chances), then the board, the forecast and the learned
probabilities timed with their query counts.

Rows are written with bulk inserts and without change history: the benchmark measures
reads, and history rows do not take part in any of them.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from attract.accounts.models import User
from attract.people.models import Company
from attract.pipeline.forecasting import forecast_by_month, learned_chances
from attract.pipeline.models import STAGE_ORDER, Deal, Outcome, Quote, Source, StageMove
from attract.pipeline.selectors import deal_board
from attract.pipeline.stage_times import stage_move_times_fill
from bench import measuring

SEED = 20260303
BATCH = 5_000
CLOSED_SHARE = 5  # one closed deal for every five open ones: the learned chances' sample


@dataclass
class PipelineSeed:
    open_deals: int
    closed_deals: int
    stage_changes: int
    reused: bool
    seconds: float


def _is_seeded(open_deals: int, closed_deals: int, stage_changes: int) -> bool:
    return (
        Deal.all_objects.filter(outcome=Outcome.OPEN).count() == open_deals
        and Deal.all_objects.exclude(outcome=Outcome.OPEN).count() == closed_deals
        and StageMove.objects.count() == stage_changes
    )


def _clear() -> None:
    # Raw deletes: a cascade through a million moves one by one would take minutes.
    StageMove.objects.all()._raw_delete(StageMove.objects.db)
    Deal.tags.through.objects.all()._raw_delete(Deal.objects.db)
    Quote.objects.all()._raw_delete(Quote.objects.db)
    Deal.all_objects.all()._raw_delete(Deal.objects.db)


def _deal(rng: random.Random, now, *, owners, companies, outcome: str, position: int) -> Deal:
    furthest = rng.randrange(5)
    stage = rng.randrange(furthest + 1)
    created = now - timedelta(days=rng.randrange(30, 720))
    entered = created + (now - created) * rng.random()
    revenue = Decimal(rng.randrange(2, 2_000) * 25)
    closed_at = None if outcome == Outcome.OPEN else entered + timedelta(days=rng.randrange(1, 60))
    return Deal(
        title=f"Bench deal {position}",
        company_id=rng.choice(companies) if companies else None,
        owner_id=rng.choice(owners),
        pain="It costs us a day a week." if furthest else "",
        revenue=revenue,
        cost=(revenue * Decimal(rng.randrange(20, 90)) / 100).quantize(Decimal("0.01")),
        expected_close_date=(now + timedelta(days=rng.randrange(-30, 330))).date(),
        source=rng.choice(Source.values),
        stage=STAGE_ORDER[stage],
        furthest_stage_index=furthest,
        stage_entered_at=entered,
        outcome=outcome,
        closed_at=min(closed_at, now) if closed_at else None,
        lost_reason="Budget" if outcome == Outcome.LOST else "",
        conviction_problem_acknowledged=furthest >= 3,
        conviction_we_are_the_ones=furthest >= 3,
        position=position,
        created_at=created,
    )


def seed(
    *, open_deals: int, stage_changes: int, on_progress: Callable[[int], None] | None = None
) -> PipelineSeed:
    """Insert the deals and their stage changes, unless the database already holds them."""
    started = time.perf_counter()
    closed_deals = open_deals // CLOSED_SHARE
    if _is_seeded(open_deals, closed_deals, stage_changes):
        return PipelineSeed(open_deals, closed_deals, stage_changes, True, 0.0)
    _clear()
    rng = random.Random(SEED)
    now = timezone.now()
    owners = list(User.objects.filter(is_active=True).values_list("pk", flat=True))
    companies = list(Company.objects.values_list("pk", flat=True)[:50_000])
    total = open_deals + closed_deals
    for begin in range(0, total, BATCH):
        with transaction.atomic():
            Deal.objects.bulk_create(
                [
                    _deal(
                        rng,
                        now,
                        owners=owners,
                        companies=companies,
                        outcome=Outcome.OPEN
                        if n < open_deals
                        else rng.choice([Outcome.WON, Outcome.LOST]),
                        position=n,
                    )
                    for n in range(begin, min(begin + BATCH, total))
                ],
                batch_size=BATCH,
            )
        if on_progress:
            on_progress(min(BATCH, total - begin))
    _insert_moves(rng, now, stage_changes, on_progress)
    return PipelineSeed(
        open_deals, closed_deals, stage_changes, False, time.perf_counter() - started
    )


def _insert_moves(rng: random.Random, now, count: int, on_progress) -> None:
    deal_ids = list(Deal.all_objects.order_by("pk").values_list("pk", flat=True))
    table = StageMove._meta.db_table
    sql = (
        f"INSERT INTO {table} (deal_id, from_stage, to_stage, moved_by_id, moved_at, note, "
        "override_reason, is_backward) VALUES (%s, %s, %s, NULL, %s, '', '', %s)"
    )
    written = 0
    while written < count:
        rows = []
        for _ in range(min(BATCH * 4, count - written)):
            a, b = rng.sample(range(5), 2)
            rows.append(
                (
                    rng.choice(deal_ids),
                    STAGE_ORDER[a],
                    STAGE_ORDER[b],
                    now - timedelta(minutes=rng.randrange(1_000_000)),
                    b < a,
                )
            )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        written += len(rows)
        if on_progress:
            on_progress(len(rows))
    # As every writer of moves in bulk does: each move's time in the stage it left.
    stage_move_times_fill()


def _time_function(name: str, call: Callable[[], object], runs: int, warmups: int):
    """Time a selector on its own, as the CLI and the API call it."""
    for _ in range(warmups):
        call()
    timings, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            timings.append((time.perf_counter() - started) * 1000)
        queries = max(queries, len(captured))
    return measuring.Measurement(
        name=name,
        example_url="(function call)",
        median_ms=round(statistics.median(timings), 1),
        p95_ms=round(sorted(timings)[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))], 1),
        queries=queries,
        status=200,
    )


def scenarios() -> list[measuring.Scenario]:
    return [
        measuring.Scenario("Pipeline board", lambda n: "/pipeline/"),
        measuring.Scenario("Forecast page", lambda n: "/pipeline/forecast/"),
        measuring.Scenario("Long maybes page", lambda n: "/pipeline/long-maybes/"),
        measuring.Scenario(
            "API stages (with learned chances)", lambda n: "/api/v1/stages", api=True
        ),
        measuring.Scenario("API forecast", lambda n: "/api/v1/forecast", api=True),
    ]


def measure(*, owner: User, runs: int, warmups: int) -> list[measuring.Measurement]:
    results = measuring.measure(owner=owner, items=scenarios(), runs=runs, warmups=warmups)
    results += [
        _time_function("Board selector", lambda: deal_board(user=owner), runs, warmups),
        _time_function("Forecast selector", lambda: forecast_by_month(user=owner), runs, warmups),
        _time_function("Learned probabilities", learned_chances, runs, warmups),
    ]
    return results


def run(*, console, owner: User, runs: int, warmups: int, open_deals: int, stage_changes: int):
    """Seed, measure, print a table; return the figures for results.json."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    total = open_deals + open_deals // CLOSED_SHARE + stage_changes
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("Inserting deals and stage changes", total=total)
        seeded = seed(
            open_deals=open_deals,
            stage_changes=stage_changes,
            on_progress=lambda rows: progress.advance(task, rows),
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    how = "reused" if seeded.reused else f"seeded in {seeded.seconds:.1f} s"
    console.print(
        f"Pipeline: {seeded.open_deals:,} open deals, {seeded.closed_deals:,} closed deals, "
        f"{seeded.stage_changes:,} stage changes ({how})."
    )
    results = measure(owner=owner, runs=runs, warmups=warmups)
    console.print(measuring.results_table(f"{connection.vendor}: pipeline", results))
    return {
        "open_deals": seeded.open_deals,
        "closed_deals": seeded.closed_deals,
        "stage_changes": seeded.stage_changes,
        "seeding_seconds": None if seeded.reused else round(seeded.seconds, 1),
        "results": measuring.as_dicts(results),
    }
