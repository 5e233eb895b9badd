"""The engagement part of `make bench`: 1,000,000 interactions over the pipeline's 100,000
open deals (a realistic mix of directions, reply delays, waiting messages), then the Get honest
review page and the Today page timed with their query counts.

Rows go in with raw bulk inserts and without change history: the benchmark measures reads.
"""

from __future__ import annotations

import io
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from attract.accounts.models import User
from attract.engagement.models import Channel, Direction, Interaction
from attract.pipeline.models import Deal, Outcome
from bench import measuring

SEED = 20261123
BATCH = 20_000
DIRECTIONS = [
    Direction.WE_REACHED_OUT, Direction.WE_REACHED_OUT, Direction.WE_REPLIED,
    Direction.THEY_REPLIED, Direction.THEY_REACHED_OUT,
]  # fmt: skip


@dataclass
class EngagementSeed:
    interactions: int
    deals: int
    reused: bool
    seconds: float


def seed(*, interactions: int, on_progress: Callable[[int], None] | None = None) -> EngagementSeed:
    """Insert the interactions over the open deals, unless the database already holds them."""
    started = time.perf_counter()
    deals = list(
        Deal.objects.filter(outcome=Outcome.OPEN)
        .order_by("pk")
        .values_list("pk", "owner_id", "company_id", "contact_id")
    )
    if Interaction.objects.count() == interactions:
        return EngagementSeed(interactions, len(deals), True, 0.0)
    Interaction.objects.all()._raw_delete(Interaction.objects.db)
    rng = random.Random(SEED)
    now = timezone.now()
    table = Interaction._meta.db_table
    sql = (
        f"INSERT INTO {table} (created_at, updated_at, created_by_id, updated_by_id, channel, "
        "direction, person_id, company_id, deal_id, occurred_at, summary, outcome, needs_reply, "
        "answered_at, answered_by_id, reply_after) VALUES "
        "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, '', %s, %s, %s, %s)"
    )
    channels = Channel.values
    written = 0
    while written < interactions:
        rows = []
        for _ in range(min(BATCH, interactions - written)):
            pk, owner_id, company_id, contact_id = rng.choice(deals)
            when = now - timedelta(minutes=rng.randrange(1, 180 * 24 * 60))
            direction = rng.choice(DIRECTIONS)
            reply_after = None
            if direction == Direction.THEY_REPLIED:
                reply_after = timedelta(hours=rng.choice([2, 20, 47, 49, 100, 200]))
            needs_reply = direction == Direction.THEY_REACHED_OUT
            answered = needs_reply and rng.random() < 0.97
            answered_at = when + timedelta(hours=rng.randrange(1, 30)) if answered else None
            if answered_at and answered_at > now:
                answered_at = now
            reply = reply_after
            if reply is not None and connection.vendor == "sqlite":
                reply = int(reply.total_seconds() * 1_000_000)
            rows.append((
                when, when, owner_id, owner_id, rng.choice(channels), direction,
                contact_id, company_id, pk, when, "Bench interaction", needs_reply,
                answered_at, owner_id if answered else None, reply,
            ))  # fmt: skip
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        written += len(rows)
        if on_progress:
            on_progress(len(rows))
    return EngagementSeed(interactions, len(deals), False, time.perf_counter() - started)


def forget_interactions() -> None:
    """After the deals were inserted again: the interactions named the old ones."""
    Interaction.all_objects.all()._raw_delete(Interaction.objects.db)


def refresh() -> None:
    """What `attract engagement_refresh` does, after rows were written without the services."""
    call_command("engagement_refresh", stdout=io.StringIO())


def scenarios() -> list[measuring.Scenario]:
    return [
        measuring.Scenario("Get honest review page", lambda n: "/engagement/review/"),
        measuring.Scenario("Today page", lambda n: "/"),
        measuring.Scenario("API push/pull verdicts", lambda n: "/api/v1/push-pull", api=True),
        measuring.Scenario("Awaiting reply page", lambda n: "/engagement/awaiting-reply/"),
        measuring.Scenario(
            "API awaiting reply", lambda n: "/api/v1/interactions/awaiting-reply", api=True
        ),
        measuring.Scenario("API response times", lambda n: "/api/v1/response-times", api=True),
    ]


def seed_and_refresh(*, console, interactions: int) -> tuple[EngagementSeed, float]:
    """The interactions and what the pages store of them: done before any page is timed (the
    board, the review and Today read them), once per run."""
    with console.status("Inserting interactions"):
        seeded = seed(interactions=interactions)
    # Raw inserts send no signals: what the pages store is counted once, set-based, as
    # `attract engagement_refresh` does after a bulk import.
    with console.status("Counting the stored signals, weeks, goal days and response times"):
        started = time.perf_counter()
        refresh()
        refresh_seconds = time.perf_counter() - started
    return seeded, refresh_seconds


_seeded: tuple[EngagementSeed, float] | None = None


def run(*, console, owner: User, runs: int, warmups: int, interactions: int) -> dict:
    """Seed (unless done before the first page was timed), measure, print a table; return the
    figures for results.json."""
    global _seeded
    if _seeded is None or _seeded[0].interactions != interactions:
        _seeded = seed_and_refresh(console=console, interactions=interactions)
    seeded, refresh_seconds = _seeded
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    how = "reused" if seeded.reused else f"seeded in {seeded.seconds:.1f} s"
    console.print(
        f"Engagement: {seeded.interactions:,} interactions over {seeded.deals:,} open deals ({how});"
        f" stored signals, weeks and goal days counted in {refresh_seconds:.1f} s."
    )
    results = measuring.measure(owner=owner, items=scenarios(), runs=runs, warmups=warmups)
    console.print(measuring.results_table(f"{connection.vendor}: engagement", results))
    return {
        "interactions": seeded.interactions,
        "open_deals": seeded.deals,
        "seeding_seconds": None if seeded.reused else round(seeded.seconds, 1),
        "refresh_seconds": round(refresh_seconds, 1),
        "results": measuring.as_dicts(results),
    }
