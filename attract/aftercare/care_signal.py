"""Who feels ignored: each customer's care signal with its evidence, never a black box.

Evidence, each counted from the records themselves: days since our last personal touch
against their plan's rhythm, inbound messages that waited too long for our answer, broken
promises (and open ones past their date), bad experiences not set right, missed care steps.
The points add up to `risk`; 0 is a customer not at risk. Stored on CustomerCare so that
the at-risk list reads an index; refreshed by every write that changes the evidence and
nightly (days pass without anyone writing).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone

from attract.accounts.models import Role
from attract.aftercare.models import (
    MISSED_AFTER_DAYS,
    CareStep,
    CustomerCare,
    Experience,
    Promise,
    PromiseOutcome,
)
from attract.engagement.models import INBOUND, OUTBOUND, Interaction
from attract.pipeline.models import Deal, Outcome

# An inbound message answered after this long (or still waiting) waited too long.
ANSWER_WITHIN = timedelta(days=1)
# Evidence looks back this far for slow answers and broken promises.
LOOK_BACK = timedelta(days=180)
POINTS = {"untouched": 2, "slow": 1, "broken": 3, "bad": 3, "missed": 1}
CAPPED = {"slow": 3, "missed": 3}


def risk_of(*, untouched: bool, slow: int, broken: int, bad: int, missed: int) -> int:
    return (
        (POINTS["untouched"] if untouched else 0)
        + POINTS["slow"] * min(slow, CAPPED["slow"])
        + POINTS["broken"] * broken
        + POINTS["bad"] * bad
        + POINTS["missed"] * min(missed, CAPPED["missed"])
    )


@dataclass(frozen=True)
class Evidence:
    text: str
    tone: str  # a chip tone: "danger" or "warn"


def evidence_of(care: CustomerCare, rhythm_days: int | None) -> list[Evidence]:
    """The care signal in words, from the stored counts."""
    found = []
    rhythm = rhythm_days or 90
    if care.days_untouched > rhythm:
        found.append(
            Evidence(
                f"No personal touch for {care.days_untouched} days (the plan says every {rhythm})",
                "warn",
            )
        )
    if care.slow_answers:
        found.append(Evidence(_plural(care.slow_answers, "message waited", "messages waited")
                              + " more than a day for our answer", "warn"))  # fmt: skip
    if care.broken_promises:
        found.append(Evidence(_plural(care.broken_promises, "promise broken or overdue",
                                      "promises broken or overdue"), "danger"))  # fmt: skip
    if care.bad_experiences:
        found.append(Evidence(_plural(care.bad_experiences, "bad experience not set right",
                                      "bad experiences not set right"), "danger"))  # fmt: skip
    if care.missed_steps:
        found.append(Evidence(_plural(care.missed_steps, "care step missed", "care steps missed"),
                              "warn"))  # fmt: skip
    return found


def _plural(count: int, one: str, many: str) -> str:
    return f"1 {one}" if count == 1 else f"{count} {many}"


def _by_customer(rows, field: str) -> dict[tuple[str, int], object]:
    out = {}
    for row in rows:
        for kind in ("company", "person"):
            if row.get(kind):
                out[(kind, row[kind])] = row[field]
    return out


def care_signal_refresh(
    *, care_ids: Iterable[int] | None = None, now: datetime | None = None
) -> int:
    """Count the evidence again for these customers in care (all when None)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    cares = CustomerCare.objects.select_related("plan").order_by("pk")
    if care_ids is not None:
        cares = cares.filter(pk__in=list(care_ids))
    total = 0
    batch: list[CustomerCare] = []
    for care in cares.iterator(chunk_size=2000):
        batch.append(care)
        if len(batch) == 2000:
            total += _refresh_batch(batch, now=now, today=today)
            batch = []
    if batch:
        total += _refresh_batch(batch, now=now, today=today)
    return total


def _refresh_batch(cares: list[CustomerCare], *, now, today) -> int:
    companies = [c.company_id for c in cares if c.company_id]
    persons = [c.person_id for c in cares if c.person_id]

    def grouped(qs, **annotations):
        rows = []
        if companies:
            rows += list(
                qs.filter(company_id__in=companies).values("company").annotate(**annotations)
            )
        if persons:
            rows += list(qs.filter(person_id__in=persons).values("person").annotate(**annotations))
        return rows

    outbound = Interaction.objects.filter(direction__in=OUTBOUND)
    touch = _by_customer(grouped(outbound, last=Max("occurred_at")), "last")
    owner_touch = _by_customer(
        grouped(outbound.filter(created_by__role=Role.OWNER), last=Max("occurred_at")), "last"
    )
    slow_q = Q(answered_at__gt=F("occurred_at") + ANSWER_WITHIN) | Q(
        answered_at__isnull=True, occurred_at__lt=now - ANSWER_WITHIN
    )
    slow = _by_customer(
        grouped(
            Interaction.objects.filter(
                slow_q, direction__in=INBOUND, needs_reply=True, occurred_at__gte=now - LOOK_BACK
            ),
            n=Count("pk"),
        ),
        "n",
    )
    broken = _by_customer(
        grouped(
            Promise.objects.filter(
                Q(outcome=PromiseOutcome.BROKEN, recorded_on__gte=today - LOOK_BACK)
                | Q(outcome=PromiseOutcome.OPEN, due_on__lt=today)
            ),
            n=Count("pk"),
        ),
        "n",
    )
    bad = _by_customer(
        grouped(Experience.objects.filter(is_good=False, set_right_on__isnull=True), n=Count("pk")),
        "n",
    )
    missed = defaultdict(int)
    for row in (
        CareStep.objects.filter(
            care__in=cares,
            done_at__isnull=True,
            due_on__lt=today - timedelta(days=MISSED_AFTER_DAYS),
        )
        .values("care")
        .annotate(n=Count("pk"))
    ):
        missed[row["care"]] = row["n"]
    profit = _by_customer(_profit_rows(companies, persons), "p")
    # A care step done is a touch too (ticked on the tasks page, it logged no interaction).
    step_touch = dict(
        CareStep.objects.filter(care__in=cares, done_at__isnull=False)
        .values("care")
        .annotate(last=Max("done_at"))
        .values_list("care", "last")
    )
    for care in cares:
        key = ("company", care.company_id) if care.company_id else ("person", care.person_id)
        touches = [t for t in (touch.get(key), step_touch.get(care.pk)) if t is not None]
        care.last_touch_at = max(touches) if touches else None
        care.last_owner_touch_at = owner_touch.get(key)
        since = timezone.localdate(care.last_touch_at) if care.last_touch_at else care.started_on
        care.days_untouched = max((today - since).days, 0)
        care.slow_answers = slow.get(key, 0)
        care.broken_promises = broken.get(key, 0)
        care.bad_experiences = bad.get(key, 0)
        care.missed_steps = missed.get(care.pk, 0)
        care.profit = profit.get(key) or 0
        rhythm = care.plan.rhythm_days if care.plan_id and care.plan else 90
        care.risk = risk_of(
            untouched=care.days_untouched > rhythm,
            slow=care.slow_answers,
            broken=care.broken_promises,
            bad=care.bad_experiences,
            missed=care.missed_steps,
        )
        care.signal_at = now
    CustomerCare.objects.bulk_update(
        cares,
        ["last_touch_at", "last_owner_touch_at", "days_untouched", "slow_answers",
         "broken_promises", "bad_experiences", "missed_steps", "profit", "risk", "signal_at"],
    )  # fmt: skip
    return len(cares)


def _profit_rows(companies: list[int], persons: list[int]) -> list[dict]:
    """Profit of the won deals: a company's deals, and a person's deals without a company."""
    won = Deal.objects.filter(outcome=Outcome.WON)
    rows = []
    if companies:
        rows += list(
            won.filter(company_id__in=companies)
            .values("company")
            .annotate(p=Sum(F("revenue") - F("cost")))
        )
    if persons:
        rows += [
            {"person": r["contact"], "p": r["p"]}
            for r in won.filter(contact_id__in=persons, company__isnull=True)
            .values("contact")
            .annotate(p=Sum(F("revenue") - F("cost")))
        ]
    return rows
