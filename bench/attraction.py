"""The attraction plan's part of `make bench`: 100,000 companies assessed against 20
qualities (2,000,000 assessments), then the company lists sorted by fit and a company's fit
through the API, timed with their query counts.

The seeded base has 20,000 companies (issue 2's size, which the other sections measure at),
so this section adds its own extra companies up to 100,000 for its measurements and removes
them afterwards: copies of the seeded ones (name, owner, relationship, ...) marked by their
creator, an inactive user of their own (EXTRAS_CREATOR). A run stopped inside the section
leaves them behind; the next run removes them before it seeds (see `extra_companies_remove`).

Everything is written with set-based SQL and without change history: the benchmark measures
reads. An answer comes from a hash of the company's and the quality's ids, so the same rows
get the same answers on SQLite and PostgreSQL. The base's assessments are kept and reused
while the qualities and companies stay the same; the extras' are written on every run. Then
the stored fit scores of all the companies are computed the way `attract plan refit` does
(timed and reported: it is about what a change of a quality's weight costs at this size).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from attract.accounts.models import Role, User
from attract.attraction.models import Answer, Assessment, FitScore, Quality
from attract.attraction.services import fit_scores_rebuild, plan_get
from attract.people.models import Company
from bench import measuring, seeding
from bench.seeding import BENCH_OWNER

QUALITIES = 20
COMPANIES = 100_000
EXTRAS_CREATOR = "bench-fit-companies@example.com"
# The answer of (company, quality): a square modulo a prime of a mix of both ids, then one
# of five buckets; yes twice as often as the others. (%% is "%" in SQL sent with parameters.)
_MIX = "((c.id * 7919 + q.id * 104729 + 20260505) %% 1000003)"
_BUCKET = f"(({_MIX} * {_MIX}) %% 1000003) %% 5"
ANSWER_BUCKETS = [Answer.YES, Answer.YES, Answer.PARTLY, Answer.NO, Answer.UNKNOWN]


@dataclass
class AttractionSeed:
    companies: int
    assessments: int
    reused: bool
    seconds: float
    refit_seconds: float = 0.0


@dataclass
class Extras:
    companies: int
    assessments: int
    seconds: float
    refit_seconds: float = 0.0  # of every company's stored fit, extras included


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _extras_creator() -> User:
    return User.objects.filter(email=EXTRAS_CREATOR).first() or User.objects.create_user(
        EXTRAS_CREATOR,
        None,
        full_name="Bench: attraction's extra companies",
        role=Role.MEMBER,
        is_active=False,
    )


def _extras_creator_id() -> int | None:
    return User.objects.filter(email=EXTRAS_CREATOR).values_list("pk", flat=True).first()


def _not_extra(creator_id: int | None) -> tuple[str, tuple]:
    """An SQL condition on `c` (and its parameters): a seeded company, not an extra one."""
    if creator_id is None:
        return "1 = 1", ()
    return "(c.created_by_id IS NULL OR c.created_by_id <> %s)", (creator_id,)


def _assess(cursor, *, condition: str, params: tuple) -> int:
    """Assess the live companies that meet `condition` (on `c`) against every active quality,
    in one INSERT … SELECT; returns the rows written."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    cases = " ".join(f"WHEN {n} THEN %s" for n in range(len(ANSWER_BUCKETS)))
    cursor.execute(
        f"INSERT INTO {_quote(Assessment._meta.db_table)}"  # noqa: S608
        " (created_at, updated_at, company_id, quality_id, answer)"
        f" SELECT %s, %s, c.id, q.id, CASE {_BUCKET} {cases} END"
        f" FROM {_quote(Company._meta.db_table)} c CROSS JOIN {_quote(Quality._meta.db_table)} q"
        f" WHERE q.removed_at IS NULL AND c.deleted_at IS NULL AND {condition}",
        (now, now, *(a.value for a in ANSWER_BUCKETS), *params),
    )
    return cursor.rowcount


def seed(*, qualities: int = QUALITIES) -> AttractionSeed:
    """Assess every seeded company against every quality, unless the database already holds
    that. Run it without the extra companies (`extra_companies_remove`)."""
    started = time.perf_counter()
    creator = _extras_creator_id()
    seeded = Company.objects.exclude(created_by_id=creator) if creator else Company.objects
    companies = seeded.count()
    expected = companies * qualities
    active = Quality.objects.filter(removed_at__isnull=True).count()
    if active == qualities and Assessment.objects.count() == expected:
        if FitScore.objects.filter(company__isnull=False).count() != companies:
            # Seeded before fit scores were stored (or they drifted): compute them once.
            refit_started = time.perf_counter()
            fit_scores_rebuild()
            return AttractionSeed(
                companies, expected, True, 0.0, time.perf_counter() - refit_started
            )
        return AttractionSeed(companies, expected, True, 0.0)
    with transaction.atomic():
        FitScore.objects.all()._raw_delete(FitScore.objects.db)
        Assessment.objects.all()._raw_delete(Assessment.objects.db)
        Quality.objects.all()._raw_delete(Quality.objects.db)
        plan = plan_get()
        for n in range(qualities):
            Quality.objects.create(plan=plan, text=f"Bench quality {n + 1}", weight=1 + n % 5)
        with connection.cursor() as cursor:
            condition, params = _not_extra(creator)
            written = _assess(cursor, condition=condition, params=params)
    refit_started = time.perf_counter()
    fit_scores_rebuild()
    refit_seconds = time.perf_counter() - refit_started
    return AttractionSeed(companies, written, False, time.perf_counter() - started, refit_seconds)


def extra_companies_add(*, total: int = COMPANIES) -> Extras:
    """Copy the seeded companies until `total` are alive, assess the copies against every
    active quality and store everyone's fit again. Nothing is added when there are enough
    already."""
    started = time.perf_counter()
    creator = _extras_creator()
    base = Company.objects.exclude(created_by=creator).count()
    missing = total - Company.objects.count()
    if missing <= 0 or base == 0:
        return Extras(0, 0, 0.0)
    fields = [f for f in Company._meta.concrete_fields if not f.primary_key]
    marked = {"created_by_id", "updated_by_id"}
    columns = ", ".join(_quote(f.column) for f in fields)
    values = ", ".join("%s" if f.column in marked else f"c.{_quote(f.column)}" for f in fields)
    table = _quote(Company._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns})"  # noqa: S608
            " WITH RECURSIVE copies(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM copies"
            " WHERE n < %s)"
            f" SELECT {values} FROM {table} c CROSS JOIN copies"
            f" WHERE c.deleted_at IS NULL AND {_not_extra(creator.pk)[0]}"
            " ORDER BY copies.n, c.id LIMIT %s",
            (
                -(-missing // base),
                *(creator.pk for f in fields if f.column in marked),
                creator.pk,
                missing,
            ),
        )
        assessments = _assess(cursor, condition="c.created_by_id = %s", params=(creator.pk,))
    refit_started = time.perf_counter()
    fit_scores_rebuild()
    now = time.perf_counter()
    return Extras(missing, assessments, now - started, now - refit_started)


def extra_companies_remove() -> int:
    """Delete the extra companies with their assessments and fit scores, with plain deletes
    (no history: they never had any). Returns how many companies went. Only in the
    benchmark's own database, recognised by its owner's account."""
    creator = _extras_creator_id()
    if creator is None or not User.objects.filter(email=BENCH_OWNER).exists():
        return 0
    extras = Company.all_objects.filter(created_by_id=creator)
    with transaction.atomic():
        for model in (FitScore, Assessment):
            model.objects.filter(company__in=extras)._raw_delete(connection.alias)
        removed = extras._raw_delete(connection.alias)
    return removed


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
        measuring.Scenario(
            "API companies sorted by fit", lambda n: "/api/v1/companies?sort=fit", api=True
        ),
        measuring.Scenario("Company page with fit card", lambda n: f"/companies/{first}/"),
        measuring.Scenario(
            "API fit of a company", lambda n: f"/api/v1/companies/{first}/fit", api=True
        ),
    ]


def run(*, console, owner: User, runs: int, warmups: int, companies: int = COMPANIES) -> dict:
    """Seed, add the extra companies, measure, print a table, remove the extras; return the
    figures for results.json."""
    extra_companies_remove()  # left behind by a run that stopped inside this section
    with console.status("Assessing every company against the plan"):
        seeded = seed()
    how = "reused" if seeded.reused else f"seeded in {seeded.seconds:.1f} s"
    console.print(
        f"Attraction: {seeded.companies:,} seeded companies × {QUALITIES} qualities = "
        f"{seeded.assessments:,} assessments ({how})."
    )
    if seeded.refit_seconds:
        console.print(
            f"Stored fit scores of the seeded companies computed in {seeded.refit_seconds:.1f} s."
        )
    try:
        with console.status(f"Adding companies up to {companies:,}"):
            extras = extra_companies_add(total=companies)
        alive = Company.objects.count()
        if extras.companies:
            console.print(
                f"Attraction: added {extras.companies:,} companies (copies of the seeded ones) "
                f"and their {extras.assessments:,} assessments and fit scores in "
                f"{extras.seconds:.1f} s: {alive:,} companies, "
                f"{Assessment.objects.count():,} assessments. Stored fit scores of all "
                f"{alive:,} computed in {extras.refit_seconds:.1f} s (about what a change of a "
                "quality's weight costs)."
            )
        seeding.analyze_tables()
        results = measuring.measure(owner=owner, items=scenarios(), runs=runs, warmups=warmups)
    finally:
        removing = time.perf_counter()
        removed = extra_companies_remove()
        seeding.analyze_tables(Company, Assessment, FitScore, vacuum=True)  # for what comes after
        removal_seconds = time.perf_counter() - removing
    console.print(measuring.results_table(f"{connection.vendor}: attraction", results))
    if removed:
        console.print(
            f"Attraction: removed its {removed:,} extra companies again in {removal_seconds:.1f} s."
        )
    return {
        "companies": alive,
        "seeded_companies": seeded.companies,
        "extra_companies": extras.companies,
        "assessments": seeded.assessments + extras.assessments,
        "seeding_seconds": None if seeded.reused else round(seeded.seconds, 1),
        "extras_seconds": round(extras.seconds, 1),
        "extras_removal_seconds": round(removal_seconds, 1),
        "refit_seconds": round(extras.refit_seconds or seeded.refit_seconds, 1) or None,
        "results": measuring.as_dicts(results),
    }
