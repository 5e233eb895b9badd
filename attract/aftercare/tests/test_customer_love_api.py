"""The REST API of events, offers, visits and ideas, and a plan step's PATCH: writes that log
on the customer's timeline, 409 on a stale PATCH, 422 on bad input with nothing changed, 404
for someone else's private customer, 403 for a viewer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from attract.accounts.services import api_token_create
from attract.aftercare import customer_love_services as love
from attract.aftercare.models import CarePlanStep, Offer, Visit
from attract.aftercare.tests.factories import make_plan
from attract.engagement.models import Interaction
from attract.people.services import company_create

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='t')[1]}"}


@pytest.fixture
def shop(owner):
    return company_create(actor=owner, name="Api Shop", relationship="customer")


def test_an_offer_through_the_api_is_logged_answered_and_patched(client, owner, shop):
    auth = _auth(owner)
    made = client.post("/api/v1/offers", {"company": shop.pk, "what": "Extended warranty",
                                          "kind": "service"}, content_type="application/json", **auth)  # fmt: skip
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["customer"] == {"company": shop.pk, "person": None, "name": "Api Shop"}
    assert Interaction.objects.filter(company=shop, summary__contains="Extended warranty").exists()
    answered = client.post(f"/api/v1/offers/{body['id']}/answer", {"outcome": "declined"},
                           content_type="application/json", **auth)  # fmt: skip
    assert answered.json()["outcome"] == "declined"
    stale = client.patch(f"/api/v1/offers/{body['id']}", {"terms": "x", "version": 1},
                         content_type="application/json", **auth)  # fmt: skip
    assert stale.status_code == 409
    assert Offer.objects.get(pk=body["id"]).terms == ""


def test_bad_input_is_422_with_the_field_and_nothing_changes(client, owner, shop):
    auth = _auth(owner)
    future = (TODAY() + timedelta(days=3)).isoformat()
    response = client.post("/api/v1/visits", {"company": shop.pk, "what_we_watched": "x",
                                              "visited_on": future},
                           content_type="application/json", **auth)  # fmt: skip
    assert response.status_code == 422 and "visited_on" in str(response.json())
    response = client.post("/api/v1/offers", {"company": 999999, "what": "x"},
                           content_type="application/json", **auth)  # fmt: skip
    assert response.status_code == 422 and "company" in str(response.json())
    assert not Visit.all_objects.exists() and not Offer.all_objects.exists()


def test_an_event_with_guests_and_attendance(client, owner, shop):
    auth = _auth(owner)
    held = (TODAY() - timedelta(days=1)).isoformat()
    event = client.post("/api/v1/customer-events", {"title": "Launch", "held_on": held,
                                                    "kind": "preview"},
                        content_type="application/json", **auth).json()  # fmt: skip
    guest = client.post(f"/api/v1/customer-events/{event['id']}/guests", {"company": shop.pk},
                        content_type="application/json", **auth)  # fmt: skip
    assert guest.status_code == 201
    came = client.post(f"/api/v1/event-guests/{guest.json()['id']}/attendance", {"came": True},
                       content_type="application/json", **auth)  # fmt: skip
    assert came.json()["came"] is True
    again = client.post(f"/api/v1/customer-events/{event['id']}/guests", {"company": shop.pk},
                        content_type="application/json", **auth)  # fmt: skip
    assert again.status_code == 422
    read = client.get(f"/api/v1/customer-events/{event['id']}", **auth).json()
    assert [g["customer"]["name"] for g in read["guests"]] == ["Api Shop"]
    assert client.delete(f"/api/v1/customer-events/{event['id']}", **auth).status_code == 204
    assert client.get(f"/api/v1/customer-events/{event['id']}", **auth).status_code == 404
    restored = client.post(f"/api/v1/customer-events/{event['id']}/restore", **auth)
    assert restored.status_code == 200 and restored.json()["in_trash"] is False


def test_ideas_name_only_the_customers_the_reader_may_see(client, owner, outsider, shop):
    secret = company_create(actor=owner, name="Api Secret", relationship="customer",
                            is_private=True)  # fmt: skip
    idea = love.idea_create(actor=owner, title="Bundles", companies=[shop, secret])
    names = [c["name"] for c in client.get(f"/api/v1/ideas/{idea.pk}", **_auth(outsider))
             .json()["inspired_by"]]  # fmt: skip
    assert names == ["Api Shop"]
    offer = love.offer_make(actor=owner, company=secret, what="Secret terms")
    assert client.get(f"/api/v1/offers/{offer.pk}", **_auth(outsider)).status_code == 404


def test_a_viewer_cannot_write(client, viewer, shop):
    response = client.post("/api/v1/visits", {"company": shop.pk, "what_we_watched": "x"},
                           content_type="application/json", **_auth(viewer))  # fmt: skip
    assert response.status_code == 403
    assert not Visit.all_objects.exists()


def test_a_plan_step_patch_is_version_checked(client, owner):
    plan = make_plan(owner)
    step = CarePlanStep.objects.get(plan=plan, title="Welcome call")
    auth = _auth(owner)
    ok = client.patch(f"/api/v1/care-plan-steps/{step.pk}",
                      {"title": "Welcome visit", "version": step.version},
                      content_type="application/json", **auth)  # fmt: skip
    assert ok.status_code == 200 and ok.json()["title"] == "Welcome visit"
    stale = client.patch(f"/api/v1/care-plan-steps/{step.pk}",
                         {"title": "Hello", "version": step.version},
                         content_type="application/json", **auth)  # fmt: skip
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"
    negative = client.patch(f"/api/v1/care-plan-steps/{step.pk}", {"day": -2},
                            content_type="application/json", **auth)  # fmt: skip
    assert negative.status_code == 422
    step.refresh_from_db()
    assert (step.title, step.day) == ("Welcome visit", 1)
