"""A departure recorded by mistake goes to the trash with Undo, and nothing is lost: the
company is a customer again while it is there, "why ours leave" no longer counts it, its
survey link stops working, the trash page lists it, and restoring puts everything back.
Through the web, the API (DELETE, restore) and the services' refusals."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from attract.aftercare.departure_selectors import why_they_leave
from attract.aftercare.departure_services import (
    departure_record,
    departure_restore,
    departure_trash,
)
from attract.aftercare.models import Departure
from attract.aftercare.survey_services import survey_link_create
from attract.aftercare.tests.departure_factories import make_customer, won_deal
from attract.people.models import Company, Relationship
from attract.people.services import company_update
from attract.people.tests.test_api import ApiClient

pytestmark = pytest.mark.django_db
YEAR = {"start": date(2025, 1, 1), "end": date(2025, 12, 31)}


def _relationship(company) -> str:
    return Company.all_objects.get(pk=company.pk).relationship


def test_trash_with_undo_then_restore_from_the_trash_page(owner, owner_client, outsider):
    company = make_customer(
        owner, name="Mistaken Mill", purchases=[(date(2025, 1, 5), "900", "300")]
    )
    gone = departure_record(actor=owner, company=company, departed_on=date(2025, 6, 1),
                            reason="competitor", note="Said so at the fair")  # fmt: skip
    _, raw = survey_link_create(actor=owner, departure=gone)
    survey = reverse("aftercare:survey", args=[raw])
    assert why_they_leave(user=outsider, **YEAR).total == 1

    response = owner_client.post(reverse("aftercare:departure_trash", args=[gone.pk]), follow=True)
    text = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("people:company_detail", args=[company.pk])
    assert "Undo" in text and reverse("aftercare:departure_restore", args=[gone.pk]) in text
    assert _relationship(company) == Relationship.CUSTOMER
    assert why_they_leave(user=outsider, **YEAR).total == 0
    assert owner_client.get(survey).status_code == 404  # dead like any other link
    trash = owner_client.get(reverse("people:trash")).content.decode()
    assert "Departures" in trash and "Mistaken Mill left on 2025-06-01" in trash
    assert "Sold by a competitor" in trash
    page = owner_client.get(reverse("aftercare:departure_detail", args=[gone.pk])).content.decode()
    assert 'data-testid="departure-in-trash"' in page and "Said so at the fair" in page
    # Editing a departure in the trash is refused until it is restored.
    edit = owner_client.get(reverse("aftercare:departure_edit", args=[gone.pk]))
    assert edit.status_code == 404

    back = owner_client.post(
        reverse("aftercare:departure_restore", args=[gone.pk]),
        {"next": reverse("people:trash")},
    )
    assert back.status_code == 302 and back["Location"] == reverse("people:trash")
    restored = Departure.objects.get(pk=gone.pk)
    assert (restored.note, restored.reason, restored.deleted_at) == (
        "Said so at the fair", "competitor", None
    )  # fmt: skip
    assert _relationship(company) == Relationship.FORMER_CUSTOMER
    assert why_they_leave(user=outsider, **YEAR).total == 1
    assert owner_client.get(survey).status_code == 200  # the link works again, in time
    history = [h.history_change_reason for h in restored.history.order_by("history_date")]
    assert history[-2:] == ["Moved to the trash", "Restored from the trash"]


def test_restore_is_refused_when_the_period_was_given_another_departure(owner, owner_client):
    company = make_customer(owner, name="Twice Told", purchases=[(date(2025, 1, 5), "100", "30")])
    first = departure_record(actor=owner, company=company, departed_on=date(2025, 3, 1),
                             reason="moved")  # fmt: skip
    departure_trash(actor=owner, departure=first)
    second = departure_record(actor=owner, company=Company.objects.get(pk=company.pk),
                              departed_on=date(2025, 4, 1), reason="indifference")  # fmt: skip
    response = owner_client.post(
        reverse("aftercare:departure_restore", args=[first.pk]), follow=True
    )
    assert "already recorded as leaving on 1 Apr 2025" in response.content.decode()
    assert Departure.all_objects.get(pk=first.pk).in_trash
    assert list(Departure.objects.filter(company=company)) == [second]
    assert _relationship(company) == Relationship.FORMER_CUSTOMER


def test_a_customer_who_came_back_stays_a_customer_either_way(owner):
    company = make_customer(owner, name="Came Back", purchases=[(date(2024, 1, 5), "100", "30")])
    left = departure_record(actor=owner, company=company, departed_on=date(2024, 6, 1),
                            reason="product_price")  # fmt: skip
    won_deal(company, date(2025, 2, 1))
    company_update(actor=owner, company=Company.objects.get(pk=company.pk),
                   relationship=Relationship.CUSTOMER, customer_since=date(2025, 2, 1))  # fmt: skip
    departure_trash(actor=owner, departure=left)
    assert _relationship(company) == Relationship.CUSTOMER
    departure_restore(actor=owner, departure=Departure.all_objects.get(pk=left.pk))
    assert _relationship(company) == Relationship.CUSTOMER
    assert not Departure.objects.get(pk=left.pk).in_trash


def test_departures_to_the_trash_and_back_through_the_api(owner, outsider, viewer):
    company = make_customer(owner, name="Api Arms", is_private=True,
                            purchases=[(date(2025, 1, 5), "100", "30")])  # fmt: skip
    gone = departure_record(actor=owner, company=company, departed_on=date(2025, 2, 1),
                            reason="friend")  # fmt: skip
    assert ApiClient(outsider).delete(f"/departures/{gone.pk}").status_code == 404
    assert ApiClient(viewer).delete(f"/departures/{gone.pk}").status_code in (403, 404)
    api = ApiClient(owner)
    assert api.delete(f"/departures/{gone.pk}").status_code == 204
    assert api.get(f"/departures/{gone.pk}").status_code == 404
    assert _relationship(company) == Relationship.CUSTOMER
    assert api.delete(f"/departures/{gone.pk}").status_code == 404  # already there
    back = api.post(f"/departures/{gone.pk}/restore")
    assert back.status_code == 200 and back.json()["reason"] == "friend"
    assert _relationship(company) == Relationship.FORMER_CUSTOMER
    assert Departure.objects.filter(pk=gone.pk, deleted_at__isnull=True).exists()


def test_the_company_s_privacy_and_trash_follow_onto_its_departures(owner, outsider):
    from attract.aftercare.purchase_summary import departures_copied
    from attract.people.services import company_restore, company_trash

    company = make_customer(owner, name="Shy Shop", purchases=[(date(2025, 1, 5), "100", "30")])
    departure_record(actor=owner, company=company, departed_on=date(2025, 3, 1), reason="moved")
    company_update(actor=owner, company=Company.objects.get(pk=company.pk), is_private=True)
    assert why_they_leave(user=outsider, **YEAR).total == 0
    assert why_they_leave(user=owner, **YEAR).total == 1
    company_update(actor=owner, company=Company.objects.get(pk=company.pk), is_private=False)
    company_trash(actor=owner, company=Company.objects.get(pk=company.pk))
    assert why_they_leave(user=owner, **YEAR).total == 0
    company_restore(actor=owner, company=Company.all_objects.get(pk=company.pk))
    assert why_they_leave(user=outsider, **YEAR).total == 1
    # A write past the receivers (a bulk update) is caught by the nightly copy.
    Company.objects.filter(pk=company.pk).update(is_private=True)
    assert why_they_leave(user=outsider, **YEAR).total == 1
    assert departures_copied() == 1
    assert why_they_leave(user=outsider, **YEAR).total == 0


@pytest.mark.parametrize("departures", [1, 5])
def test_why_ours_leave_makes_the_same_queries_however_many_left(
    owner, owner_client, django_assert_num_queries, departures
):
    for n in range(departures):
        company = make_customer(owner, name=f"Left {n}", contact=False,
                                purchases=[(date(2025, 1, 5), "100", "30")])  # fmt: skip
        departure_record(actor=owner, company=company, departed_on=date(2025, 2, 1 + n),
                         reason="indifference")  # fmt: skip
    # Session, user, the period's figures in one grouped read, and the page of customers lost
    # in our control (counted from the figures, not again).
    with django_assert_num_queries(4):
        page = owner_client.get(
            reverse("aftercare:departures"), {"start": "2025-01-01", "end": "2025-12-31"}
        )
    assert page.content.decode().count("Left ") >= departures
