"""No input makes a 500: NUL characters, huge numbers, nulls and wrong JSON types each get a
422 that names the field, on SQLite and PostgreSQL, and the schema lists those answers."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from attract.accounts.services import api_token_create
from attract.people.tests.factories import CompanyFactory, PersonFactory
from attract.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.fixture
def api(owner) -> Client:
    _, raw = api_token_create(user=owner, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _send(api: Client, method: str, path: str, body) -> object:
    return getattr(api, method)(f"/api/v1{path}", json.dumps(body), content_type="application/json")


def _fields(response) -> list[str]:
    assert response.status_code == 422, response.content
    return [error["field"] for error in response.json()["detail"]]


@pytest.mark.parametrize("path", ["/persons", "/companies", "/deals"])
def test_a_nul_character_in_a_search_is_refused_at_its_field(api, path):
    assert _fields(api.get(f"/api/v1{path}", {"search": "ab\x00c"})) == ["search"]


def test_a_nul_character_in_a_body_field_is_refused_at_its_field(api):
    assert _fields(_send(api, "post", "/companies", {"name": "Acme\x00"})) == ["name"]
    assert _fields(
        _send(api, "post", "/persons", {"first_name": "A", "emails": ["a\x00@b.c"]})
    ) == ["emails.0"]


@pytest.mark.parametrize("path", ["/persons", "/companies", "/deals", "/push-pull"])
def test_a_huge_offset_is_refused_at_its_field(api, path):
    assert _fields(api.get(f"/api/v1{path}", {"offset": HUGE})) == ["offset"]


def test_a_negative_limit_on_the_push_pull_list_is_refused(api):
    assert _fields(api.get("/api/v1/push-pull", {"limit": "-1"})) == ["limit"]


def test_a_huge_id_is_refused_not_a_server_error(api):
    assert _fields(api.get(f"/api/v1/persons/{HUGE}")) == ["person_id"]
    assert _fields(_send(api, "post", "/deals", {"title": "Big", "company": int(HUGE)})) == [
        "company"
    ]


def test_null_clears_an_optional_text_field(api, owner):
    company = CompanyFactory(owner=owner, street="1 Rue")
    response = _send(api, "patch", f"/companies/{company.pk}", {"street": None})
    assert response.status_code == 200 and response.json()["street"] == ""
    deal = DealFactory(owner=owner, pain="Churn")
    response = _send(api, "patch", f"/deals/{deal.pk}", {"pain": None})
    assert response.status_code == 200 and response.json()["pain"] == ""
    person = PersonFactory(owner=owner, job_title="CTO")
    response = _send(api, "patch", f"/persons/{person.pk}", {"job_title": None})
    assert response.status_code == 200 and response.json()["job_title"] == ""


def test_null_for_a_required_text_field_says_what_is_missing(api, owner):
    person = PersonFactory(owner=owner)
    response = _send(api, "patch", f"/persons/{person.pk}", {"first_name": None, "last_name": None})
    assert _fields(response) == ["first_name"]
    assert "Someone changed" not in response.content.decode()
    company = CompanyFactory(owner=owner)
    assert _fields(_send(api, "patch", f"/companies/{company.pk}", {"name": None})) == ["name"]


@pytest.mark.parametrize("body", [5, "text", [1, 2], None])
def test_a_body_of_the_wrong_type_is_refused(api, body):
    assert _send(api, "post", "/persons", body).status_code == 422


def test_the_schema_lists_the_errors_an_operation_gives(api):
    schema = api.get("/api/v1/openapi.json").json()
    patch = schema["paths"]["/api/v1/persons/{person_id}"]["patch"]["responses"]
    assert {"200", "400", "401", "403", "404", "409", "422"} <= set(patch)
    listing = schema["paths"]["/api/v1/persons"]["get"]["responses"]
    assert {"200", "401", "422"} <= set(listing) and "409" not in listing
    assert "FieldErrorsOut" in schema["components"]["schemas"]


def test_a_page_asked_for_with_a_nul_character_answers_400_not_a_server_error(owner_client):
    assert owner_client.get("/people/", {"q": "ab\x00"}).status_code == 400
    assert owner_client.get("/companies/suggest/", {"q": "a\x00"}).status_code == 400
    assert owner_client.get("/people/", {"q": "ab"}).status_code == 200
