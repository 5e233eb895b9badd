"""Edit in place (people/views/inline.py): one field at a time, through the same services as
the full forms — the version check, the history and the webhook event — with bad input and
stale edits refused at the field, and other people's private records out of reach."""

from __future__ import annotations

import pytest
from django.urls import reverse

from attract.jobs.models import OutboxEvent
from attract.people import services
from attract.people.models import Company, Person, Relationship
from attract.people.tests.factories import CompanyFactory, PersonFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _url(record, name: str) -> str:
    kind = "company" if isinstance(record, Company) else "person"
    return reverse(f"people:{kind}_field", args=[record.pk, name])


def _save(client, record, name: str, value: str, version=None, place="detail", **extra):
    data = {"value": value, "place": place}
    if version is not None:
        data["version"] = version
    return client.post(_url(record, name), data, **{**HTMX, **extra})


def test_a_field_saved_in_place_goes_through_the_service_with_history_and_event(
    owner_client, owner
):
    person = PersonFactory(owner=owner, job_title="Buyer")
    response = _save(owner_client, person, "job_title", "Head of buying", person.version)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Head of buying" in body and "Saved" in body
    person.refresh_from_db()
    assert person.job_title == "Head of buying"
    assert person.version == 2
    # The page's version moves on with it (out of band), and the header and history follow.
    assert f'id="person-{person.pk}-version" value="2" hx-swap-oob="true"' in body
    assert 'id="record-header"' in body and 'id="history"' in body
    last = person.history.first()
    assert last.history_user == owner and last.job_title == "Head of buying"
    assert OutboxEvent.objects.filter(name="person.updated", object_id=person.pk).exists()


def test_a_stale_edit_in_place_is_refused_with_the_input_kept_and_the_change_named(
    owner_client, owner, teammate
):
    person = PersonFactory(owner=owner, job_title="Buyer")
    seen = person.version
    services.person_update(actor=teammate, person=person, job_title="Head of buying")

    response = _save(owner_client, person, "job_title", "Chief buyer", seen)

    body = response.content.decode()
    assert "nothing was saved" in body
    assert "Job title: Buyer → Head of buying" in body
    assert 'value="Chief buyer"' in body  # the input is kept
    assert "Reload" in body
    assert f'name="version" value="{seen + 1}"' in body  # saving again is a choice
    assert Person.objects.get(pk=person.pk).job_title == "Head of buying"


def test_bad_input_in_place_is_shown_at_the_field_and_changes_nothing(owner_client, owner):
    person = PersonFactory(owner=owner)
    services.person_update(actor=owner, person=person, emails=["ann@example.com"])
    person.refresh_from_db()

    response = _save(owner_client, person, "email", "not an address", person.version)

    body = response.content.decode()
    assert response.status_code == 200
    assert 'aria-invalid="true"' in body and 'role="alert"' in body
    assert 'value="not an address"' in body
    assert [e.email for e in Person.objects.get(pk=person.pk).emails.all()] == ["ann@example.com"]


def test_a_person_needs_a_name_when_edited_in_place_too(owner_client, owner):
    person = PersonFactory(owner=owner, first_name="", last_name="Lee")
    response = _save(owner_client, person, "last_name", "  ", person.version)
    assert "Give the person a first or a last name." in response.content.decode()
    assert Person.objects.get(pk=person.pk).last_name == "Lee"


def test_the_main_email_is_replaced_and_the_others_stay(owner_client, owner):
    person = PersonFactory(owner=owner)
    services.person_update(
        actor=owner, person=person, emails=["old@example.com", "other@example.com"]
    )
    person.refresh_from_db()
    _save(owner_client, person, "email", "new@example.com", person.version)
    assert [e.email for e in Person.objects.get(pk=person.pk).emails.all()] == [
        "new@example.com",
        "other@example.com",
    ]


def test_a_phone_in_place_is_read_and_stored_in_its_international_form(owner_client, owner):
    person = PersonFactory(owner=owner)
    _save(owner_client, person, "phone", "+44 20 7946 0958", person.version)
    assert [p.number for p in Person.objects.get(pk=person.pk).phones.all()] == ["+442079460958"]


def test_owner_in_place_takes_a_team_member_and_refuses_anyone_else(owner_client, owner, teammate):
    company = CompanyFactory(owner=owner)
    _save(owner_client, company, "owner", str(teammate.pk), company.version, place="row")
    company.refresh_from_db()
    assert company.owner == teammate

    response = _save(owner_client, company, "owner", "999999", company.version, place="row")
    assert "Choose someone on the team as the owner." in response.content.decode()
    assert Company.objects.get(pk=company.pk).owner == teammate


def test_a_list_cell_saves_the_relationship_and_answers_with_the_cell_only(owner_client, owner):
    company = CompanyFactory(owner=owner, relationship=Relationship.PROSPECT)
    response = _save(owner_client, company, "relationship", "customer", company.version, "row")
    body = response.content.decode()
    assert "Customer" in body and 'id="record-header"' not in body
    company.refresh_from_db()
    # The service's rule holds here too: a new customer is a customer since today.
    assert company.relationship == "customer" and company.customer_since is not None

    response = _save(owner_client, company, "relationship", "friend", company.version, "row")
    assert "Choose one of the listed values" in response.content.decode()


def test_a_website_in_place_is_read_as_the_form_reads_it(owner_client, owner):
    company = CompanyFactory(owner=owner)
    _save(owner_client, company, "website", "example.com", company.version)
    assert Company.objects.get(pk=company.pk).website == "https://example.com"


def test_tags_in_place_replace_the_tags(owner_client, owner):
    person = PersonFactory(owner=owner)
    _save(owner_client, person, "tags", "vip, fair 2026", person.version)
    assert sorted(t.name for t in Person.objects.get(pk=person.pk).tags.all()) == [
        "fair 2026",
        "vip",
    ]


def test_the_editor_opens_on_the_stored_value_and_says_when_it_changed_since(
    owner_client, owner, teammate
):
    person = PersonFactory(owner=owner, job_title="Buyer")
    seen = person.version
    services.person_update(actor=teammate, person=person, job_title="Head of buying")
    url = _url(person, "job_title")

    body = owner_client.get(url, {"edit": "1", "version": seen}, **HTMX).content.decode()
    assert 'value="Head of buying"' in body
    assert "since this page was opened" in body
    assert f'name="version" value="{seen + 1}"' in body

    shown = owner_client.get(url, **HTMX).content.decode()  # Cancel / Reload
    assert "Head of buying" in shown and f'value="{seen + 1}" hx-swap-oob' in shown


def test_someone_elses_private_person_is_not_found_and_stays_unchanged(outsider_client, owner):
    secret = PersonFactory(owner=owner, is_private=True, job_title="Secret")
    url = _url(secret, "job_title")
    assert outsider_client.get(url, {"edit": "1"}, **HTMX).status_code == 404
    response = _save(outsider_client, secret, "job_title", "Changed", secret.version)
    assert response.status_code == 404
    assert b"Secret" not in response.content
    assert Person.objects.get(pk=secret.pk).job_title == "Secret"


def test_a_viewer_may_not_edit_in_place(viewer_client, owner):
    company = CompanyFactory(owner=owner, name="Acme")
    assert viewer_client.get(_url(company, "name"), {"edit": "1"}).status_code == 403
    assert _save(viewer_client, company, "name", "Other", company.version).status_code == 403
    assert Company.objects.get(pk=company.pk).name == "Acme"


def test_an_unknown_field_or_a_field_of_the_other_kind_is_not_found(owner_client, owner):
    person = PersonFactory(owner=owner)
    assert _save(owner_client, person, "is_private", "on").status_code == 404
    assert _save(owner_client, person, "relationship", "customer").status_code == 404
    assert _save(owner_client, person, "notes", "x").status_code == 404


def test_a_record_in_the_trash_is_not_changed_in_place(owner_client, owner):
    person = PersonFactory(owner=owner, job_title="Buyer")
    services.person_trash(actor=owner, person=person)
    person.refresh_from_db()
    response = _save(owner_client, person, "job_title", "Other", person.version)
    assert response.status_code == 404  # the editor only reaches records out of the trash
    assert Person.all_objects.get(pk=person.pk).job_title == "Buyer"


@pytest.mark.parametrize(
    "value", ["\x00", "x" * 5000, "😀" * 200, "<script>alert(1)</script>", "' OR 1=1 --"]
)
def test_no_input_in_place_makes_a_server_error(owner_client, owner, value):
    person = PersonFactory(owner=owner, job_title="Buyer")
    for name in ("job_title", "email", "phone", "owner", "tags", "first_name"):
        response = _save(owner_client, person, name, value, "not a number")
        assert response.status_code == 200, name
        assert b"<script>alert(1)</script>" not in response.content
        person.refresh_from_db()


def test_without_htmx_a_save_redirects_to_the_page_with_a_message(owner_client, owner):
    person = PersonFactory(owner=owner)
    response = owner_client.post(
        _url(person, "job_title"), {"value": "Buyer", "version": person.version}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_detail", args=[person.pk])
    assert Person.objects.get(pk=person.pk).job_title == "Buyer"


def test_the_person_page_shows_details_filled_and_folds_the_empty_ones(owner_client, owner):
    person = PersonFactory(owner=owner, job_title="")
    page = owner_client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert "Add details" in page and "Add job title" in page
    assert "No next step." in page and 'data-dialog-open="next-step-dialog"' in page


def test_a_reader_sees_no_empty_fields_and_no_editor(viewer_client, owner):
    person = PersonFactory(owner=owner, job_title="")
    page = viewer_client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert "Add details" not in page and "Job title" not in page
    assert "inline-edit" not in page


def test_the_next_step_is_the_next_open_task_on_the_record(owner_client, owner):
    from datetime import timedelta

    from django.utils import timezone

    from attract.engagement.services import task_create

    company = CompanyFactory(owner=owner, name="Good Bakery")
    now = timezone.now()
    task_create(
        actor=owner, title="Send the price list", due_at=now + timedelta(days=3), company=company
    )
    task_create(
        actor=owner, title="Call about the order", due_at=now + timedelta(days=1), company=company
    )
    page = owner_client.get(reverse("people:company_detail", args=[company.pk])).content.decode()
    assert "Call about the order" in page and "Send the price list" not in page
    assert "No next step." not in page
