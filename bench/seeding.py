"""The benchmark's data: a team and many companies and persons, inserted in bulk once and
reused while the size stays the same."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management import call_command
from django.db import connection

from attract.accounts.models import Role, User
from attract.people.demo_insert import people_demo_insert
from attract.people.demo_rows import people_demo_rows
from attract.people.models import Company, Person

BENCH_OWNER = "bench-owner@example.com"
BENCH_TEAM = ["bench-member-1@example.com", "bench-member-2@example.com"]
SEED = 20260101


class ForeignDataError(Exception):
    """The benchmark database holds records the benchmark did not make; it will not touch them."""


@dataclass
class SeedResult:
    owner: User
    reused: bool
    seconds: float


def _team() -> list[User]:
    owner = User.objects.filter(email=BENCH_OWNER).first() or User.objects.create_user(
        BENCH_OWNER, None, full_name="Bench Owner", role=Role.OWNER
    )
    members = [
        User.objects.filter(email=email).first()
        or User.objects.create_user(email, None, full_name=f"Bench Member {n}", role=Role.MEMBER)
        for n, email in enumerate(BENCH_TEAM, start=1)
    ]
    return [owner, *members]


def is_seeded(*, persons: int, companies: int) -> bool:
    return (
        User.objects.filter(email=BENCH_OWNER).exists()
        and Person.all_objects.count() == persons
        and Company.all_objects.count() == companies
    )


def seed(
    *,
    persons: int,
    companies: int,
    on_start: Callable[[int], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> SeedResult:
    """Fill the database with this many rows, unless it already holds exactly that."""
    started = time.perf_counter()
    if is_seeded(persons=persons, companies=companies):
        owner = User.objects.get(email=BENCH_OWNER)
        return SeedResult(owner=owner, reused=True, seconds=time.perf_counter() - started)
    if User.objects.filter(email=BENCH_OWNER).exists():
        call_command("flush", interactive=False, verbosity=0)  # a benchmark of another size
    elif User.objects.exists() or Person.all_objects.exists() or Company.all_objects.exists():
        # Never empty a database the benchmark did not fill: ATTRACT_DATABASE_URL may point
        # at real data by mistake.
        raise ForeignDataError(
            "This database holds data the benchmark did not make; give the benchmark its own "
            "database (e.g. …/attract_bench)."
        )
    team = _team()
    company_rows, person_rows = people_demo_rows(
        seed=SEED, companies=companies, persons=persons, owner_count=len(team)
    )
    if on_start:
        on_start(companies + persons)
    people_demo_insert(
        actor=team[0],
        owners=team,
        companies=company_rows,
        persons=person_rows,
        on_progress=on_progress,
    )
    return SeedResult(owner=team[0], reused=False, seconds=time.perf_counter() - started)


def analyze_tables(*models, vacuum: bool = False) -> None:
    """PostgreSQL's planner statistics, of these tables or of every one; with `vacuum`, their
    deleted rows' space made reusable too. Autovacuum may be off or late (it is off on some
    test servers): without this, every run of the attraction section left 1,600,000 dead
    assessments and 80,000 dead companies behind, and the lists sorted by fit grew slower run
    after run; the import's clean-up leaves 70,000 dead persons. VACUUM cannot run inside a
    transaction (the tests'), where only ANALYZE runs."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
    command = "VACUUM ANALYZE" if vacuum and not connection.in_atomic_block else "ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(f"{command} {tables}")
