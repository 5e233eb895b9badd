"""The attraction plan API at /api/v1/, driven with real Bearer tokens."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from attract.accounts.services import api_token_create
from attract.attraction.models import Quality
from attract.attraction.tests.factories import (
    ExpectationFactory,
    QualityFactory,
    ThankYouNoteFactory,
)
from attract.people.tests.factories import CompanyFactory, PersonFactory

pytestmark = pytest.mark.django_db


class ApiClient:
    def __init__(self, user) -> None:
        _, raw = api_token_create(user=user, name="tests")
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def get(self, path: str):
        return self.client.get(f"/api/v1{path}")

    def send(self, method: str, path: str, data: dict | None = None):
        return getattr(self.client, method)(
            f"/api/v1{path}", json.dumps(data or {}), content_type="application/json"
        )


def test_the_owner_builds_the_three_sides_and_everyone_reads_them(owner, teammate):
    api = ApiClient(owner)
    assert api.send("post", "/plan/qualities", {"text": "Pays on time", "weight": 4}).status_code
    response = api.send(
        "post",
        "/plan/expectations",
        {
            "category": "services",
            "text": "Fast delivery",
            "metric": "delivery time",
            "value": "48",
            "unit": "hours",
            "better": "lower",
        },
    )
    assert response.status_code == 201
    assert response.json()["commitment"] == "delivery time ≤ 48 hours"
    assert api.send("patch", "/plan", {"perfect_number": 12}).status_code == 200
    plan = ApiClient(teammate).get("/plan").json()
    assert plan["perfect_number"] == 12
    assert [q["text"] for q in plan["qualities"]] == ["Pays on time"]
    assert len(plan["questions"]) == 5
    assert plan["statement"] == "I am in the process of attracting customers who pay on time."


def test_a_teammate_may_not_edit_the_plan(teammate):
    response = ApiClient(teammate).send("post", "/plan/qualities", {"text": "Kind", "weight": 3})
    assert response.status_code == 403
    assert not Quality.objects.exists()


def test_bad_weight_and_unitless_measurable_item_answer_422_with_the_field(owner):
    api = ApiClient(owner)
    weight = api.send("post", "/plan/qualities", {"text": "Kind", "weight": 9})
    assert weight.status_code == 422
    assert weight.json()["detail"][0]["field"] == "weight"
    unitless = api.send(
        "post",
        "/plan/expectations",
        {"category": "services", "text": "Fast", "value": "48", "better": "lower"},
    )
    assert unitless.status_code == 422
    assert {d["field"] for d in unitless.json()["detail"]} == {"unit"}


def test_assessing_a_company_gives_its_fit_and_mismatches(owner):
    api = ApiClient(owner)
    quality = QualityFactory(weight=2)
    item = ExpectationFactory(value=48)
    company = CompanyFactory(owner=owner)
    fit = api.send(
        "put", f"/companies/{company.pk}/assessments", {"quality": quality.pk, "answer": "yes"}
    ).json()
    assert (fit["score"], fit["share_assessed"], fit["poor_fit"]) == (100, 100, False)
    fit = api.send(
        "put", f"/companies/{company.pk}/requirements", {"expectation": item.pk, "value": "24"}
    ).json()
    assert fit["poor_fit"] is True
    assert fit["mismatches"][0]["reason"].startswith("Needs delivery time ≤ 24 hours")
    assert api.get(f"/companies/{company.pk}/fit").json()["answers"] == {str(quality.pk): "yes"}


def test_assessing_a_removed_quality_is_refused(owner):
    api = ApiClient(owner)
    quality = QualityFactory()
    api.send("delete", f"/plan/qualities/{quality.pk}")
    person = PersonFactory(owner=owner)
    response = api.send(
        "put", f"/persons/{person.pk}/assessments", {"quality": quality.pk, "answer": "yes"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "quality"


def test_someone_elses_private_company_cannot_be_assessed_or_read(owner, outsider):
    secret = CompanyFactory(owner=owner, is_private=True)
    assert ApiClient(outsider).get(f"/companies/{secret.pk}/fit").status_code == 404


def test_a_viewer_cannot_assess(owner, viewer):
    company = CompanyFactory(owner=owner)
    quality = QualityFactory()
    response = ApiClient(viewer).send(
        "put", f"/companies/{company.pk}/assessments", {"quality": quality.pk, "answer": "no"}
    )
    assert response.status_code == 403


def test_thank_you_notes_reach_only_their_author_through_the_api(owner, teammate):
    mine = ApiClient(teammate).send("post", "/thank-you-notes", {"text": "Thanks, Ada"})
    assert mine.status_code == 201
    note_id = mine.json()["id"]
    ThankYouNoteFactory(author=owner, text="The owner's own note")
    assert [n["text"] for n in ApiClient(teammate).get("/thank-you-notes").json()] == [
        "Thanks, Ada"
    ]
    # The owner of the installation is not the author: the note does not exist for them.
    owner_api = ApiClient(owner)
    assert [n["text"] for n in owner_api.get("/thank-you-notes").json()] == ["The owner's own note"]
    assert owner_api.get(f"/thank-you-notes/{note_id}").status_code == 404
    assert owner_api.send("delete", f"/thank-you-notes/{note_id}").status_code == 404


def test_a_complaint_turns_into_a_quality_and_a_trait_joins_side_one(owner):
    api = ApiClient(owner)
    company = CompanyFactory(owner=owner)
    complaint = api.send(
        "post", "/complaints", {"text": "Always pays late", "company": company.pk}
    ).json()
    quality = api.send(
        "post", f"/complaints/{complaint['id']}/quality", {"text": "Pays on time", "weight": 5}
    )
    assert quality.status_code == 201
    assert api.get("/complaints").json()[0]["quality"] == quality.json()["id"]
    trait = api.send("post", "/traits", {"less_than_perfect": "Rude", "opposite": "Courteous"})
    added = api.send("post", f"/traits/{trait.json()['id']}/quality", {"weight": 2})
    assert added.json()["text"] == "Courteous"


def test_revisions_are_kept_and_listed(owner):
    api = ApiClient(owner)
    QualityFactory(text="Curious")
    assert api.send("post", "/plan/revisions", {"note": "2026"}).status_code == 201
    (revision,) = api.get("/plan/revisions").json()
    assert revision["snapshot"]["qualities"] == [{"text": "Curious", "weight": 3}]


def test_the_complaints_list_gives_no_id_of_someone_elses_private_record(owner, teammate):
    hidden_company = CompanyFactory(owner=owner, is_private=True)
    hidden_person = PersonFactory(owner=owner, is_private=True)
    mine = ApiClient(owner)
    for subject in ({"company": hidden_company.pk}, {"person": hidden_person.pk}):
        assert mine.send("post", "/complaints", {"text": "Late", **subject}).status_code == 201
    listed = ApiClient(teammate).get("/complaints").json()
    assert [(c["company"], c["person"]) for c in listed] == [(None, None), (None, None)]
    own = {(c["company"], c["person"]) for c in mine.get("/complaints").json()}
    assert own == {(hidden_company.pk, None), (None, hidden_person.pk)}
