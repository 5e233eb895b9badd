"""The care part of `make bench`: 100,000 customers in care (the seeded companies, then
persons without a company's care), 1,000,000 care steps and 200,000 promises; then the Care
page (the at-risk list, first and a later page), a customer's page (a company at risk) and
Today, timed with their query counts, and the nightly signal refresh per 1,000 customers.

Target (issue 16): under 50 ms median on SQLite with a fixed number of queries. Rows go in
with bulk inserts and without change history: the benchmark measures reads.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from attract.accounts.models import User
from attract.aftercare.care_signal import care_signal_refresh
from attract.aftercare.models import CarePlan, CarePlanStep, CareStep, CustomerCare, Promise
from attract.people.models import Company, Person
from bench import measuring

SEED = 20261216
STEPS = [("Welcome call", 1, 0), ("Did we meet what you expected?", 14, 0), ("Review", 90, 0),
         ("Quarterly check-in", 0, 3), ("Anniversary", 0, 12)]  # fmt: skip


def _clear() -> None:
    for model in (Promise, CareStep, CustomerCare, CarePlanStep):
        model.objects.all()._raw_delete(model.objects.db)
    CarePlan.all_objects.all()._raw_delete(CarePlan.objects.db)


def seed(*, customers: int, steps: int, promises: int, owner: User) -> bool:
    """Returns True when the rows were already there (same sizes)."""
    if (
        CustomerCare.objects.count() == customers
        and CareStep.objects.count() == steps
        and Promise.objects.count() == promises
    ):
        from attract.aftercare.models import KeptFigure
        from attract.aftercare.promise_services import kept_figures_recount

        if not KeptFigure.objects.exists():  # seeded before the figures were stored
            kept_figures_recount()
        return True
    _clear()
    rng = random.Random(SEED)
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        plan = CarePlan.objects.create(name="Every customer", rhythm_days=90, created_at=now)
        plan_steps = CarePlanStep.objects.bulk_create(
            [CarePlanStep(plan=plan, title=t, day=d, repeat_months=r, created_at=now)
             for t, d, r in STEPS]
        )  # fmt: skip
        companies = list(Company.objects.order_by("pk").values_list("pk", flat=True)[:customers])
        persons = list(
            Person.objects.filter(company__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)[: max(0, customers - len(companies))]
        )
        if len(persons) < customers - len(companies):  # persons at a company count too
            persons = list(
                Person.objects.order_by("pk").values_list("pk", flat=True)[
                    : customers - len(companies)
                ]
            )
        rows = []
        for n, (field, pk) in enumerate(
            [("company_id", pk) for pk in companies] + [("person_id", pk) for pk in persons]
        ):
            at_risk = n % 7 == 0
            rows.append(
                CustomerCare(
                    **{field: pk}, plan=plan, owner=owner,
                    started_on=today - timedelta(days=rng.randint(1, 700)),
                    profit=Decimal(rng.randint(0, 50_000)),
                    days_untouched=rng.randint(100, 400) if at_risk else rng.randint(0, 80),
                    broken_promises=1 if at_risk and n % 2 else 0,
                    missed_steps=rng.randint(0, 3) if at_risk else 0,
                    risk=rng.randint(2, 9) if at_risk else 0,
                    signal_at=now,
                )
            )  # fmt: skip
        CustomerCare.objects.bulk_create(rows, batch_size=5_000)
        care_ids = list(CustomerCare.objects.order_by("pk").values_list("pk", "started_on"))
        per = max(1, steps // max(1, len(care_ids)))
        batch: list[CareStep] = []
        written = 0
        for care_id, started in care_ids:
            for k in range(per):
                if written >= steps:
                    break
                plan_step = plan_steps[k % len(plan_steps)]
                due = started + timedelta(days=30 * k + plan_step.day)
                done = due < today and rng.random() < 0.85
                batch.append(
                    CareStep(
                        care_id=care_id, plan_step=plan_step, occurrence=k, title=plan_step.title,
                        due_on=due, assignee=owner,
                        done_at=now - timedelta(days=(today - due).days) if done else None,
                    )
                )  # fmt: skip
                written += 1
            if len(batch) >= 20_000:
                CareStep.objects.bulk_create(batch, batch_size=5_000)
                batch = []
        CareStep.objects.bulk_create(batch, batch_size=5_000)
        promise_rows = []
        for n in range(promises):
            field, pk = (
                ("company_id", companies[n % len(companies)])
                if companies and n % 2 == 0
                else ("person_id", persons[n % len(persons)] if persons else companies[0])
            )
            due = today - timedelta(days=rng.randint(-30, 400))
            judged = due < today
            actual = Decimal(rng.choice([24, 36, 44, 48, 52, 60]))
            outcome = "open" if not judged else ("kept" if actual <= 48 else "broken")
            promise_rows.append(
                Promise(
                    **{field: pk}, what="Delivery within 48 hours", due_on=due,
                    metric="delivery time", value=Decimal(48), unit="hours",
                    outcome=outcome, actual_value=actual if judged else None,
                    recorded_on=due if judged else None, created_at=now,
                )
            )  # fmt: skip
            if len(promise_rows) >= 20_000:
                Promise.objects.bulk_create(promise_rows, batch_size=5_000)
                promise_rows = []
        Promise.objects.bulk_create(promise_rows, batch_size=5_000)
    from attract.aftercare.promise_services import kept_figures_recount

    kept_figures_recount()  # as the nightly job does after bulk writes
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return False


def scenarios() -> list[measuring.Scenario]:
    at_risk = list(
        CustomerCare.objects.filter(risk__gt=0, company__isnull=False)
        .order_by("-profit")
        .values_list("company_id", flat=True)[:50]
    ) or [0]
    return [
        measuring.Scenario("Care page: at risk, by profit", lambda n: "/care/"),
        measuring.Scenario("Care page: page 20", lambda n: "/care/?page=20"),
        measuring.Scenario(
            "Customer page (company at risk)",
            lambda n: f"/companies/{at_risk[n % len(at_risk)]}/",
        ),
        measuring.Scenario("Today (three most urgent)", lambda n: "/"),
        measuring.Scenario("API at risk", lambda n: "/api/v1/care/at-risk", api=True),
    ]


def run(
    *,
    console,
    owner: User,
    runs: int,
    warmups: int,
    customers: int = 100_000,
    steps: int = 1_000_000,
    promises: int = 200_000,
) -> dict:
    started = time.perf_counter()
    reused = seed(customers=customers, steps=steps, promises=promises, owner=owner)
    seconds = time.perf_counter() - started
    results = measuring.measure(owner=owner, items=scenarios(), runs=runs, warmups=warmups)
    sample = list(CustomerCare.objects.order_by("pk").values_list("pk", flat=True)[:1000])
    wall, cpu = time.perf_counter(), time.process_time()
    care_signal_refresh(care_ids=sample)
    refresh = {
        "customers": len(sample),
        "wall_ms": round((time.perf_counter() - wall) * 1000),
        "cpu_ms": round((time.process_time() - cpu) * 1000),
    }
    rows = {
        "customers in care": CustomerCare.objects.count(),
        "care steps": CareStep.objects.count(),
        "promises": Promise.objects.count(),
    }
    sizes = ", ".join(f"{count:,} {name}" for name, count in rows.items())
    console.print(
        measuring.results_table(f"{connection.vendor}: care, {sizes} (target < 50 ms)", results)
    )
    console.print(
        f"Seeding {'reused' if reused else f'{seconds:.1f} s'}; care signal refresh of "
        f"{refresh['customers']:,} customers: {refresh['wall_ms']} ms wall, "
        f"{refresh['cpu_ms']} ms CPU."
    )
    return {"rows": rows, "results": measuring.as_dicts(results), "signal_refresh": refresh}
