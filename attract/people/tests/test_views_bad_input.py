"""Bad input through the web forms: a clear message at the field, and nothing changed."""

import pytest
from django.urls import reverse

from attract.people import services
from attract.people.models import Company, EmailAddress, Person, PhoneNumber
from attract.people.tests.factories import CompanyFactory, PersonFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("people:person_create")


def _form(**overrides) -> dict:
    data = {"first_name": "Ann", "last_name": "Lee", "emails": "", "phones": "", "owner": ""}
    data.update(overrides)
    return data


def _snapshot() -> tuple:
    return (
        list(Person.all_objects.values_list("pk", "first_name", "last_name", "job_title")),
        list(EmailAddress.objects.values_list("email", flat=True)),
        list(PhoneNumber.objects.values_list("number", flat=True)),
        list(Company.all_objects.values_list("pk", "name")),
        Person.history.count(),
    )


def _field_errors(response, field: str) -> list[str]:
    assert response.status_code == 200
    return response.context["form"].errors[field]


def test_an_invalid_email_is_refused_at_the_field(owner_client):
    before = _snapshot()

    response = owner_client.post(CREATE, _form(emails="ann@"))

    assert _field_errors(response, "emails")
    assert 'id="id_emails_errors"' in response.content.decode()
    assert _snapshot() == before


def test_an_invalid_phone_is_refused_at_the_field(owner_client):
    before = _snapshot()

    response = owner_client.post(CREATE, _form(phones="12"))

    assert "12" in _field_errors(response, "phones")[0]
    assert _snapshot() == before


def test_a_ten_thousand_character_name_is_refused(owner_client):
    before = _snapshot()

    response = owner_client.post(CREATE, _form(first_name="A" * 10_000))

    assert "at most 100 characters" in _field_errors(response, "first_name")[0]
    assert _snapshot() == before


def test_a_missing_name_is_refused(owner_client):
    before = _snapshot()

    response = owner_client.post(CREATE, _form(first_name="", last_name=" "))

    assert "first or a last name" in _field_errors(response, "first_name")[0]
    assert _snapshot() == before


def test_a_duplicate_email_names_the_person_who_has_it(owner, owner_client):
    services.person_create(actor=owner, first_name="Bea", last_name="Holder", emails=["b@x.org"])
    before = _snapshot()

    response = owner_client.post(CREATE, _form(emails="B@X.org"))

    assert "Bea Holder" in _field_errors(response, "emails")[0]
    assert _snapshot() == before


def test_a_duplicate_email_of_someone_elses_private_person_does_not_name_them(
    owner, outsider_client
):
    services.person_create(
        actor=owner, first_name="Secret", last_name="S", emails=["s@x.org"], is_private=True
    )
    before = _snapshot()

    response = outsider_client.post(CREATE, _form(emails="s@x.org"))

    message = _field_errors(response, "emails")[0]
    assert "another person" in message and "Secret" not in message
    assert _snapshot() == before


def test_a_duplicate_email_on_edit_keeps_the_stored_person(owner, owner_client):
    services.person_create(actor=owner, first_name="Bea", emails=["b@x.org"])
    person = services.person_create(actor=owner, first_name="Ann", emails=["a@x.org"])
    before = _snapshot()

    response = owner_client.post(
        reverse("people:person_edit", args=[person.pk]),
        _form(first_name="Changed", emails="b@x.org"),
    )

    assert "Bea" in _field_errors(response, "emails")[0]
    assert _snapshot() == before


def test_a_post_without_csrf_token_is_refused(csrf_client, owner):
    person = services.person_create(actor=owner, first_name="Ann")
    before = _snapshot()

    created = csrf_client.post(CREATE, _form())
    edited = csrf_client.post(
        reverse("people:person_edit", args=[person.pk]), _form(first_name="Changed")
    )
    forged = csrf_client.post(CREATE, {**_form(), "csrfmiddlewaretoken": "forged" * 8})
    company = csrf_client.post(reverse("people:company_create"), {"name": "Acme"})

    assert [r.status_code for r in (created, edited, forged, company)] == [403] * 4
    assert _snapshot() == before


def test_another_users_private_person_is_not_found(owner, outsider_client):
    secret = PersonFactory(owner=owner, is_private=True)
    before = _snapshot()

    detail = outsider_client.get(reverse("people:person_detail", args=[secret.pk]))
    edit_form = outsider_client.get(reverse("people:person_edit", args=[secret.pk]))
    edit = outsider_client.post(
        reverse("people:person_edit", args=[secret.pk]), _form(first_name="Hacked")
    )

    assert [r.status_code for r in (detail, edit_form, edit)] == [404] * 3
    assert _snapshot() == before


def test_another_users_private_company_is_not_found(owner, outsider_client):
    secret = CompanyFactory(owner=owner, is_private=True)
    before = _snapshot()

    detail = outsider_client.get(reverse("people:company_detail", args=[secret.pk]))
    edit = outsider_client.post(reverse("people:company_edit", args=[secret.pk]), {"name": "X"})

    assert [r.status_code for r in (detail, edit)] == [404, 404]
    assert _snapshot() == before


def test_a_missing_record_is_not_found(owner_client):
    assert owner_client.get(reverse("people:person_detail", args=[999_999])).status_code == 404


def test_choosing_someone_elses_private_company_is_refused(owner, outsider_client):
    CompanyFactory(owner=owner, name="Hidden Corp", is_private=True)
    before = _snapshot()

    response = outsider_client.post(CREATE, _form(company="Hidden Corp"))

    assert "no company called" in _field_errors(response, "company")[0]
    assert _snapshot() == before


def test_a_viewer_cannot_create_or_edit(owner, viewer_client):
    person = PersonFactory(owner=owner)
    company = CompanyFactory(owner=owner)
    before = _snapshot()

    responses = [
        viewer_client.get(CREATE),
        viewer_client.post(CREATE, _form()),
        viewer_client.get(reverse("people:person_edit", args=[person.pk])),
        viewer_client.post(reverse("people:person_edit", args=[person.pk]), _form()),
        viewer_client.get(reverse("people:company_create")),
        viewer_client.post(reverse("people:company_create"), {"name": "Acme"}),
        viewer_client.post(reverse("people:company_edit", args=[company.pk]), {"name": "X"}),
    ]

    assert [r.status_code for r in responses] == [403] * len(responses)
    assert _snapshot() == before


def test_list_and_detail_refuse_writes_by_method(owner, owner_client):
    person = PersonFactory(owner=owner)

    assert owner_client.post(reverse("people:person_list")).status_code == 405
    assert owner_client.post(reverse("people:person_detail", args=[person.pk])).status_code == 405
    assert owner_client.delete(reverse("people:person_edit", args=[person.pk])).status_code == 405


def test_a_company_with_a_bad_website_and_no_name_is_refused(owner_client):
    before = _snapshot()

    response = owner_client.post(
        reverse("people:company_create"),
        {"name": "", "website": "javascript:alert(1)", "relationship": "prospect"},
    )

    form = response.context["form"]
    assert "name" in form.errors and "website" in form.errors
    assert _snapshot() == before
