"""Anniversaries and persons' own dates: on Today and in the calendar feed in good time, with
the years; private persons stay private; a date that does not exist is refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from attract.aftercare.customer_dates import dates_ahead, person_date_add
from attract.engagement.services import calendar_feed_for
from attract.people.models import Relationship
from attract.people.services import company_create, company_update, person_create

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime(2027, 2, 20, 12, 0, tzinfo=UTC), tick=False)
def test_anniversaries_and_persons_dates_come_up_on_today_and_in_the_calendar(
    owner, outsider, client
):
    client.force_login(owner)  # signed in at the travelled time
    company = company_create(actor=owner, name="Old Friends Ltd")
    company_update(actor=owner, company=company, relationship=Relationship.CUSTOMER,
                   customer_since=date(2023, 2, 28))  # fmt: skip
    ann = person_create(actor=owner, first_name="Ann", last_name="Able")
    person_date_add(actor=owner, person=ann, label="Birthday", month=3, day=1, year=1980)
    secret = person_create(actor=owner, first_name="Sid", last_name="Secret", is_private=True)
    person_date_add(actor=owner, person=secret, label="Wedding day", month=2, day=25)
    far = person_create(actor=owner, first_name="Far", last_name="Away")
    person_date_add(actor=owner, person=far, label="Birthday", month=6, day=1)

    mine = dates_ahead(owner)
    assert [(d.on, d.label) for d in mine] == [
        (date(2027, 2, 25), "Wedding day"),
        (date(2027, 2, 28), "4 years a customer"),
        (date(2027, 3, 1), "Birthday"),
    ]
    assert mine[2].years == 47
    assert [d.label for d in dates_ahead(outsider)] == ["4 years a customer", "Birthday"]

    html = client.get(reverse("web:today")).content.decode()
    assert "Dates for a personal touch" in html and "4 years a customer" in html
    feed = calendar_feed_for(user=outsider)
    ics = client.get(reverse("engagement:calendar_feed", args=[feed.token])).content.decode()
    assert "4 years a customer — Old Friends Ltd" in ics and "Sid Secret" not in ics


def test_a_date_that_does_not_exist_is_refused(owner):
    person = person_create(actor=owner, first_name="Ann", last_name="Able")
    with pytest.raises(ValidationError) as exc:
        person_date_add(actor=owner, person=person, label="Birthday", month=2, day=30)
    assert "day" in exc.value.message_dict
    assert person_date_add(actor=owner, person=person, label="Leap", month=2, day=29).pk


def test_a_person_page_adds_and_removes_a_date(owner_client, owner):
    person = person_create(actor=owner, first_name="Ann", last_name="Able")
    url = reverse("aftercare:person_date_add", args=[person.pk])
    assert (
        owner_client.post(url, {"label": "Birthday", "day": "31", "month": "4"}).status_code == 302
    )
    owner_client.post(url, {"label": "Birthday", "day": "3", "month": "4"})
    html = owner_client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert "Their dates" in html and "3/4" in html and "31/4" not in html


@pytest.mark.parametrize(
    ("today", "since", "on"),
    [
        (date(2026, 12, 25), date(2020, 1, 3), date(2027, 1, 3)),  # across the new year
        (date(2027, 2, 14), date(2020, 2, 29), date(2027, 2, 28)),  # 29 February, ends the 28th
        (date(2027, 3, 1), date(2019, 3, 15), date(2027, 3, 15)),
    ],
)
def test_anniversaries_are_found_in_any_window(owner, today, since, on):
    company = company_create(actor=owner, name="Anniversary Ltd")
    company_update(actor=owner, company=company, relationship=Relationship.CUSTOMER,
                   customer_since=since)  # fmt: skip
    outside = company_create(actor=owner, name="Not Yet Ltd")
    company_update(actor=owner, company=outside, relationship=Relationship.CUSTOMER,
                   customer_since=since + timedelta(days=16))  # fmt: skip
    found = dates_ahead(owner, today=today)
    assert [(d.on, d.record.name) for d in found] == [(on, "Anniversary Ltd")]
