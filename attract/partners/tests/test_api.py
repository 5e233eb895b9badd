"""The partners REST API, driven with real Bearer tokens."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from attract.partners import services
from attract.partners.models import Partner, Referral
from attract.partners.tests.factories import make_partner
from attract.people.services import company_create, person_create
from attract.people.tests.test_api import ApiClient
from attract.pipeline.models import Outcome
from attract.pipeline.services import deal_create

pytestmark = pytest.mark.django_db


def _put(api: ApiClient, path: str, data: dict):
    return api.client.put(f"/api/v1{path}", json.dumps(data), content_type="application/json")


def test_make_a_company_a_partner_and_read_it_back(owner):
    api = ApiClient(owner)
    company = company_create(actor=owner, name="Ally Ltd")
    response = api.post(
        "/partners", {"company": company.pk, "confidence_ethics": 5, "where_we_meet": "Rotary"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Ally Ltd" and body["kind"] == "company"
    assert body["confidence_ethics"] == 5 and body["referred_out"] == 0
    listed = api.get("/partners", search="ally").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]


def test_bad_partner_input_answers_422_with_the_field(owner, outsider):
    api = ApiClient(owner)
    assert api.post("/partners", {}).status_code == 422
    company = company_create(actor=outsider, name="Theirs", is_private=True)
    response = api.post("/partners", {"company": company.pk})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "company"
    mine = company_create(actor=owner, name="Mine")
    response = api.post("/partners", {"company": mine.pk, "confidence_ability": 7})
    assert response.status_code == 422
    assert not Partner.objects.exists()


def test_patch_with_a_stale_version_is_409(owner):
    api = ApiClient(owner)
    partner = make_partner(owner)
    assert api.patch(f"/partners/{partner.pk}", {"notes": "a", "version": 1}).status_code == 200
    response = api.patch(f"/partners/{partner.pk}", {"notes": "b", "version": 1})
    assert response.status_code == 409 and response.json()["code"] == "version_conflict"


def test_lines_steps_and_trash(owner):
    api = ApiClient(owner)
    partner = make_partner(owner)
    line = api.post(f"/partners/{partner.pk}/lines", {"kind": "place", "text": "Lyon"}).json()
    marked = api.patch(f"/partner-lines/{line['id']}", {"mark": "complement", "version": 1})
    assert marked.json()["mark"] == "complement"
    step = _put(api, f"/partners/{partner.pk}/steps/getting_to_know", {"learned": "Kind people"})
    assert step.status_code == 200 and step.json()["step"] == "getting_to_know"
    body = api.get(f"/partners/{partner.pk}").json()
    assert body["alliance_step"] == "getting_to_know" and body["lines"][0]["text"] == "Lyon"
    assert api.delete(f"/partners/{partner.pk}").status_code == 204
    assert api.get("/partners").json()["count"] == 0
    assert api.post(f"/partners/{partner.pk}/restore").status_code == 200


def test_refer_a_deal_out_through_the_api(owner):
    api = ApiClient(owner)
    partner = make_partner(owner)
    deal = deal_create(actor=owner, title="Not for us", revenue=Decimal("300"))
    response = api.post(
        "/referrals", {"partner": partner.pk, "direction": "out", "deal": deal.pk, "reason": "Fit"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["value"] in ("300.00", 300.0, "300")
    deal.refresh_from_db()
    assert deal.outcome == Outcome.REFERRED_OUT
    body = api.get(f"/partners/{partner.pk}").json()
    assert body["referred_out"] == 1
    assert len(api.get(f"/partners/{partner.pk}/referrals").json()) == 1


def test_referrals_refused_for_non_partners_and_private_records(owner, outsider):
    api = ApiClient(outsider)
    partner = make_partner(owner)
    private_deal = deal_create(actor=owner, title="Secret", is_private=True)
    not_partner = company_create(actor=owner, name="Just a company")
    response = api.post("/referrals", {"partner": not_partner.pk, "direction": "out", "deal": 1})
    assert response.status_code == 422
    response = api.post(
        "/referrals", {"partner": partner.pk, "direction": "out", "deal": private_deal.pk}
    )
    assert response.status_code == 422 and "deal" in response.json()["detail"][0]["field"]
    assert not Referral.objects.exists()


def test_a_private_partner_of_another_user_is_404_and_never_listed(owner, outsider):
    partner = make_partner(owner, is_private=True)
    api = ApiClient(outsider)
    assert api.get(f"/partners/{partner.pk}").status_code == 404
    assert api.patch(f"/partners/{partner.pk}", {"notes": "x"}).status_code == 404
    assert api.get("/partners").json()["count"] == 0


def test_a_referral_names_a_private_subject_only_to_its_owner(owner, teammate):
    partner = make_partner(teammate)
    person = person_create(actor=owner, first_name="Hidden", is_private=True)
    services.referral_create(actor=owner, partner=partner, direction="in", person=person)
    seen = ApiClient(teammate).get(f"/partners/{partner.pk}/referrals").json()[0]
    assert seen["subject"] == "a private contact" and seen["person"] is None
    assert (
        ApiClient(owner).get(f"/partners/{partner.pk}/referrals").json()[0]["person"] == person.pk
    )
