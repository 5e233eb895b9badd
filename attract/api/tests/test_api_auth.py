"""Who gets in to /api/v1/, how errors are shaped, and the schema and docs page that work offline."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from attract.accounts.models import ApiToken
from attract.accounts.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def assert_unauthorised(response) -> None:
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_a_valid_token_identifies_its_user(client, owner):
    _, raw = api_token_create(user=owner, name="script")

    response = client.get("/api/v1/me", **bearer(raw))

    assert response.status_code == 200
    assert response.json() == {
        "id": owner.pk,
        "email": "owner@example.com",
        "full_name": "Olivia Owner",
        "role": "owner",
    }


def test_using_a_token_records_when_it_was_last_used(client, owner):
    token, raw = api_token_create(user=owner, name="script")

    client.get("/api/v1/persons", **bearer(raw))

    token.refresh_from_db()
    assert token.last_used_at is not None
    assert (timezone.now() - token.last_used_at).total_seconds() < 60


def test_a_request_without_a_token_is_unauthorised(client, owner):
    assert_unauthorised(client.get("/api/v1/persons"))
    assert_unauthorised(client.post("/api/v1/companies", "{}", content_type="application/json"))


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer att_not-a-real-token", "Bearer someone-elses-format", "Token att_x", ""],
)
def test_a_malformed_or_unknown_token_is_unauthorised(client, owner, header):
    assert_unauthorised(client.get("/api/v1/persons", HTTP_AUTHORIZATION=header))


def test_a_revoked_token_is_unauthorised(client, owner):
    token, raw = api_token_create(user=owner, name="script")
    assert client.get("/api/v1/persons", **bearer(raw)).status_code == 200

    api_token_revoke(user=owner, token=token)

    assert_unauthorised(client.get("/api/v1/persons", **bearer(raw)))


def test_a_deactivated_users_token_is_unauthorised(client, teammate):
    _, raw = api_token_create(user=teammate, name="script")
    teammate.is_active = False
    teammate.save(update_fields=["is_active"])

    assert_unauthorised(client.get("/api/v1/persons", **bearer(raw)))
    assert ApiToken.objects.filter(user=teammate, revoked_at__isnull=True).exists()


def test_a_script_with_a_token_needs_no_csrf_token(owner):
    # CSRF protects cookie sessions; a Bearer token is not sent by a browser on its own.
    _, raw = api_token_create(user=owner, name="script")
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/api/v1/companies", '{"name": "Acme"}', content_type="application/json", **bearer(raw)
    )

    assert response.status_code == 201


def test_a_session_cookie_alone_does_not_open_the_api(owner_client):
    # The API is for scripts; a browser session must not be able to make requests for them.
    assert_unauthorised(owner_client.get("/api/v1/persons"))


@pytest.mark.parametrize(
    "method, path",
    [
        ("post", "/api/v1/persons"),
        ("patch", "/api/v1/persons/1"),
        ("delete", "/api/v1/persons/1"),
        ("post", "/api/v1/persons/1/restore"),
        ("post", "/api/v1/companies"),
        ("patch", "/api/v1/companies/1"),
        ("delete", "/api/v1/companies/1"),
        ("post", "/api/v1/companies/1/restore"),
    ],
)
def test_a_viewer_token_reads_but_every_write_answers_403(client, viewer, method, path):
    _, raw = api_token_create(user=viewer, name="dashboard")
    assert client.get("/api/v1/persons", **bearer(raw)).status_code == 200

    # Refused before the body is read, whatever the body and whether the record exists.
    response = getattr(client, method)(path, "{}", content_type="application/json", **bearer(raw))

    assert response.status_code == 403
    assert response.json() == {"detail": "Your role can read but not change records."}


def test_request_validation_errors_name_the_field_that_was_wrong(client, owner):
    _, raw = api_token_create(user=owner, name="script")

    response = client.get("/api/v1/persons?limit=lots&offset=-1", **bearer(raw))

    assert response.status_code == 422
    detail = response.json()["detail"]
    assert {item["field"] for item in detail} == {"limit", "offset"}
    assert all(set(item) == {"field", "message"} and item["message"] for item in detail)


def test_a_missing_body_is_answered_as_a_422_about_the_whole_request(client, owner):
    _, raw = api_token_create(user=owner, name="script")

    response = client.post("/api/v1/companies", "", content_type="application/json", **bearer(raw))

    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "__all__"


def test_a_body_that_is_not_json_is_a_bad_request(client, owner):
    _, raw = api_token_create(user=owner, name="script")

    response = client.post(
        "/api/v1/companies", "{name:", content_type="application/json", **bearer(raw)
    )

    assert response.status_code == 400
    assert "parse" in response.json()["detail"]


# --- Schema and docs ------------------------------------------------------------------------


def test_the_openapi_schema_lists_every_endpoint_and_the_bearer_scheme(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    assert set(paths["/api/v1/persons"]) == {"get", "post"}
    assert set(paths["/api/v1/persons/{person_id}"]) == {"get", "patch", "delete"}
    assert set(paths["/api/v1/persons/{person_id}/restore"]) == {"post"}
    assert set(paths["/api/v1/companies"]) == {"get", "post"}
    assert set(paths["/api/v1/companies/{company_id}"]) == {"get", "patch", "delete"}
    assert set(paths["/api/v1/companies/{company_id}/restore"]) == {"post"}
    assert schema["components"]["securitySchemes"] == {
        "BearerToken": {"type": "http", "scheme": "bearer"}
    }
    list_params = {p["name"] for p in paths["/api/v1/persons"]["get"]["parameters"]}
    assert {"search", "owner", "tag", "company", "relationship", "sort", "limit", "offset"} <= (
        list_params
    )


def _asset_urls(html: str) -> list[str]:
    return re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)


def test_the_docs_page_loads_without_a_token_and_only_from_this_server(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    urls = _asset_urls(html)
    assert any(url.endswith("swagger-ui-bundle.js") for url in urls)
    for url in urls:
        assert url.startswith("/static/"), f"{url} is not served by Attract itself"
        assert not re.match(r"^(https?:)?//", url)
    # The settings the page hands to Swagger UI point at our own schema, too.
    settings = json.loads(re.search(r'id="swagger-settings">(.*?)</script>', html, re.S)[1])
    assert settings["url"] == "/api/v1/openapi.json"


def test_the_docs_pages_assets_are_served(client):
    html = client.get("/api/v1/docs").content.decode()

    for url in _asset_urls(html):
        response = client.get(url)
        assert response.status_code == 200, url
