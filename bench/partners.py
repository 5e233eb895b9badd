"""The partners part of `make bench`: 2,000 partners (the first seeded companies), each with
a few definition lines, and 100,000 referrals both ways; then the partner list (first page,
sorted by referrals, searched), a partner page and the refer-to-a-partner page with its
suggestions, timed with their query counts.

Target (issue 15): under 50 ms median on SQLite with a fixed number of queries. Rows go in
with bulk inserts and without change history: the benchmark measures reads.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from attract.accounts.models import User
from attract.partners import partner_figures
from attract.partners.budgets import budget_range
from attract.partners.figures import recount_all
from attract.partners.models import (
    DefinitionLine,
    Initiative,
    InitiativePerson,
    Partner,
    Referral,
    Topic,
)
from attract.people.models import Company, Person
from attract.pipeline.models import Deal
from bench import measuring

SEED = 20261207
LINES = [("industry", "Retail"), ("industry", "Dental"), ("place", "Lyon"), ("size", "2–10"),
         ("quality", "Pays on time"), ("budget", "Under 5,000")]  # fmt: skip


def _budget(kind: str, text: str) -> dict:
    if kind != "budget":
        return {}
    low, high = budget_range(text)
    return {"budget_min": low, "budget_max": high}


def seed(*, partners: int, referrals: int) -> None:
    if Partner.all_objects.count() == partners and Referral.objects.count() == referrals:
        return
    Referral.objects.all()._raw_delete(Referral.objects.db)
    DefinitionLine.objects.all()._raw_delete(DefinitionLine.objects.db)
    Partner.all_objects.all()._raw_delete(Partner.objects.db)
    rng = random.Random(SEED)
    now = timezone.now()
    companies = list(Company.objects.order_by("pk").values_list("pk", flat=True)[:partners])
    with transaction.atomic():
        Partner.objects.bulk_create(
            [Partner(company_id=pk, created_at=now, confidence_ethics=rng.randint(1, 5))
             for pk in companies],
            batch_size=2_000,
        )  # fmt: skip
        ids = list(Partner.objects.order_by("pk").values_list("pk", flat=True))
        DefinitionLine.objects.bulk_create(
            [DefinitionLine(partner_id=pk, kind=kind, text=text, created_at=now,
                            **_budget(kind, text))
             for pk in ids for kind, text in rng.sample(LINES, 3)],
            batch_size=5_000,
        )  # fmt: skip
        persons = list(Person.objects.order_by("pk").values_list("pk", flat=True)[:20_000])
        deals = list(Deal.objects.order_by("pk").values_list("pk", flat=True)[:20_000])
        today = timezone.localdate()
        rows = []
        for n in range(referrals):
            on_deal = deals and n % 2 == 0
            rows.append(
                Referral(
                    partner_id=rng.choice(ids),
                    direction="out" if n % 3 else "in",
                    deal_id=rng.choice(deals) if on_deal else None,
                    person_id=None if on_deal else rng.choice(persons),
                    referred_on=today - timedelta(days=rng.randint(0, 700)),
                    value=Decimal(rng.randint(0, 20_000)),
                    created_at=now,
                )
            )
        Referral.objects.bulk_create(rows, batch_size=5_000)
    # Bulk inserts bypass the receivers that keep each partner's referral figures.
    partner_figures.recount_all()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


KINDS = [("seminar", "co_organiser"), ("host_beneficiary", "host"),
         ("host_beneficiary", "beneficiary"), ("feature", "featured"),
         ("client_meeting", "co_organiser")]  # fmt: skip


def seed_initiatives(count: int) -> None:
    """`count` joint initiatives with one or two partners each, 50 topics, and one person
    brought in for each of the first 20,000 (a person comes through one initiative only)."""
    if Initiative.all_objects.count() == count:
        return
    InitiativePerson.objects.all()._raw_delete(InitiativePerson.objects.db)
    Initiative.partners.through.objects.all()._raw_delete(Initiative.objects.db)
    Initiative.all_objects.all()._raw_delete(Initiative.objects.db)
    Topic.all_objects.all()._raw_delete(Topic.objects.db)
    rng = random.Random(SEED + 1)
    now = timezone.now()
    today = timezone.localdate()
    partner_ids = list(Partner.objects.order_by("pk").values_list("pk", flat=True))
    persons = list(Person.objects.order_by("pk").values_list("pk", flat=True)[:20_000])
    if not partner_ids:
        return
    with transaction.atomic():
        Topic.objects.bulk_create([Topic(name=f"Topic {n}", created_at=now) for n in range(50)])
        topics = list(Topic.objects.values_list("pk", flat=True))
        rows = []
        for n in range(count):
            kind, role = KINDS[n % len(KINDS)]
            rows.append(
                Initiative(
                    kind=kind, our_role=role, title=f"Initiative {n}", topic_id=rng.choice(topics),
                    held_on=today - timedelta(days=rng.randint(0, 700)),
                    audience=rng.randint(5, 2_000), created_at=now,
                )
            )  # fmt: skip
        Initiative.objects.bulk_create(rows, batch_size=5_000)
        ids = list(Initiative.objects.order_by("pk").values_list("pk", flat=True))
        through = Initiative.partners.through
        links = []
        for pk in ids:
            for partner in rng.sample(partner_ids, min(len(partner_ids), rng.choice([1, 1, 2]))):
                links.append(through(initiative_id=pk, partner_id=partner))
        through.objects.bulk_create(links, batch_size=5_000)
        InitiativePerson.objects.bulk_create(
            [InitiativePerson(initiative_id=pk, person_id=person, created_at=now)
             for pk, person in zip(ids, persons, strict=False)],
            batch_size=5_000,
        )  # fmt: skip
    # Bulk inserts bypass the receivers that keep what each initiative brought: count it, as
    # `attract initiatives recount` does after an import.
    recount_all()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def run(
    *,
    console,
    owner: User,
    runs: int,
    warmups: int,
    partners: int,
    referrals: int,
    initiatives: int = 20_000,
) -> dict:
    seed(partners=partners, referrals=referrals)
    seed_initiatives(initiatives)
    sample = list(Partner.objects.order_by("pk").values_list("pk", flat=True)[::40]) or [0]
    deals = list(
        Deal.objects.filter(company__isnull=False).order_by("pk").values_list("pk", flat=True)[:50]
    )
    word = (Company.objects.order_by("pk").values_list("name", flat=True).first() or "a")[:4]
    items = [
        measuring.Scenario("Partner list, first page", lambda n: "/partners/"),
        measuring.Scenario("Partner list by referrals in", lambda n: "/partners/?sort=referred_in"),
        measuring.Scenario(f"Partner list, search “{word}”", lambda n: f"/partners/?q={word}"),
        measuring.Scenario("Partner page", lambda n: f"/partners/{sample[n % len(sample)]}/"),
        measuring.Scenario("API partner list", lambda n: "/api/v1/partners", api=True),
        measuring.Scenario(
            "Initiatives, ranked by what they brought", lambda n: "/partners/initiatives/"
        ),
        measuring.Scenario("Initiatives by date", lambda n: "/partners/initiatives/?sort=date"),
        measuring.Scenario("API initiatives, ranked", lambda n: "/api/v1/initiatives", api=True),
    ]
    if deals:
        items.insert(4, measuring.Scenario(
            "Refer a deal: suggestions", lambda n: f"/partners/refer/deal/{deals[n % len(deals)]}/"
        ))  # fmt: skip
    else:
        print("Refer a deal: not timed, the database holds no deal yet (run the pipeline section).")
    results = measuring.measure(owner=owner, items=items, runs=runs, warmups=warmups)
    rows = {
        "partners": Partner.objects.count(),
        "referrals": Referral.objects.count(),
        "initiatives": Initiative.objects.count(),
    }
    sizes = ", ".join(f"{count:,} {name}" for name, count in rows.items())
    console.print(
        measuring.results_table(f"{connection.vendor}: partners, {sizes} (target < 50 ms)", results)
    )
    return {"rows": rows, "results": measuring.as_dicts(results)}
