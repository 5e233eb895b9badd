"""The plan and its items are edited against the version the user saw (see core.versions)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from attract.attraction.services import plan_get, plan_update, quality_update, question_update
from attract.attraction.tests.factories import QualityFactory
from attract.attraction.tests.test_api import ApiClient

pytestmark = pytest.mark.django_db


def test_a_stale_plan_patch_answers_409_and_keeps_the_other_change(owner):
    api = ApiClient(owner)
    seen = api.get("/plan").json()["version"]
    plan_update(actor=owner, perfect_number=40)
    response = api.send("patch", "/plan", {"statement": "Mine.", "version": seen})
    assert response.status_code == 409
    body = response.json()
    assert body["current_version"] == seen + 1
    assert [c["field"] for c in body["changes"]] == ["perfect_number"]
    plan = plan_get()
    assert (plan.perfect_number, plan.statement) == (40, "")
    ok = api.send("patch", "/plan", {"statement": "Mine.", "version": seen + 1})
    assert ok.status_code == 200
    assert ok.json()["version"] == seen + 2


def test_a_stale_quality_patch_answers_409(owner):
    quality = QualityFactory(text="Pays on time", weight=3)
    api = ApiClient(owner)
    quality_update(actor=owner, quality=quality, weight=5)
    response = api.send("patch", f"/plan/qualities/{quality.pk}", {"text": "x", "version": 1})
    assert response.status_code == 409
    quality.refresh_from_db()
    assert (quality.text, quality.weight) == ("Pays on time", 5)


def test_a_stale_perfect_number_form_shows_the_change_and_keeps_the_input(owner, owner_client):
    seen = plan_get().version
    plan_update(actor=owner, perfect_number=40)
    response = owner_client.post(
        reverse("attraction:perfect_number"), {"perfect_number": 55, "version": seen}
    )
    page = response.content.decode()
    assert "Someone else changed" in page
    assert "Perfect number" in page and "40" in page
    assert 'value="55"' in page
    assert plan_get().perfect_number == 40


def test_a_stale_quality_row_keeps_the_typed_text_and_refuses_the_save(owner, owner_client):
    quality = QualityFactory(text="Pays on time", weight=3)
    quality_update(actor=owner, quality=quality, text="Pays within 30 days")
    response = owner_client.post(
        reverse("attraction:quality_change", args=[quality.pk]),
        {"text": "Pays upfront", "weight": 4, "version": 1},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert "Someone else changed this" in page
    assert 'value="Pays upfront"' in page
    assert f'name="version" value="{quality.version}"' in page
    quality.refresh_from_db()
    assert quality.text == "Pays within 30 days"


def test_a_stale_question_answer_is_refused(owner, owner_client):
    question = plan_get().questions.first()
    question_update(actor=owner, question=question, answer="Their children.")
    response = owner_client.post(
        reverse("attraction:question_change", args=[question.pk]),
        {"text": question.text, "answer": "Golf.", "version": 1},
        HTTP_HX_REQUEST="true",
    )
    assert "Golf." in response.content.decode()
    question.refresh_from_db()
    assert question.answer == "Their children."
