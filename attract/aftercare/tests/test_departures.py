"""Departures: the reasons with their control, what is refused, won again with both periods
kept, and the comparison arithmetic of "why ours leave"."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from attract.aftercare.departure_selectors import customer_periods, why_they_leave
from attract.aftercare.departure_services import departure_record, departure_update
from attract.aftercare.models import IN_OUR_CONTROL, PUBLISHED, Departure, control_of
from attract.aftercare.tests.departure_factories import make_customer, won_deal
from attract.people.models import Company, Relationship
from attract.pipeline.models import Deal
from attract.pipeline.services import deal_create, deal_win

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-06-01 12:00Z", tick=False):
        yield


def test_the_published_figures_add_up_with_their_control():
    assert sum(share for share, _ in PUBLISHED.values()) == 100
    assert [PUBLISHED[r] for r in ("death", "moved", "friend", "competitor")] == [
        (1, "none"), (3, "none"), (5, "little"), (9, "some")
    ]  # fmt: skip
    assert PUBLISHED["indifference"] == (68, "total")
    assert {"competitor", "product_price", "indifference"} == IN_OUR_CONTROL
    assert control_of("other") == ""


def test_a_departure_makes_a_former_customer_and_keeps_what_they_were_worth(owner):
    company = make_customer(
        owner,
        purchases=[(date(2024, 1, 10), "5000", "3000"), (date(2025, 9, 1), "2000", "500")],
    )
    departure = departure_record(
        actor=owner, company=company, departed_on=date(2026, 3, 1), reason="indifference",
        note="Stopped answering",
    )  # fmt: skip
    company.refresh_from_db()
    assert company.relationship == Relationship.FORMER_CUSTOMER
    assert Company.objects.filter(pk=company.pk).exists() and Deal.objects.count() == 2
    # Only the deal won in the year before they left counts as lost yearly value.
    assert departure.lost_yearly_revenue == Decimal("2000")
    assert departure.lost_yearly_profit == Decimal("1500")
    assert departure.customer_since == date(2024, 1, 10)
    assert departure.history.count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"departed_on": date(2024, 1, 1)}, "departed_on", "before their first purchase"),
        ({"departed_on": date(2026, 7, 1)}, "departed_on", "future"),
        ({"reason": "other"}, "reason_other", "few words"),
        ({"reason": "bored"}, "reason", "Choose one"),
    ],
)
def test_bad_departures_are_refused_and_change_nothing(owner, fields, field, words):
    company = make_customer(owner)
    arguments = {"departed_on": date(2026, 1, 1), "reason": "moved", **fields}
    with pytest.raises(ValidationError) as refused:
        departure_record(actor=owner, company=company, **arguments)
    assert words in " ".join(refused.value.message_dict[field])
    company.refresh_from_db()
    assert company.relationship == Relationship.CUSTOMER and not Departure.objects.exists()


def test_only_a_customer_leaves_and_only_once(owner, viewer, outsider):
    prospect = make_customer(owner, name="Never Bought", purchases=[])
    with pytest.raises(ValidationError, match="not a customer"):
        departure_record(actor=owner, company=prospect, departed_on=TODAY, reason="moved")
    company = make_customer(owner)
    with pytest.raises(PermissionDenied):
        departure_record(actor=viewer, company=company, departed_on=TODAY, reason="moved")
    private = make_customer(owner, name="Secret Client", is_private=True)
    with pytest.raises(PermissionDenied):
        departure_record(actor=outsider, company=private, departed_on=TODAY, reason="moved")
    departure_record(actor=owner, company=company, departed_on=TODAY, reason="moved")
    with pytest.raises(ValidationError, match="already a former customer"):
        departure_record(actor=owner, company=company, departed_on=TODAY, reason="moved")


def test_won_again_and_left_again_keeps_both_periods(owner):
    company = make_customer(owner, purchases=[(date(2023, 2, 1), "1000", "100")])
    first = departure_record(
        actor=owner, company=company, departed_on=date(2024, 5, 1), reason="competitor"
    )
    with time_machine.travel("2025-04-01 12:00Z", tick=False):
        deal = deal_create(actor=owner, title="Back again", company=company, revenue=Decimal("800"))
        deal_win(actor=owner, deal=deal)
    company.refresh_from_db()
    assert company.relationship == Relationship.CUSTOMER
    assert company.customer_since == date(2025, 4, 1)
    # A departure inside the new period only: not before they came back.
    with pytest.raises(ValidationError, match="customer again"):
        departure_record(actor=owner, company=company, departed_on=date(2025, 1, 1), reason="moved")
    second = departure_record(
        actor=owner, company=company, departed_on=date(2026, 2, 1), reason="product_price"
    )
    company.refresh_from_db()
    periods = [(p.start, p.end) for p in customer_periods(company)]
    assert periods == [(date(2023, 2, 1), date(2024, 5, 1)), (date(2025, 4, 1), date(2026, 2, 1))]
    assert [first.reason, second.reason] == ["competitor", "product_price"]
    assert second.lost_yearly_revenue == Decimal("800")


def test_a_correction_is_made_against_the_version_seen(owner):
    from attract.core.versions import VersionConflict

    company = make_customer(owner)
    departure = departure_record(actor=owner, company=company, departed_on=TODAY, reason="moved")
    departure_update(actor=owner, departure=departure, expected_version=1, reason="friend")
    with pytest.raises(VersionConflict):
        departure_update(actor=owner, departure=departure, expected_version=1, note="Stale")
    departure.refresh_from_db()
    assert departure.reason == "friend" and departure.note == ""


def _left(owner, n: int, reason: str, *, answer: str = "", profit: str = "100") -> None:
    for i in range(n):
        company = make_customer(
            owner, name=f"{reason} {answer} {i}", contact=False,
            purchases=[(date(2025, 6, 5), str(Decimal(profit) * 2), profit)],
        )  # fmt: skip
        departure = departure_record(
            actor=owner, company=company, departed_on=date(2026, 2, 1), reason=reason
        )
        if answer:
            Departure.objects.filter(pk=departure.pk).update(customer_reason=answer)


def test_why_they_leave_compares_our_shares_with_the_published_ones(owner):
    _left(owner, 2, "moved")
    _left(owner, 1, "competitor", answer="indifference")
    _left(owner, 1, "indifference")
    figures = why_they_leave(user=owner, start=date(2025, 6, 1), end=TODAY)
    shares = {r.reason: (r.count, r.share, r.published) for r in figures.rows}
    # The customer's answer wins over our guess by default.
    assert shares["moved"] == (2, 50.0, 3)
    assert shares["indifference"] == (2, 50.0, 68)
    assert shares["competitor"] == (0, 0.0, 9)
    assert figures.total == 4 and figures.share_in_control == 50.0
    assert figures.published_in_control == 91
    assert figures.profit == Decimal("400") and figures.profit_in_control == Decimal("200")
    assert [(q.label, q.count, q.in_control) for q in figures.quarters] == [("Q1 2026", 4, 2)]
    assert (figures.answered, figures.guessed) == (1, 3)
    guesses = why_they_leave(user=owner, start=date(2025, 6, 1), end=TODAY, source="guess")
    assert {r.reason: r.count for r in guesses.rows}["competitor"] == 1
    answers = why_they_leave(user=owner, start=date(2025, 6, 1), end=TODAY, source="answers")
    assert answers.total == 1
    before = why_they_leave(user=owner, start=date(2020, 1, 1), end=date(2025, 12, 31))
    assert before.total == 0 and before.share_in_control == 0.0


def test_private_customers_departures_are_counted_only_for_their_owner(owner, outsider):
    company = make_customer(owner, name="Secret Client", is_private=True)
    departure_record(actor=owner, company=company, departed_on=TODAY, reason="moved")
    assert why_they_leave(user=owner, start=date(2026, 1, 1), end=TODAY).total == 1
    assert why_they_leave(user=outsider, start=date(2026, 1, 1), end=TODAY).total == 0


def test_a_customer_imported_without_deals_may_leave_after_their_customer_date(owner):
    company = make_customer(owner, purchases=[])
    Company.objects.filter(pk=company.pk).update(
        relationship=Relationship.CUSTOMER, customer_since=date(2025, 1, 1)
    )
    company.refresh_from_db()
    won_deal(company, date(2025, 6, 1))
    departure = departure_record(
        actor=owner, company=company, departed_on=date(2025, 3, 1), reason="moved"
    )
    assert departure.customer_since == date(2025, 1, 1)
