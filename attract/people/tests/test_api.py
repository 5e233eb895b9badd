"""The companies and persons REST API at /api/v1/, driven with real Bearer tokens."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from attract.accounts.services import api_token_create
from attract.people.models import Company, EmailAddress, Person, Relationship
from attract.people.services import company_trash, person_trash
from attract.people.tests.factories import (
    CompanyFactory,
    EmailAddressFactory,
    PersonFactory,
    PhoneNumberFactory,
)

pytestmark = pytest.mark.django_db


class ApiClient:
    """A test client that sends a user's API token and JSON bodies."""

    def __init__(self, user) -> None:
        _, raw = api_token_create(user=user, name="tests")
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params)

    def post(self, path: str, data: dict | None = None):
        return self.client.post(
            f"/api/v1{path}", json.dumps(data or {}), content_type="application/json"
        )

    def patch(self, path: str, data: dict | None = None):
        return self.client.patch(
            f"/api/v1{path}", json.dumps(data or {}), content_type="application/json"
        )

    def delete(self, path: str):
        return self.client.delete(f"/api/v1{path}")


@pytest.fixture
def owner_api(owner) -> ApiClient:
    return ApiClient(owner)


@pytest.fixture
def teammate_api(teammate) -> ApiClient:
    return ApiClient(teammate)


@pytest.fixture
def outsider_api(outsider) -> ApiClient:
    return ApiClient(outsider)


@pytest.fixture
def viewer_api(viewer) -> ApiClient:
    return ApiClient(viewer)


def errors(response) -> dict[str, list[str]]:
    """The 422 body as {field: [messages]}, asserting its documented shape on the way."""
    assert response.status_code == 422, response.content
    found: dict[str, list[str]] = {}
    for item in response.json()["detail"]:
        assert set(item) == {"field", "message"}
        assert item["message"]
        found.setdefault(item["field"], []).append(item["message"])
    return found


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item.get("full_name") or item.get("name") for item in response.json()["items"]]


# --- Persons: create, read, change, trash, restore -----------------------------------------


def test_owner_creates_a_person_and_reads_it_back(owner, owner_api):
    company = CompanyFactory(owner=owner, name="Acme")

    created = owner_api.post(
        "/persons",
        {
            "first_name": " Ann ",
            "last_name": "Lee",
            "job_title": "Buyer",
            "company": company.pk,
            "emails": ["Ann.Lee@Example.COM", "ann@home.example"],
            "phones": ["+44 20 7946 0958"],
            "tags": ["VIP", "met at fair"],
        },
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["first_name"] == "Ann"
    assert body["full_name"] == "Ann Lee"
    assert body["company"] == company.pk
    assert body["company_name"] == "Acme"
    assert body["owner"] == owner.pk
    assert body["emails"] == ["ann.lee@example.com", "ann@home.example"]
    assert body["phones"] == ["+442079460958"]
    assert sorted(body["tags"]) == ["VIP", "met at fair"]
    assert body["created_at"] and body["updated_at"]
    assert body["deleted_at"] is None
    assert owner_api.get(f"/persons/{body['id']}").json() == body
    # The change history names the token's user.
    history = Person.objects.get(pk=body["id"]).history.all()
    assert history and {entry.history_user for entry in history} == {owner}


def test_patch_changes_only_the_fields_sent(owner, owner_api):
    person = PersonFactory(owner=owner, first_name="Ann", last_name="Lee", job_title="Buyer")
    EmailAddressFactory(person=person, email="ann@example.com")

    response = owner_api.patch(
        f"/persons/{person.pk}", {"job_title": "Head of buying", "phones": ["+1 212 555 0100"]}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["job_title"] == "Head of buying"
    assert body["first_name"] == "Ann"
    assert body["emails"] == ["ann@example.com"]
    assert body["phones"] == ["+12125550100"]
    person.refresh_from_db()
    assert person.job_title == "Head of buying"


def test_patch_can_take_a_person_away_from_their_company(owner, owner_api):
    person = PersonFactory(owner=owner, company=CompanyFactory(owner=owner))

    response = owner_api.patch(f"/persons/{person.pk}", {"company": None})

    assert response.json()["company"] is None
    person.refresh_from_db()
    assert person.company is None


def test_delete_moves_a_person_to_the_trash_and_restore_brings_it_back(owner, owner_api):
    person = PersonFactory(owner=owner, first_name="Ann", last_name="Lee")

    deleted = owner_api.delete(f"/persons/{person.pk}")

    assert deleted.status_code == 204
    assert deleted.content == b""
    assert Person.all_objects.get(pk=person.pk).in_trash
    assert owner_api.get(f"/persons/{person.pk}").status_code == 404
    assert names(owner_api.get("/persons")) == []

    restored = owner_api.post(f"/persons/{person.pk}/restore")

    assert restored.status_code == 200
    assert restored.json()["deleted_at"] is None
    assert names(owner_api.get("/persons")) == ["Ann Lee"]


def test_teammate_can_change_a_shared_person(owner, teammate_api):
    person = PersonFactory(owner=owner, first_name="Ann")

    response = teammate_api.patch(f"/persons/{person.pk}", {"first_name": "Anne"})

    assert response.status_code == 200
    assert Person.objects.get(pk=person.pk).first_name == "Anne"


# --- Persons: lists -------------------------------------------------------------------------


def test_person_list_filters_by_search_owner_tag_company_and_relationship(
    owner, teammate, owner_api
):
    customer = CompanyFactory(owner=owner, name="Acme", relationship=Relationship.CUSTOMER)
    ann = PersonFactory(owner=owner, first_name="Ann", last_name="Lee", company=customer)
    ann.tags.create(name="vip")
    EmailAddressFactory(person=ann, email="ann@acme.example")
    PersonFactory(owner=teammate, first_name="Bob", last_name="Leeds")
    PersonFactory(owner=teammate, first_name="Cy", last_name="Young")

    assert names(owner_api.get("/persons", search="lee")) == ["Ann Lee", "Bob Leeds"]
    assert names(owner_api.get("/persons", search="ann@acme")) == ["Ann Lee"]
    assert names(owner_api.get("/persons", owner=teammate.pk)) == ["Bob Leeds", "Cy Young"]
    assert names(owner_api.get("/persons", tag="VIP")) == ["Ann Lee"]
    assert names(owner_api.get("/persons", company=customer.pk)) == ["Ann Lee"]
    assert names(owner_api.get("/persons", relationship="customer")) == ["Ann Lee"]
    assert names(owner_api.get("/persons", relationship="partner")) == []


def test_person_list_sorts_by_name_and_by_creation(owner, owner_api):
    now = timezone.now()
    PersonFactory(owner=owner, first_name="Cy", last_name="", created_at=now - timedelta(days=3))
    PersonFactory(owner=owner, first_name="Ann", last_name="", created_at=now - timedelta(days=1))
    PersonFactory(owner=owner, first_name="Bob", last_name="", created_at=now - timedelta(days=2))

    assert names(owner_api.get("/persons")) == ["Ann", "Bob", "Cy"]
    assert names(owner_api.get("/persons", sort="-name")) == ["Cy", "Bob", "Ann"]
    assert names(owner_api.get("/persons", sort="-created")) == ["Ann", "Bob", "Cy"]
    assert names(owner_api.get("/persons", sort="created")) == ["Cy", "Bob", "Ann"]


def test_person_list_sorts_by_company_name(owner, owner_api):
    PersonFactory(owner=owner, first_name="Ann", company=CompanyFactory(owner=owner, name="Zed"))
    PersonFactory(owner=owner, first_name="Bob", company=CompanyFactory(owner=owner, name="Alpha"))

    assert [p["first_name"] for p in owner_api.get("/persons", sort="company").json()["items"]] == [
        "Bob",
        "Ann",
    ]


def test_person_list_pages_with_limit_and_offset(owner, owner_api):
    for letter in "ABCDE":
        PersonFactory(owner=owner, first_name=letter, last_name="")

    page = owner_api.get("/persons", limit=2, offset=2)

    assert page.json()["count"] == 5
    assert names(page) == ["C", "D"]
    assert names(owner_api.get("/persons", limit=2, offset=4)) == ["E"]


def test_person_list_refuses_a_page_larger_than_200(owner_api):
    assert "limit" in errors(owner_api.get("/persons", limit=201))
    assert "limit" in errors(owner_api.get("/persons", limit=0))


def test_person_list_refuses_an_unknown_sort_or_relationship(owner_api):
    found = errors(owner_api.get("/persons", sort="salary", relationship="friend"))
    assert set(found) == {"sort", "relationship"}


@pytest.mark.parametrize("rows", [3, 30])
def test_person_list_takes_the_same_number_of_queries_for_any_page_size(
    owner, owner_api, django_assert_num_queries, rows
):
    company = CompanyFactory(owner=owner)
    for _ in range(rows):
        person = PersonFactory(owner=owner, company=company)
        person.tags.create(name=f"tag {person.pk}")
        EmailAddressFactory(person=person)
        PhoneNumberFactory(person=person)
    owner_api.get("/persons")  # marks the token as used, a write made once a minute

    # token, count, page, then the tags, emails and phones of the whole page
    with django_assert_num_queries(6):
        response = owner_api.get("/persons")

    assert len(response.json()["items"]) == rows
    assert all(
        item["emails"] and item["phones"] and item["tags"] for item in response.json()["items"]
    )


# --- Persons: access --------------------------------------------------------------------------


def test_someone_elses_private_person_is_not_found_and_never_listed(
    owner, outsider, outsider_api, owner_api
):
    secret = PersonFactory(owner=owner, first_name="Secret", last_name="Lee", is_private=True)
    PersonFactory(owner=owner, first_name="Open", last_name="Lee")

    assert names(outsider_api.get("/persons", search="lee")) == ["Open Lee"]
    assert outsider_api.get("/persons", owner=owner.pk).json()["count"] == 1
    assert outsider_api.get(f"/persons/{secret.pk}").status_code == 404
    assert outsider_api.patch(f"/persons/{secret.pk}", {"first_name": "X"}).status_code == 404
    assert outsider_api.delete(f"/persons/{secret.pk}").status_code == 404
    person_trash(actor=owner, person=secret)
    assert outsider_api.post(f"/persons/{secret.pk}/restore").status_code == 404
    secret = Person.all_objects.get(pk=secret.pk)
    assert secret.first_name == "Secret" and secret.in_trash
    assert names(owner_api.get("/persons", search="lee")) == ["Open Lee"]


def test_a_shared_person_does_not_reveal_someone_elses_private_company(owner, outsider_api):
    hidden = CompanyFactory(owner=owner, name="Hidden Ltd", is_private=True)
    person = PersonFactory(owner=owner, company=hidden)

    body = outsider_api.get(f"/persons/{person.pk}").json()

    assert body["company"] is None
    assert body["company_name"] is None
    assert "Hidden" not in json.dumps(outsider_api.get("/persons").json())


def test_filtering_by_someone_elses_private_company_finds_no_one(owner, outsider_api):
    hidden = CompanyFactory(owner=owner, name="Hidden Ltd", is_private=True)
    PersonFactory(owner=owner, company=hidden, first_name="Shared")
    PersonFactory(owner=owner, first_name="Elsewhere")

    body = outsider_api.get("/persons", company=hidden.pk).json()

    assert body["count"] == 0 and body["items"] == []


def test_viewer_reads_persons_but_cannot_write_them(owner, viewer_api):
    person = PersonFactory(owner=owner, first_name="Ann", last_name="Lee")
    person_trash(actor=owner, person=PersonFactory(owner=owner, first_name="Gone"))
    trashed = Person.all_objects.get(first_name="Gone")

    assert names(viewer_api.get("/persons")) == ["Ann Lee"]
    assert viewer_api.get(f"/persons/{person.pk}").status_code == 200
    assert viewer_api.post("/persons", {"first_name": "New"}).status_code == 403
    assert viewer_api.patch(f"/persons/{person.pk}", {"first_name": "X"}).status_code == 403
    assert viewer_api.delete(f"/persons/{person.pk}").status_code == 403
    assert viewer_api.post(f"/persons/{trashed.pk}/restore").status_code == 403

    assert list(Person.objects.values_list("first_name", flat=True)) == ["Ann"]
    assert Person.all_objects.get(pk=trashed.pk).in_trash


def test_viewer_gets_403_even_for_an_invalid_body(viewer_api):
    response = viewer_api.post("/persons", {"emails": "not a list", "is_private": "maybe"})

    assert response.status_code == 403
    assert Person.all_objects.count() == 0


# --- Persons: bad input -----------------------------------------------------------------------


def test_invalid_email_is_refused(owner_api):
    found = errors(owner_api.post("/persons", {"first_name": "Ann", "emails": ["ann@"]}))

    assert set(found) == {"emails"}
    assert "not a valid email address" in found["emails"][0]
    assert Person.all_objects.count() == 0


def test_invalid_phone_is_refused(owner_api):
    found = errors(owner_api.post("/persons", {"first_name": "Ann", "phones": ["call me"]}))

    assert set(found) == {"phones"}
    assert "not a phone number" in found["phones"][0]
    assert Person.all_objects.count() == 0


def test_a_10000_character_name_is_refused(owner, owner_api):
    person = PersonFactory(owner=owner, first_name="Ann")

    assert "first_name" in errors(owner_api.post("/persons", {"first_name": "x" * 10_000}))
    assert "last_name" in errors(
        owner_api.patch(f"/persons/{person.pk}", {"last_name": "x" * 10_000})
    )
    assert Person.objects.get().first_name == "Ann"


def test_an_email_that_belongs_to_another_person_is_refused(owner, owner_api):
    EmailAddressFactory(
        person=PersonFactory(owner=owner, first_name="Ann"), email="ann@example.com"
    )

    found = errors(owner_api.post("/persons", {"first_name": "Bob", "emails": ["ANN@example.com"]}))

    assert "already belongs to" in found["emails"][0]
    assert EmailAddress.objects.count() == 1


def test_a_person_needs_a_first_or_last_name(owner_api):
    assert set(errors(owner_api.post("/persons", {"job_title": "Buyer"}))) == {"first_name"}
    assert Person.all_objects.count() == 0


def test_an_unknown_or_invisible_company_is_refused_with_the_same_message(owner, outsider_api):
    private = CompanyFactory(owner=owner, is_private=True)

    unknown = errors(outsider_api.post("/persons", {"first_name": "Ann", "company": 999_999}))
    invisible = errors(outsider_api.post("/persons", {"first_name": "Ann", "company": private.pk}))

    assert set(unknown) == set(invisible) == {"company"}
    assert unknown["company"][0].replace("999999", "N") == invisible["company"][0].replace(
        str(private.pk), "N"
    )
    assert Person.all_objects.count() == 0


def test_an_unknown_owner_is_refused(owner_api):
    assert set(errors(owner_api.post("/persons", {"first_name": "Ann", "owner": 999_999}))) == {
        "owner"
    }


def test_wrong_types_are_refused_with_their_fields(owner_api):
    found = errors(
        owner_api.post(
            "/persons",
            {
                "first_name": "Ann",
                "is_private": "maybe",
                "emails": "ann@example.com",
                "company": "x",
            },
        )
    )

    assert set(found) == {"is_private", "emails", "company"}
    assert Person.all_objects.count() == 0


def test_a_malformed_id_in_the_path_is_refused_with_its_field(owner_api):
    assert set(errors(owner_api.get("/persons/abc"))) == {"person_id"}


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/persons/999999"),
        ("patch", "/persons/999999"),
        ("delete", "/persons/999999"),
        ("post", "/persons/999999/restore"),
        ("get", "/companies/999999"),
        ("patch", "/companies/999999"),
        ("delete", "/companies/999999"),
        ("post", "/companies/999999/restore"),
    ],
)
def test_unknown_ids_answer_404(owner_api, method, path):
    response = getattr(owner_api, method)(path)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


# --- Companies ------------------------------------------------------------------------------


def test_owner_creates_a_company_and_reads_it_back(owner, owner_api):
    created = owner_api.post(
        "/companies",
        {
            "name": "Acme",
            "website": "https://acme.example",
            "size": "11-50",
            "city": "Leeds",
            "relationship": "partner",
            "tags": ["wholesale"],
        },
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["name"] == "Acme"
    assert body["relationship"] == "partner"
    assert body["owner"] == owner.pk
    assert body["tags"] == ["wholesale"]
    assert owner_api.get(f"/companies/{body['id']}").json() == body


def test_patching_a_company_to_customer_records_since_when(owner, owner_api):
    company = CompanyFactory(owner=owner)

    body = owner_api.patch(f"/companies/{company.pk}", {"relationship": "customer"}).json()

    assert body["relationship"] == "customer"
    assert body["customer_since"] == timezone.localdate().isoformat()


def test_delete_moves_a_company_to_the_trash_and_restore_brings_it_back(owner, owner_api):
    company = CompanyFactory(owner=owner, name="Acme")

    assert owner_api.delete(f"/companies/{company.pk}").status_code == 204
    assert Company.all_objects.get(pk=company.pk).in_trash
    assert names(owner_api.get("/companies")) == []

    assert owner_api.post(f"/companies/{company.pk}/restore").status_code == 200
    assert names(owner_api.get("/companies")) == ["Acme"]


def test_company_list_filters_and_sorts(owner, teammate, owner_api):
    acme = CompanyFactory(owner=owner, name="Acme", relationship=Relationship.CUSTOMER)
    acme.tags.create(name="wholesale")
    CompanyFactory(owner=teammate, name="Acme North", relationship=Relationship.PARTNER)
    CompanyFactory(owner=teammate, name="Zenith")

    assert names(owner_api.get("/companies", search="acme")) == ["Acme", "Acme North"]
    assert names(owner_api.get("/companies", owner=teammate.pk)) == ["Acme North", "Zenith"]
    assert names(owner_api.get("/companies", tag="Wholesale")) == ["Acme"]
    assert names(owner_api.get("/companies", relationship="partner")) == ["Acme North"]
    assert names(owner_api.get("/companies", sort="-name")) == ["Zenith", "Acme North", "Acme"]
    assert names(owner_api.get("/companies", sort="relationship")) == [
        "Acme",  # customer
        "Acme North",  # partner
        "Zenith",  # prospect
    ]
    page = owner_api.get("/companies", limit=1, offset=1)
    assert page.json()["count"] == 3
    assert names(page) == ["Acme North"]


@pytest.mark.parametrize("rows", [3, 30])
def test_company_list_takes_the_same_number_of_queries_for_any_page_size(
    owner, owner_api, django_assert_num_queries, rows
):
    for _ in range(rows):
        company = CompanyFactory(owner=owner)
        company.tags.create(name=f"tag {company.pk}")
    owner_api.get("/companies")

    # token, count, page, tags
    with django_assert_num_queries(4):
        response = owner_api.get("/companies")

    assert len(response.json()["items"]) == rows


def test_someone_elses_private_company_is_not_found_and_never_listed(owner, outsider_api):
    secret = CompanyFactory(owner=owner, name="Secret Co", is_private=True)
    CompanyFactory(owner=owner, name="Open Co")

    assert names(outsider_api.get("/companies")) == ["Open Co"]
    assert outsider_api.get(f"/companies/{secret.pk}").status_code == 404
    assert outsider_api.patch(f"/companies/{secret.pk}", {"name": "Mine"}).status_code == 404
    assert outsider_api.delete(f"/companies/{secret.pk}").status_code == 404
    company_trash(actor=owner, company=secret)
    assert outsider_api.post(f"/companies/{secret.pk}/restore").status_code == 404
    assert Company.all_objects.get(pk=secret.pk).name == "Secret Co"


def test_viewer_cannot_write_companies(owner, viewer_api):
    company = CompanyFactory(owner=owner, name="Acme")

    assert viewer_api.get(f"/companies/{company.pk}").status_code == 200
    assert viewer_api.post("/companies", {"name": "New"}).status_code == 403
    assert viewer_api.patch(f"/companies/{company.pk}", {"name": "X"}).status_code == 403
    assert viewer_api.delete(f"/companies/{company.pk}").status_code == 403
    assert viewer_api.post(f"/companies/{company.pk}/restore").status_code == 403
    assert list(Company.all_objects.values_list("name", "deleted_at")) == [("Acme", None)]


def test_company_bad_input_is_refused_with_its_fields(owner, owner_api):
    company = CompanyFactory(owner=owner, name="Acme")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    assert set(errors(owner_api.post("/companies", {"city": "Leeds"}))) == {"name"}
    assert set(errors(owner_api.post("/companies", {"name": "x" * 10_000}))) == {"name"}
    assert set(errors(owner_api.post("/companies", {"name": "A", "relationship": "friend"}))) == {
        "relationship"
    }
    assert set(errors(owner_api.post("/companies", {"name": "A", "size": "huge"}))) == {"size"}
    assert set(
        errors(owner_api.patch(f"/companies/{company.pk}", {"customer_since": tomorrow}))
    ) == {"customer_since"}
    assert set(errors(owner_api.patch(f"/companies/{company.pk}", {"name": ""}))) == {"name"}
    assert list(Company.objects.values_list("name", flat=True)) == ["Acme"]
