"""The departures part of `make bench`: 100,000 customers of its own with 300,000 won deals
between them (one to six each, over four years) and 30,000 departures (reasons in a realistic
mix, a third answered by the customer); then "why ours leave" with its chart, the repeat-
purchase page, a departed customer's page and the API's figures, timed with their queries.

Target (issue 17): under 50 ms median on SQLite with a fixed number of queries. The rows go
in with bulk inserts and without change history (the benchmark measures reads), made by an
inactive account of their own, and are removed at the end so the other sections keep their
sizes.
"""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta
from datetime import time as clock
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from attract.accounts.models import User
from attract.aftercare.models import Departure, PurchaseSummary
from attract.aftercare.purchase_summary import recount_all
from attract.people.models import Company, Relationship
from attract.pipeline.models import Deal, Outcome, Stage
from bench import measuring, seeding

SEED = 20261217
CREATOR = "bench-departures@example.com"
REASONS = (["indifference"] * 50 + ["product_price"] * 18 + ["competitor"] * 12
           + ["friend"] * 7 + ["moved"] * 5 + ["death"] + ["other"] * 7)  # fmt: skip


def _creator() -> User:
    return User.objects.filter(email=CREATOR).first() or User.objects.create_user(
        CREATOR, None, full_name="Bench departures", is_active=False
    )


def remove() -> int:
    """The section's rows, gone with plain deletes. Only in the benchmark's database."""
    creator = User.objects.filter(email=CREATOR).values_list("pk", flat=True).first()
    if creator is None or not User.objects.filter(email=seeding.BENCH_OWNER).exists():
        return 0
    companies = Company.all_objects.filter(created_by_id=creator)
    with transaction.atomic():
        Departure.objects.filter(company__in=companies)._raw_delete(connection.alias)
        PurchaseSummary.objects.filter(company__in=companies)._raw_delete(connection.alias)
        Deal.all_objects.filter(company__in=companies)._raw_delete(connection.alias)
        return companies._raw_delete(connection.alias)


def seed(*, owner: User, customers: int, departures: int, won_deals: int) -> float:
    started = time.perf_counter()
    rng = random.Random(SEED)
    creator = _creator()
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        Company.objects.bulk_create(
            [Company(name=f"Bench customer {n}", search_name=f"bench customer {n}",
                     relationship=Relationship.CUSTOMER, owner=owner, created_by=creator,
                     created_at=now) for n in range(customers)],
            batch_size=5_000,
        )  # fmt: skip
        ids = list(
            Company.objects.filter(created_by=creator).order_by("pk").values_list("pk", flat=True)
        )
        # Every customer bought at least once; the rest of the deals go to some of them again.
        buyers = ids + [rng.choice(ids[: len(ids) // 2 or 1]) for _ in range(won_deals - len(ids))]
        first: dict[int, datetime] = {}
        rows = []
        for n, company in enumerate(buyers[:won_deals]):
            day = today - timedelta(days=rng.randint(30, 4 * 365))
            closed = timezone.make_aware(datetime.combine(day, clock(12)))
            revenue = Decimal(rng.randrange(200, 20_000, 50))
            first[company] = min(first.get(company, closed), closed)
            rows.append(Deal(title=f"Order {n}", company_id=company, owner=owner, revenue=revenue,
                             cost=revenue * Decimal("0.6"), stage=Stage.ACTION,
                             outcome=Outcome.WON, closed_at=closed, stage_entered_at=closed,
                             created_at=closed, created_by=creator))  # fmt: skip
        Deal.objects.bulk_create(rows, batch_size=5_000)
        gone = ids[: min(departures, len(ids))]
        leaving = []
        for n, company in enumerate(gone):
            start = timezone.localdate(first[company])
            day = start + timedelta(days=rng.randint(0, max(0, (today - start).days)))
            reason = rng.choice(REASONS)
            answered = n % 3 == 0
            leaving.append(Departure(
                company_id=company, departed_on=day, customer_since=start, reason=reason,
                reason_other="Closed the shop" if reason == "other" else "",
                customer_reason=rng.choice(REASONS[:-7]) if answered else "",
                answered_at=now if answered else None,
                lost_yearly_revenue=Decimal(rng.randrange(0, 30_000)),
                lost_yearly_profit=Decimal(rng.randrange(0, 12_000)),
                created_by=creator, created_at=now,
            ))  # fmt: skip
        Departure.objects.bulk_create(leaving, batch_size=5_000)
        Company.objects.filter(pk__in=gone).update(relationship=Relationship.FORMER_CUSTOMER)
    return time.perf_counter() - started


def recount() -> float:
    """What an import is followed by (`attract purchases recount`): the rows went in past the
    receivers, so every customer's purchase summary is counted."""
    started = time.perf_counter()
    with transaction.atomic():
        recount_all()
    return time.perf_counter() - started


def scenarios() -> list[measuring.Scenario]:
    departed = Departure.objects.order_by("pk").values_list("company_id", "pk").first() or (0, 0)
    return [
        measuring.Scenario("Why ours leave (a year)", lambda n: "/care/departures/"),
        measuring.Scenario(
            "Why ours leave, four years, answers",
            lambda n: "/care/departures/?start=2020-01-01&source=answers&reason=indifference",
        ),
        measuring.Scenario("Who buys again", lambda n: "/care/repeat/"),
        measuring.Scenario("One-time buyers by profit", lambda n: "/care/repeat/?sort=profit"),
        measuring.Scenario("A departed customer's page", lambda n: f"/companies/{departed[0]}/"),
        measuring.Scenario("A departure", lambda n: f"/care/departures/{departed[1]}/"),
        measuring.Scenario(
            "API departures summary", lambda n: "/api/v1/departures/summary", api=True
        ),
        measuring.Scenario("API repeat purchase", lambda n: "/api/v1/repeat-purchase", api=True),
    ]


def run(
    *,
    console,
    owner: User,
    runs: int,
    warmups: int,
    customers: int = 100_000,
    departures: int = 30_000,
    won_deals: int = 300_000,
) -> dict:
    remove()  # left behind by a run that stopped inside this section
    try:
        with console.status(f"Adding {customers:,} customers, {won_deals:,} won deals"):
            seconds = seed(
                owner=owner, customers=customers, departures=departures, won_deals=won_deals
            )
        console.print(
            f"Departures: {customers:,} customers, {won_deals:,} won deals and "
            f"{departures:,} departures added in {seconds:.1f} s."
        )
        with console.status("Counting every customer's purchases (attract purchases recount)"):
            recounted = recount()
        console.print(f"Purchase summaries counted in {recounted:.1f} s.")
        seeding.analyze_tables()
        results = measuring.measure(owner=owner, items=scenarios(), runs=runs, warmups=warmups)
    finally:
        removed = remove()
        seeding.analyze_tables(Company, Deal, Departure, PurchaseSummary, vacuum=True)
    console.print(measuring.results_table(f"{connection.vendor}: departures", results))
    return {
        "customers": customers,
        "departures": departures,
        "won_deals": won_deals,
        "seeding_seconds": round(seconds, 1),
        "recount_seconds": round(recounted, 1),
        "removed_companies": removed,
        "results": measuring.as_dicts(results),
    }
