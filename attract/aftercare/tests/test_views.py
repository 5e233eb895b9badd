"""The departure pages through the web: recording a departure (and a refused date shown at
its field), the departure's page, "why ours leave" with its chart and table, the repeat-
purchase page and the company card, with fixed query counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from attract.aftercare.departure_services import departure_record
from attract.aftercare.models import Departure
from attract.aftercare.tests.departure_factories import make_customer
from attract.people.models import Relationship

pytestmark = pytest.mark.django_db


def test_recording_a_departure_through_the_form(owner, owner_client):
    company = make_customer(owner)
    url = reverse("aftercare:departure_create", args=[company.pk])
    page = owner_client.get(url)
    assert "control: total (published 68%)" in page.content.decode()
    early = owner_client.post(url, {"departed_on": "2020-01-01", "reason": "moved"})
    assert "before their first purchase" in early.content.decode()
    assert not Departure.objects.exists()
    today = timezone.localdate().isoformat()
    response = owner_client.post(
        url, {"departed_on": today, "reason": "other", "reason_other": "Retired", "note": "Sad"}
    )
    departure = Departure.objects.get()
    assert response["Location"] == reverse("aftercare:departure_detail", args=[departure.pk])
    company.refresh_from_db()
    assert company.relationship == Relationship.FORMER_CUSTOMER
    detail = owner_client.get(response["Location"]).content.decode()
    assert "Other: Retired" in detail and "Not answered yet" in detail
    card = owner_client.get(reverse("people:company_detail", args=[company.pk])).content.decode()
    assert "left: Other: Retired" in card and "Mark as departed" not in card


def test_a_viewer_and_an_outsider_cannot_record_departures(viewer_client, outsider_client, owner):
    private = make_customer(owner, name="Secret", is_private=True)
    shared = make_customer(owner, name="Shared")
    assert (
        viewer_client.get(reverse("aftercare:departure_create", args=[shared.pk])).status_code
        == 403
    )
    assert (
        outsider_client.get(reverse("aftercare:departure_create", args=[private.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("departures", [2, 12])
def test_why_they_leave_page_shows_the_chart_and_keeps_its_query_count(
    owner, owner_client, django_assert_max_num_queries, departures
):
    for n in range(departures):
        company = make_customer(owner, name=f"Gone {n}", contact=False,
                                purchases=[(timezone.localdate() - timedelta(days=100), "100", "50")])  # fmt: skip
        departure_record(
            actor=owner, company=company, departed_on=timezone.localdate(),
            reason=["indifference", "moved", "competitor"][n % 3],
        )  # fmt: skip
    with django_assert_max_num_queries(12):
        response = owner_client.get(reverse("aftercare:departures"))
    html = response.content.decode()
    assert "<svg" in html and "Perceived indifference" in html and "<summary>Data</summary>" in html
    assert "Gone 0" in html  # a reason in our control links to the customer
    assert response.context["figures"].total == departures
    other = owner_client.get(reverse("aftercare:departures"), {"start": "2001-01-01",
                                                                "end": "2001-12-31", "source": "x"})  # fmt: skip
    assert "No departures in this period" in other.content.decode()


def test_repeat_page_and_the_company_card(owner, owner_client, django_assert_max_num_queries):
    repeat = make_customer(
        owner, name="Again",
        purchases=[(date(2024, 1, 1), "100", "10"), (date(2024, 3, 1), "300", "30")],
    )  # fmt: skip
    make_customer(owner, name="Once", purchases=[(date(2025, 1, 1), "50", "10")])
    with django_assert_max_num_queries(10):
        page = owner_client.get(reverse("aftercare:repeat"))
    html = page.content.decode()
    assert "50.0%" in html and "Once" in html
    card = owner_client.get(reverse("people:company_detail", args=[repeat.pk])).content.decode()
    assert "Repeat buyer" in card and "60 days later" in card and "Mark as departed" in card
