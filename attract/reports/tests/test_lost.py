"""Lost deals: reasons from the business's list, counted and valued by month; the list is
edited by owners and admins; closing as lost takes a reason from it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from attract.pipeline.models import Deal, LostReason, Outcome
from attract.pipeline.services import deal_lose
from attract.pipeline.tests.factories import DealFactory
from attract.reports.filters import ReportFilters
from attract.reports.lost import NO_REASON, lost_report
from attract.reports.lost_reasons import lost_reason_create, lost_reason_update
from attract.reports.tests.conftest import at

MARCH_APRIL = ReportFilters(start=date(2026, 3, 1), end=date(2026, 4, 30))


def test_closing_as_lost_takes_a_reason_from_the_list_and_the_report_counts_it(owner, teammate):
    price = LostReason.objects.get(name="Price")
    deal = DealFactory(owner=owner, revenue=Decimal("3000"))
    deal_lose(actor=owner, deal=deal, reason="", reason_kind=price)
    Deal.all_objects.filter(pk=deal.pk).update(closed_at=at(2026, 3))
    DealFactory(owner=teammate, outcome=Outcome.LOST, closed_at=at(2026, 4), lost_reason="meh")
    DealFactory(
        owner=owner,
        is_private=True,
        outcome=Outcome.LOST,
        closed_at=at(2026, 4),
        lost_reason_kind=price,
    )
    figures = lost_report(user=teammate, filters=MARCH_APRIL)
    reasons = {r["reason"]: r for r in figures.rows if r["by"] == "reason"}
    assert reasons["Price"]["deals"] == 1 and reasons["Price"]["value"] == Decimal("3000")
    assert reasons[NO_REASON]["deals"] == 1
    months = {(r["group"], r["reason"]): r["deals"] for r in figures.rows if r["by"] == "month"}
    assert months[("Mar 2026", "Price")] == 1 and months[("Apr 2026", "Price")] == 0
    assert lost_report(user=owner, filters=MARCH_APRIL).rows[0]["deals"] == 2  # her private one


def test_a_deal_needs_a_reason_or_a_note_and_a_retired_reason_is_refused(owner):
    deal = DealFactory(owner=owner)
    with pytest.raises(ValidationError):
        deal_lose(actor=owner, deal=deal, reason="  ")
    retired = lost_reason_update(
        actor=owner, reason=LostReason.objects.get(name="Timing"), name="Timing", is_active=False
    )
    with pytest.raises(ValidationError, match="retired"):
        deal_lose(actor=owner, deal=deal, reason="", reason_kind=retired)


def test_only_managers_edit_the_list_and_names_stay_unique(owner, teammate):
    with pytest.raises(PermissionDenied):
        lost_reason_create(actor=teammate, name="Budget")
    lost_reason_create(actor=owner, name="Budget cut")
    with pytest.raises(ValidationError, match="in the list already"):
        lost_reason_create(actor=owner, name="budget CUT")


def test_the_lost_reasons_page_adds_and_refuses(owner_client, teammate_client):
    response = owner_client.post("/reports/lost-reasons/", {"name": "Went quiet"})
    assert response.status_code == 302
    assert "Went quiet" in owner_client.get("/reports/lost-reasons/").content.decode()
    assert owner_client.post("/reports/lost-reasons/", {"name": ""}).status_code == 422
    reason = LostReason.objects.get(name="Went quiet")
    assert (
        teammate_client.post(f"/reports/lost-reasons/{reason.pk}/", {"name": "x"}).status_code
        == 403
    )


def test_the_deal_page_offers_the_reasons_and_the_web_close_uses_one(owner_client, owner):
    deal = DealFactory(owner=owner)
    page = owner_client.get(reverse("pipeline:deal_detail", args=[deal.pk])).content.decode()
    assert "Chose a competitor" in page
    price = LostReason.objects.get(name="Price")
    owner_client.post(
        reverse("pipeline:deal_lose", args=[deal.pk]),
        {"lost_reason_kind": price.pk, "version": deal.version},
    )
    deal.refresh_from_db()
    assert deal.outcome == Outcome.LOST and deal.lost_reason_kind == price
