"""The aftercare REST API with real Bearer tokens: departures (and their refusals), the
summary, survey links and answers, repeat purchase, testimonials and case studies (consent
and pictures), and what an outsider or a viewer may not do."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from attract.aftercare import testimonial_services as praise
from attract.aftercare.tests.departure_factories import make_customer
from attract.people.tests.test_api import ApiClient

pytestmark = pytest.mark.django_db


def test_departures_through_the_api(owner, outsider, viewer):
    api = ApiClient(owner)
    company = make_customer(owner, purchases=[(date(2025, 2, 1), "1000", "400")])
    dana = company.persons.get()
    early = api.post("/departures", {"company": company.pk, "departed_on": "2024-01-01",
                                     "reason": "moved"})  # fmt: skip
    assert early.status_code == 422 and "first purchase" in early.content.decode()
    wrong = api.post("/departures", {"company": company.pk, "departed_on": "2025-03-01",
                                     "reason": "bored"})  # fmt: skip
    assert wrong.status_code == 422
    made = api.post("/departures", {"company": company.pk, "departed_on": "2025-09-01",
                                    "reason": "competitor", "contact": dana.pk})  # fmt: skip
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["control"] == "some" and body["contact"] == "Dana Baker"
    assert body["lost_yearly_revenue"] == "1000.00" and body["answers"]["reason"] == ""
    pk = body["id"]
    assert api.patch(f"/departures/{pk}", {"version": 1, "note": "x"}).status_code == 200
    assert api.patch(f"/departures/{pk}", {"version": 1, "note": "y"}).status_code == 409
    link = api.post(f"/departures/{pk}/survey-links")
    assert link.status_code == 201 and "/care/survey/" in link.json()["url"]
    path = link.json()["url"].split("testserver", 1)[1]
    Client().post(path, {"reason": "indifference"})
    survey = api.get(f"/departures/{pk}/survey").json()
    assert survey["answers"]["reason"] == "indifference"
    assert [s["state"] for s in survey["links"]] == ["answered"]
    summary = api.get("/departures/summary", start="2025-01-01", end="2025-12-31").json()
    assert summary["total"] == 1 and summary["share_in_control"] == 100.0
    assert {r["reason"]: r["published"] for r in summary["reasons"]}["indifference"] == 68
    assert api.get("/departures", start="2025-01-01").json()["count"] == 1
    private = make_customer(owner, name="Secret", is_private=True, contact=False)
    secret = api.post("/departures", {"company": private.pk, "departed_on": "2025-09-01",
                                      "reason": "moved"}).json()["id"]  # fmt: skip
    assert ApiClient(outsider).get(f"/departures/{secret}").status_code == 404
    assert ApiClient(viewer).post(f"/departures/{pk}/survey-links").status_code == 403


def test_repeat_purchase_through_the_api(owner):
    api = ApiClient(owner)
    again = make_customer(owner, name="Again", contact=False,
                          purchases=[(date(2024, 1, 1), "100", "50"), (date(2024, 2, 1), "100", "50")])  # fmt: skip
    make_customer(owner, name="Once", contact=False, purchases=[(date(2024, 5, 1), "70", "20")])
    assert api.get(f"/companies/{again.pk}/purchases").json()["days_to_second"] == 31
    figures = api.get("/repeat-purchase").json()
    assert (figures["customers"], figures["repeat"], figures["share"]) == (2, 1, 50.0)
    once = api.get("/repeat-purchase/one-time-buyers", sort="profit").json()
    assert once["count"] == 1 and once["items"][0]["name"] == "Once"


def test_testimonials_and_case_studies_through_the_api(owner):
    api = ApiClient(owner)
    company = make_customer(owner, name="Happy Hens")
    dana = company.persons.get()
    made = api.post("/testimonials", {"company": company.pk, "person": dana.pk,
                                      "words": "Great", "consent": "none"})  # fmt: skip
    assert made.status_code == 201 and made.json()["snippet"] == ""
    pk = made.json()["id"]
    assert api.post(f"/testimonials/{pk}/publish").status_code == 422
    api.patch(f"/testimonials/{pk}", {"consent": "first_name"})
    published = api.post(f"/testimonials/{pk}/publish").json()
    assert published["attribution"] == "Dana" and published["published_at"]
    assert api.get("/testimonials/published").json() == [
        {"words": "Great", "attribution": "Dana", "said_on": published["said_on"]}
    ]
    assert api.post("/testimonials/requests", {"company": company.pk}).status_code == 201
    case = api.post("/case-studies", {"company": company.pk, "title": "T", "pain": "p",
                                      "what_we_did": "w", "result": "none"})  # fmt: skip
    assert case.status_code == 422 and "in numbers" in case.content.decode()
    case = praise.case_study_create(actor=owner, company=company, title="T", pain="p",
                                    what_we_did="w", result="+20%")  # fmt: skip
    fake = SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg")
    refused = api.client.post(f"/api/v1/case-studies/{case.pk}/image", {"image": fake})
    assert refused.status_code == 422 and "not a picture" in refused.content.decode()
    assert api.delete(f"/case-studies/{case.pk}").status_code == 204
    assert api.post(f"/case-studies/{case.pk}/restore").json()["title"] == "T"
