"""The conservative suggestion on a known history, read from the stored figure of the kind
(counted again when a promise is recorded, and by the nightly recount after bulk writes)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from attract.aftercare import promise_services as promises
from attract.aftercare.models import KeptFigure, Promise
from attract.people.services import company_create

pytestmark = pytest.mark.django_db
HOURS = [24, 30, 36, 40, 44, 46, 48, 50, 60, 72]  # ten deliveries


def _history(owner, hours=HOURS):
    company = company_create(actor=owner, name="History Ltd", relationship="customer")
    due = timezone.localdate() + timedelta(days=3)
    for h in hours:
        p = promises.promise_create(actor=owner, company=company, what="Delivery", due_on=due,
                                    metric="Delivery time", value=48, unit="hours")  # fmt: skip
        promises.promise_record(actor=owner, promise=p, actual_value=Decimal(h))
    return company


def test_the_suggestion_is_what_we_met_in_90_percent_of_known_cases(owner):
    _history(owner)
    lower = promises.promise_suggestion(metric="delivery time", unit="Hours")
    # Nearest rank: ceil(0.9 * 10) = 9th of the sorted ten → 60 hours.
    assert (lower.value, lower.cases, lower.kept) == (Decimal("60"), 10, 7)
    assert lower.is_stricter(Decimal(48)) and not lower.is_stricter(Decimal(72))
    higher = promises.promise_suggestion(metric="delivery time", unit="hours", better="higher")
    assert higher.value == Decimal("30")  # 90% reached at least 30


def test_too_few_cases_suggest_nothing(owner):
    _history(owner, hours=[24, 30, 36, 40])
    found = promises.promise_suggestion(metric="Delivery time", unit="hours")
    assert found.value is None and found.cases == 4


def test_the_suggestion_reads_one_row_however_long_the_history(owner, django_assert_num_queries):
    _history(owner)
    with django_assert_num_queries(1):
        promises.promise_suggestion(metric="Delivery time", unit="hours")


def test_the_recount_catches_up_with_bulk_written_promises_and_drops_gone_kinds(owner):
    company = _history(owner)
    Promise.objects.bulk_create(
        Promise(company=company, what="Delivery", due_on=timezone.localdate(), metric="delivery time",
                value=48, unit="hours", outcome="broken", actual_value=Decimal(90))
        for _ in range(10)
    )  # fmt: skip
    KeptFigure.objects.create(
        metric_key="gone", unit_key="days", cases=9, counted_at=timezone.now()
    )
    assert promises.promise_suggestion(metric="delivery time", unit="hours").cases == 10
    assert promises.kept_figures_recount() == 1
    found = promises.promise_suggestion(metric="delivery time", unit="hours")
    assert (found.cases, found.value) == (20, Decimal("90"))
    assert not KeptFigure.objects.filter(metric_key="gone").exists()


def test_promise_counts_leave_out_someone_elses_private_customers(owner, outsider):
    from attract.aftercare.care_selectors import promise_counts

    _history(owner, hours=[24, 60])  # one kept, one broken: a shared customer
    secret = company_create(actor=owner, name="Secret Ltd", relationship="customer",
                            is_private=True)  # fmt: skip
    promises.promise_create(actor=owner, company=secret, what="Call back",
                            due_on=timezone.localdate())  # fmt: skip
    assert promise_counts(owner) == {"open": 1, "kept": 1, "broken": 1}
    assert promise_counts(outsider) == {"open": 0, "kept": 1, "broken": 1}


def test_the_personal_touch_counts_only_customers_the_reader_may_see(owner, outsider):
    from attract.aftercare.care_selectors import personal_touch
    from attract.aftercare.tests.factories import make_customer, make_plan

    make_plan(owner)
    make_customer(owner, "Seen Bakery")
    make_customer(owner, "Private Parlour", is_private=True)
    binned, _ = make_customer(owner, "Binned Books")
    from attract.people.services import company_trash

    company_trash(actor=owner, company=binned)
    assert personal_touch(owner).customers == 2
    touch = personal_touch(outsider)
    assert touch.customers == 1 and [c.company.name for c in touch.not_heard] == ["Seen Bakery"]
