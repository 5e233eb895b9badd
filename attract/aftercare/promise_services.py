"""Expectations on a deal before the quote, the promises they become when it is won, and
what actually happened; the conservative figure history says we can keep.

Telling the conservative truth: for a measurable kind of promise ("delivery time", hours)
the suggestion is the value we met in 90% of past cases, and a promise — or the plan's own
side 3 commitment — stricter than that is flagged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from attract.accounts.models import User
from attract.aftercare.care_plan_services import require_write
from attract.aftercare.models import DealExpectation, Promise, PromiseOutcome
from attract.aftercare.models.promises import Better, KeptFigure
from attract.core.permissions import can_view_record
from attract.core.record_writes import fields_apply, record_save
from attract.core.versions import lock_for_edit, next_version
from attract.people.models import Company, Person
from attract.pipeline.models import Deal, Outcome

EXPECTATION_FIELDS = ("their_words", "our_answer", "confirmed", "metric", "value", "unit",
                      "better", "due_in_days")  # fmt: skip
PROMISE_FIELDS = ("what", "due_on", "metric", "value", "unit", "better")
# The share of past cases the suggested figure was met in.
KEPT_SHARE = 0.9
# Fewer past cases than this suggest nothing (a "90%" of three cases is no evidence).
MIN_CASES = 5


def _check_measurable(record: Any) -> None:
    errors = {}
    if record.better not in Better.values:
        errors["better"] = f"Choose one of: {', '.join(Better.values)}."
    if record.value is not None and not record.unit:
        errors["unit"] = "A measurable promise needs its unit (hours, days, %...)."
    if record.unit and record.value is None:
        errors["value"] = "Give the value, or leave the unit empty for a promise in words."
    if record.value is not None and record.value < 0:
        errors["value"] = "A value of zero or more."
    if errors:
        raise ValidationError(errors)


def _require_deal(actor: User, deal: Deal) -> None:
    require_write(actor)
    if not can_view_record(actor, deal):
        raise PermissionDenied("You may not see this deal.")


# --- Expectations on a deal -----------------------------------------------------------------


def deal_expectation_add(*, actor: User, deal: Deal, their_words: str, **fields: Any):
    _require_deal(actor, deal)
    if deal.outcome != Outcome.OPEN:
        raise ValidationError("The deal is closed: record a promise on the customer instead.")
    expectation = DealExpectation(deal=deal, their_words=(their_words or "").strip())
    fields_apply(expectation, fields, EXPECTATION_FIELDS)
    if not expectation.their_words:
        raise ValidationError({"their_words": "Write the expectation in the customer's words."})
    _check_measurable(expectation)
    record_save(expectation, actor, creating=True)
    return expectation


@transaction.atomic
def deal_expectation_update(
    *, actor: User, expectation: DealExpectation, expected_version: int | None = None, **fields
) -> DealExpectation:
    _require_deal(actor, expectation.deal)
    lock_for_edit(expectation, expected_version)
    fields_apply(expectation, fields, EXPECTATION_FIELDS)
    if not expectation.their_words:
        raise ValidationError({"their_words": "Write the expectation in the customer's words."})
    _check_measurable(expectation)
    next_version(expectation)
    record_save(expectation, actor, creating=False)
    return expectation


def deal_expectation_delete(*, actor: User, expectation: DealExpectation) -> None:
    _require_deal(actor, expectation.deal)
    if hasattr(expectation, "promise"):
        raise ValidationError("This expectation became a promise; record what happened instead.")
    expectation.delete()


@transaction.atomic
def promises_from_won_deal(*, actor: User, deal: Deal) -> list[Promise]:
    """Each answer given on the deal becomes a promise on the customer, due the given number
    of days after the win."""
    from attract.aftercare.care_plan_services import _customer_of

    customer = _customer_of(deal)
    if customer is None:
        return []
    key = "company" if isinstance(customer, Company) else "person"
    today = timezone.localdate()
    made = []
    for expectation in DealExpectation.objects.filter(deal=deal, promise__isnull=True):
        promise = Promise(
            **{key: customer},
            deal=deal,
            expectation=expectation,
            what=expectation.our_answer or expectation.their_words,
            due_on=today + timedelta(days=expectation.due_in_days),
            metric=expectation.metric,
            value=expectation.value,
            unit=expectation.unit,
            better=expectation.better,
        )
        record_save(promise, actor, creating=True)
        made.append(promise)
    return made


# --- Promises -------------------------------------------------------------------------------


def _require_customer(actor: User, customer: Company | Person) -> None:
    require_write(actor)
    if not can_view_record(actor, customer):
        raise PermissionDenied("You may not see this customer.")


def promise_create(
    *,
    actor: User,
    company: Company | None = None,
    person: Person | None = None,
    what: str,
    due_on: date | None,
    **fields: Any,
) -> Promise:
    if (company is None) == (person is None):
        raise ValidationError({"company": "Name the company or the person (one of the two)."})
    _require_customer(actor, company or person)
    promise = Promise(company=company, person=person, what=(what or "").strip(), due_on=due_on)
    fields_apply(promise, fields, PROMISE_FIELDS)
    errors = {}
    if not promise.what:
        errors["what"] = "Say what was promised."
    if due_on is None:
        errors["due_on"] = "A promise has a date by which it is kept."
    if errors:
        raise ValidationError(errors)
    _check_measurable(promise)
    record_save(promise, actor, creating=True)
    _refresh(promise)
    return promise


@transaction.atomic
def promise_record(
    *,
    actor: User,
    promise: Promise,
    kept: bool | None = None,
    actual_value: Decimal | None = None,
    what_happened: str = "",
    recorded_on: date | None = None,
    expected_version: int | None = None,
) -> Promise:
    """What actually happened. A measurable promise is judged from the value (kept when the
    value is as good as promised); one in words takes `kept`."""
    _require_customer(actor, promise.customer)
    lock_for_edit(promise, expected_version)
    if promise.is_measurable:
        if actual_value is None:
            raise ValidationError({"actual_value": f"Give the value reached ({promise.unit})."})
        if actual_value < 0:
            raise ValidationError({"actual_value": "A value of zero or more."})
        if promise.better == Better.LOWER:
            kept = actual_value <= promise.value
        else:
            kept = actual_value >= promise.value
    elif kept is None:
        raise ValidationError({"kept": "Say whether the promise was kept."})
    promise.actual_value = actual_value if promise.is_measurable else None
    promise.outcome = PromiseOutcome.KEPT if kept else PromiseOutcome.BROKEN
    promise.what_happened = (what_happened or "").strip()[:500]
    promise.recorded_on = recorded_on or timezone.localdate()
    next_version(promise)
    record_save(promise, actor, creating=False, reason=f"Recorded as {promise.outcome}")
    _refresh(promise)
    if promise.is_measurable:
        kept_figure_recount(metric=promise.metric, unit=promise.unit)
    return promise


def _refresh(promise: Promise) -> None:
    from attract.aftercare.care_signal import care_signal_refresh
    from attract.aftercare.models import CustomerCare

    ids = CustomerCare.objects.filter(
        **({"company": promise.company} if promise.company_id else {"person": promise.person})
    ).values_list("pk", flat=True)
    care_signal_refresh(care_ids=list(ids))


# --- The conservative truth -----------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    metric: str
    unit: str
    better: str
    value: Decimal | None  # what we met in 90% of cases; None with too few cases
    cases: int
    kept: int

    @property
    def kept_share(self) -> int:
        return round(100 * self.kept / self.cases) if self.cases else 0

    def is_stricter(self, promised: Decimal | None) -> bool:
        """A promise stricter than what we keep: lower than the 90% figure for "lower is
        better" (delivery hours), higher for "higher is better"."""
        if promised is None or self.value is None:
            return False
        if self.better == Better.LOWER:
            return promised < self.value
        return promised > self.value


def conservative_value(values: list[Decimal], better: str, share: float = KEPT_SHARE):
    """The value met in `share` of the cases: for lower-is-better the nearest-rank
    percentile from below (90% of deliveries took at most this long), for higher-is-better
    from above (90% reached at least this)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = math.ceil(share * len(ordered))
    if better == Better.LOWER:
        return ordered[rank - 1]
    return ordered[len(ordered) - rank]


def _judged(metric: str, unit: str):
    return Promise.objects.filter(
        metric__iexact=metric.strip(), unit__iexact=unit.strip(), actual_value__isnull=False
    ).exclude(outcome=PromiseOutcome.OPEN)


def kept_figure_recount(*, metric: str, unit: str) -> KeptFigure | None:
    """Count one kind of promise again from every judged promise of it (on a write, not on a
    read): the 90% figure each way, the cases and how many were kept."""
    if not metric.strip() or not unit.strip():
        return None
    rows = list(_judged(metric, unit).values_list("actual_value", "outcome"))
    values = [value for value, _ in rows]
    enough = len(values) >= MIN_CASES
    figure, _ = KeptFigure.objects.update_or_create(
        metric_key=metric.strip().lower()[:100],
        unit_key=unit.strip().lower()[:30],
        defaults={
            "cases": len(values),
            "kept": sum(1 for _, outcome in rows if outcome == PromiseOutcome.KEPT),
            "value_lower": conservative_value(values, Better.LOWER) if enough else None,
            "value_higher": conservative_value(values, Better.HIGHER) if enough else None,
            "counted_at": timezone.now(),
        },
    )
    return figure


def kept_figures_recount() -> int:
    """Every kind counted again (nightly, and after bulk writes such as the benchmark's)."""
    kinds = {
        (metric.strip().lower(), unit.strip().lower())
        for metric, unit in Promise.objects.filter(actual_value__isnull=False)
        .exclude(unit="")
        .values_list("metric", "unit")
        .distinct()
    }
    KeptFigure.objects.exclude(
        pk__in=[f.pk for f in KeptFigure.objects.all() if (f.metric_key, f.unit_key) in kinds]
    ).delete()
    for metric, unit in kinds:
        kept_figure_recount(metric=metric, unit=unit)
    return len(kinds)


def promise_suggestion(*, metric: str, unit: str, better: str = Better.LOWER) -> Suggestion:
    """From the promises of this kind already judged: what we met in 90% of cases (read from
    the kind's stored figure, one row)."""
    figure = KeptFigure.objects.filter(
        metric_key=metric.strip().lower(), unit_key=unit.strip().lower()
    ).first()
    if figure is None:
        return Suggestion(metric=metric, unit=unit, better=better, value=None, cases=0, kept=0)
    value = figure.value_lower if better == Better.LOWER else figure.value_higher
    return Suggestion(metric=metric, unit=unit, better=better, value=value, cases=figure.cases,
                      kept=figure.kept)  # fmt: skip


def side_three_for(metric: str, unit: str):
    """The attraction plan's side 3 item measured the same way ("delivery time", hours), with
    the suggestion beside it and whether the plan commits to more than we keep."""
    if not metric or not unit:
        return None
    from attract.attraction.models import Expectation

    item = (
        Expectation.objects.filter(
            removed_at__isnull=True,
            value__isnull=False,
            metric__iexact=metric.strip(),
            unit__iexact=unit.strip(),
        )
        .order_by("id")
        .first()
    )
    if item is None:
        return None
    suggestion = promise_suggestion(metric=metric, unit=unit, better=item.better or Better.LOWER)
    return {"item": item, "stricter": suggestion.is_stricter(item.value)}
