"""The initiatives and topics REST API, driven with real Bearer tokens."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from attract.partners import initiative_services as services
from attract.partners.tests.factories import make_partner
from attract.people.services import person_create
from attract.people.tests.test_api import ApiClient
from attract.pipeline.services import deal_create, deal_win

pytestmark = pytest.mark.django_db


def test_create_rank_and_read_an_initiative(owner):
    api = ApiClient(owner)
    partner = make_partner(owner, name="Bright")
    topic = api.post("/topics", {"name": "Cash flow"}).json()
    today = timezone.localdate().isoformat()
    body = {"title": "Webinar", "kind": "seminar", "held_on": today, "our_role": "speaker",
            "partners": [partner.pk], "topic": topic["id"], "audience": 80}  # fmt: skip
    first = api.post("/initiatives", body)
    assert first.status_code == 201, first.content
    second = api.post("/initiatives", {**body, "title": "Offer", "kind": "host_beneficiary",
                                       "our_role": "beneficiary"})  # fmt: skip
    assert second.status_code == 201, second.content
    person = person_create(actor=owner, first_name="Ann")
    added = api.post(f"/initiatives/{second.json()['id']}/people", {"person": person.pk})
    assert added.status_code == 201 and added.json()["people_count"] == 1
    deal = deal_create(actor=owner, title="Ann's", contact=person, revenue=Decimal("500"))
    deal_win(actor=owner, deal=deal)
    listed = api.get("/initiatives").json()
    assert [i["title"] for i in listed["items"]] == ["Offer", "Webinar"]
    assert Decimal(listed["items"][0]["won_profit"]) == Decimal("500")
    assert api.get("/topics").json()[0]["initiative_count"] == 2


def test_bad_input_and_stale_versions(owner, viewer, teammate):
    api = ApiClient(owner)
    partner = make_partner(owner)
    early = (timezone.localdate() - timedelta(days=5)).isoformat()
    body = {"title": "Too early", "kind": "seminar", "held_on": early, "our_role": "speaker",
            "partners": [partner.pk]}  # fmt: skip
    response = api.post("/initiatives", body)
    assert response.status_code == 422
    assert "cannot be dated before" in response.content.decode()
    assert api.post("/initiatives", {**body, "partners": [999999]}).status_code == 422
    assert api.post("/initiatives", {**body, "partners": []}).status_code == 422
    assert api.post("/initiatives", {**body, "held_on": "nope"}).status_code == 422
    assert api.post("/initiatives", {**body, "kind": "gala"}).status_code == 422
    initiative = services.initiative_create(
        actor=owner, partners=[partner], title="Ok", kind="feature", our_role="featured",
        held_on=timezone.localdate(),
    )  # fmt: skip
    path = f"/initiatives/{initiative.pk}"
    assert api.patch(path, {"audience": 5, "version": 1}).status_code == 200
    assert api.patch(path, {"audience": 6, "version": 1}).status_code == 409
    assert api.patch(path, {"our_role": "host"}).status_code == 422
    assert ApiClient(viewer).patch(path, {"audience": 1}).status_code == 403
    assert ApiClient(viewer).post("/topics", {"name": "X"}).status_code == 403
    assert api.delete(path).status_code == 204
    assert api.get(path).json()["in_trash"] is True
    assert api.post(f"{path}/restore", {}).status_code == 200
    assert api.get("/initiatives/999999").status_code == 404
    private = make_partner(owner, name="Secret", is_private=True)
    hidden = services.initiative_create(
        actor=owner, partners=[private], title="Hidden", kind="seminar", our_role="speaker",
        held_on=timezone.localdate(),
    )  # fmt: skip
    assert ApiClient(teammate).get(f"/initiatives/{hidden.pk}").status_code == 404


def test_topics_edit_trash_restore(owner):
    api = ApiClient(owner)
    topic = api.post("/topics", {"name": "Growth"}).json()
    assert api.post("/topics", {"name": "  "}).status_code == 422
    path = f"/topics/{topic['id']}"
    assert api.patch(path, {"name": "Growth, calmly", "version": 1}).json()["version"] == 2
    assert api.patch(path, {"name": "Stale", "version": 1}).status_code == 409
    assert api.delete(path).status_code == 204
    assert api.get("/topics").json() == []
    assert api.post(f"{path}/restore", {}).json()["name"] == "Growth, calmly"
