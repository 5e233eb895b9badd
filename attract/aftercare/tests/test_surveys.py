"""The exit survey's private links: one click makes one; it opens without a login, works once,
dies after 30 days or when replaced, is rate-limited, and a guessed or dead token learns
nothing. Answers fill the customer's reason beside our guess."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from attract.aftercare.departure_services import departure_record
from attract.aftercare.models import Departure, SurveyLink
from attract.aftercare.survey_services import survey_link_create
from attract.aftercare.tests.departure_factories import make_customer

pytestmark = pytest.mark.django_db
ANSWER = {"reason": "indifference", "could_have_done": "Call us now and then",
          "would_return": "maybe", "may_contact": "yes"}  # fmt: skip


@pytest.fixture
def departure(owner):
    company = make_customer(owner)
    contact = company.persons.get()
    return departure_record(
        actor=owner, company=company, departed_on=date.today(), reason="product_price",
        contact=contact,
    )  # fmt: skip


def _url(raw: str) -> str:
    return reverse("aftercare:survey", args=[raw])


def test_one_click_makes_a_link_that_is_shown_once_and_stored_hashed(owner_client, departure):
    response = owner_client.post(reverse("aftercare:survey_link_create", args=[departure.pk]))
    assert response.status_code == 200
    link = SurveyLink.objects.get()
    url = response.context["url"]
    raw = url.rstrip("/").rsplit("/", 1)[1]
    assert len(raw) >= 43 and raw not in link.token_hash
    assert (link.expires_at - link.created_at) == timedelta(days=30)
    page = Client().get(url)
    assert page.status_code == 200
    assert b"Why did you leave?" in page.content
    # Nothing about the customer or the CRM is on the customer's page.
    assert departure.company.name.encode() not in page.content
    assert b"Dana" not in page.content and b"main-nav" not in page.content


@override_settings(ATTRACT_BUSINESS_NAME="Hearth & Home")
def test_the_answer_fills_their_reason_beside_our_guess_and_the_link_then_dies(departure, owner):
    link, raw = survey_link_create(actor=owner, departure=departure)
    visitor = Client()
    page = visitor.get(_url(raw))
    assert "Hearth &amp; Home would like to hear from you" in page.content.decode()
    response = visitor.post(_url(raw), ANSWER)
    assert response.status_code == 302 and response["Location"] == reverse(
        "aftercare:survey_thanks"
    )
    departure.refresh_from_db()
    assert departure.reason == "product_price"  # our guess, kept
    assert departure.customer_reason == "indifference"
    assert departure.customer_would_return == "maybe" and departure.customer_may_contact is True
    assert departure.answered_at is not None
    # Posted twice: the second post changes nothing and says the link is dead.
    again = visitor.post(_url(raw), {**ANSWER, "reason": "moved"})
    assert again.status_code == 404
    departure.refresh_from_db()
    assert departure.customer_reason == "indifference"
    assert visitor.get(_url(raw)).status_code == 404


def test_expired_guessed_replaced_and_other_customers_tokens_all_look_alike(owner, departure):
    _, old = survey_link_create(actor=owner, departure=departure)
    _, current = survey_link_create(actor=owner, departure=departure)  # replaces the first
    other_company = make_customer(owner, name="Other Firm", contact=False)
    other = departure_record(
        actor=owner, company=other_company, departed_on=date.today(), reason="moved"
    )
    _, others = survey_link_create(actor=owner, departure=other)
    visitor = Client()
    mistyped = current[:-1] + ("B" if current.endswith("A") else "A")  # one letter off
    dead = [visitor.get(_url(t)) for t in (old, "x" * 43, mistyped)]
    assert {r.status_code for r in dead[:3]} == {404}
    bodies = {r.content for r in dead[:3]}
    assert len(bodies) == 1  # the same page, whatever the reason
    # Another customer's token answers for that customer only.
    visitor.post(_url(others), ANSWER)
    departure.refresh_from_db()
    other.refresh_from_db()
    assert departure.customer_reason == "" and other.customer_reason == "indifference"
    with time_machine.travel(date.today() + timedelta(days=31)):
        assert Client().get(_url(current)).status_code == 404


def test_a_huge_answer_is_refused_at_its_field_and_nothing_is_stored(owner, departure):
    _, raw = survey_link_create(actor=owner, departure=departure)
    response = Client().post(_url(raw), {**ANSWER, "could_have_done": "x" * 100_000})
    assert response.status_code == 200
    assert "at most 5000 characters" in response.content.decode().replace(",", "")
    departure.refresh_from_db()
    assert departure.answered_at is None
    assert SurveyLink.objects.get().used_at is None


@override_settings(ATTRACT_SURVEY_FAILURES_LIMIT=3)
def test_guessing_is_rate_limited_per_address(owner, departure):
    _, raw = survey_link_create(actor=owner, departure=departure)
    visitor = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(3):
        assert visitor.get(_url(f"guess{n}" * 6)).status_code == 404
    assert visitor.get(_url(raw)).status_code == 429  # even the right one, for a while
    assert Client(REMOTE_ADDR="198.51.100.4").get(_url(raw)).status_code == 200


def test_the_link_is_emailed_when_asked_and_a_viewer_cannot_make_one(
    owner_client, viewer_client, departure
):
    url = reverse("aftercare:survey_link_create", args=[departure.pk])
    assert viewer_client.post(url).status_code == 403
    response = owner_client.post(url, {"email": "1"})
    assert response.context["emailed"] == "dana@loyalbakery.example"
    assert len(mail.outbox) == 1 and response.context["url"] in mail.outbox[0].body


def test_an_answered_departure_gets_no_new_link(owner_client, owner, departure):
    Departure.objects.filter(pk=departure.pk).update(customer_reason="moved")
    departure.refresh_from_db()
    departure.answered_at = departure.updated_at
    departure.save()
    response = owner_client.post(
        reverse("aftercare:survey_link_create", args=[departure.pk]), follow=True
    )
    assert "already answered" in response.content.decode()
    assert not SurveyLink.objects.exists()
