"""The trash page, the trash/restore doors and the merge pages, through HTTP."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from attract.accounts.services import api_token_create
from attract.attraction.services import quality_create, quality_remove
from attract.engagement.services import (
    interaction_delete,
    interaction_log,
    task_create,
    task_trash,
)
from attract.people import services
from attract.people.models import Company, Person
from attract.people.tests.factories import CompanyFactory, EmailAddressFactory, PersonFactory
from attract.pipeline.services import deal_trash
from attract.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db


def _trashed_person(owner, **fields) -> Person:
    person = PersonFactory(owner=owner, **fields)
    services.person_trash(actor=owner, person=person)
    return person


def _text(response) -> str:
    return response.content.decode()


# --- Trash page -----------------------------------------------------------------------------


def test_trash_page_lists_trashed_people_and_companies_with_who_deleted_them_and_a_restore_button(
    owner, teammate, owner_client
):
    person = PersonFactory(owner=owner, first_name="Ada", last_name="Gone")
    company = CompanyFactory(owner=owner, name="Defunct Ltd")
    services.person_trash(actor=teammate, person=person)
    services.company_trash(actor=owner, company=company)
    PersonFactory(owner=owner, first_name="Still", last_name="Here")

    response = owner_client.get(reverse("people:trash"))

    page = _text(response)
    assert response.status_code == 200
    assert "Ada Gone" in page and "Defunct Ltd" in page
    assert "Still Here" not in page
    assert "Tom Teammate" in page  # who moved Ada to the trash
    assert reverse("people:person_restore", args=[person.pk]) in page
    assert reverse("people:company_restore", args=[company.pk]) in page


def test_trash_page_hides_another_members_private_records(owner, outsider_client):
    _trashed_person(owner, first_name="Private", last_name="Person", is_private=True)
    _trashed_person(owner, first_name="Shared", last_name="Person")
    page = _text(outsider_client.get(reverse("people:trash")))
    assert "Shared Person" in page
    assert "Private Person" not in page


def test_trash_page_shows_restore_buttons_only_to_those_who_may_write(owner, viewer_client):
    person = _trashed_person(owner, first_name="Ada")
    page = _text(viewer_client.get(reverse("people:trash")))
    assert "Ada" in page
    assert reverse("people:person_restore", args=[person.pk]) not in page


@pytest.mark.parametrize("rows", [3, 30])
def test_trash_page_query_count_does_not_grow_with_rows(
    owner, teammate, owner_client, django_assert_num_queries, rows
):
    company = CompanyFactory(owner=owner)
    for _ in range(rows):
        person = PersonFactory(owner=owner, company=company)
        services.person_trash(actor=teammate, person=person)
        services.company_trash(actor=teammate, company=CompanyFactory(owner=owner))
        deal = DealFactory(owner=owner, company=company)
        deal_trash(actor=teammate, deal=deal)
        quality = quality_create(actor=owner, text=f"Quality {_}")
        quality_remove(actor=owner, quality=quality)
        logged = interaction_log(
            actor=owner, channel="call", direction="we_reached_out", summary="x", person=person
        )
        interaction_delete(actor=owner, interaction=logged)
        task = task_create(actor=owner, title="x", due_at=timezone.now(), person=person)
        task_trash(actor=owner, task=task)
    # Session, user, and per table (people, companies, deals, plan qualities, interactions,
    # tasks) a count and a page with its joins done; the counts (no page to read: none of
    # them is in the trash) of partners, the plan's questions and side-3 items, and joint
    # initiatives (after reading the ids of the partners hidden from the user) and topics,
    # referrals and articles, care plans, departures, testimonials and case studies, customer events,
    # offers, visits and ideas.
    with django_assert_num_queries(30):
        response = owner_client.get(reverse("people:trash"))
    assert response.status_code == 200


def test_trash_page_needs_a_signed_in_user(owner, client):
    response = client.get(reverse("people:trash"))
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- Trash and restore ----------------------------------------------------------------------


def test_trashing_a_person_hides_them_and_offers_undo(owner, owner_client):
    person = PersonFactory(owner=owner, first_name="Ada", last_name="King")
    response = owner_client.post(reverse("people:person_trash", args=[person.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_list")
    assert Person.all_objects.get(pk=person.pk).in_trash
    message = str(next(iter(get_messages(response.wsgi_request))))
    assert "moved to the trash" in message
    assert f'action="{reverse("people:person_restore", args=[person.pk])}"' in message
    assert "Undo" in message and "csrfmiddlewaretoken" in message
    owner_client.get(reverse("people:person_list"))  # shows, and so uses up, the message
    assert "Ada King" not in _text(owner_client.get(reverse("people:person_list")))


def test_undo_restores_the_person_and_returns_to_their_page(owner, owner_client):
    person = _trashed_person(owner, first_name="Ada", last_name="King")
    detail = reverse("people:person_detail", args=[person.pk])
    response = owner_client.post(
        reverse("people:person_restore", args=[person.pk]), {"next": detail}
    )
    assert response.status_code == 302 and response["Location"] == detail
    assert Person.objects.filter(pk=person.pk).exists()
    message = str(next(iter(get_messages(response.wsgi_request))))
    assert "restored" in message and f'href="{detail}"' in message


def test_restore_from_the_trash_page_stays_on_the_trash_page(owner, owner_client):
    company = CompanyFactory(owner=owner, name="Acme")
    services.company_trash(actor=owner, company=company)
    response = owner_client.post(
        reverse("people:company_restore", args=[company.pk]),
        {"next": reverse("people:trash")},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("people:trash")
    assert Company.objects.filter(pk=company.pk).exists()
    assert "Acme" in _text(response) and "restored" in _text(response)


def test_restore_ignores_a_next_address_on_another_site(owner, owner_client):
    person = _trashed_person(owner)
    response = owner_client.post(
        reverse("people:person_restore", args=[person.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("people:person_detail", args=[person.pk])


def test_trashing_and_restoring_a_company(owner, owner_client):
    company = CompanyFactory(owner=owner, name="Acme")
    response = owner_client.post(reverse("people:company_trash", args=[company.pk]))
    assert response["Location"] == reverse("people:company_list")
    assert not Company.objects.filter(pk=company.pk).exists()
    owner_client.get(reverse("people:company_list"))  # shows, and so uses up, the message
    assert "Acme" not in _text(owner_client.get(reverse("people:company_list")))
    owner_client.post(reverse("people:company_restore", args=[company.pk]))
    assert Company.objects.filter(pk=company.pk).exists()


def test_a_trashed_person_is_gone_from_the_api(owner):
    person = _trashed_person(owner, first_name="Ada", last_name="Gone")
    _, token = api_token_create(user=owner, name="tests")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert "Ada Gone" not in _text(api.get("/api/v1/persons"))
    assert api.get(f"/api/v1/persons/{person.pk}").status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "people:person_trash",
        "people:person_restore",
        "people:company_trash",
        "people:company_restore",
    ],
)
def test_trash_and_restore_refuse_get(owner, owner_client, name):
    record = PersonFactory(owner=owner) if "person" in name else CompanyFactory(owner=owner)
    response = owner_client.get(reverse(name, args=[record.pk]))
    assert response.status_code == 405
    assert not type(record).all_objects.get(pk=record.pk).in_trash


def test_an_outsider_gets_404_for_another_members_private_records(owner, outsider_client):
    person = PersonFactory(owner=owner, is_private=True)
    company = CompanyFactory(owner=owner, is_private=True)
    trashed = _trashed_person(owner, is_private=True)
    for url in [
        reverse("people:person_trash", args=[person.pk]),
        reverse("people:company_trash", args=[company.pk]),
        reverse("people:person_restore", args=[trashed.pk]),
    ]:
        assert outsider_client.post(url).status_code == 404
    assert not Person.all_objects.get(pk=person.pk).in_trash
    assert not Company.all_objects.get(pk=company.pk).in_trash
    assert Person.all_objects.get(pk=trashed.pk).in_trash


def test_a_viewer_gets_403_on_trash_and_restore(owner, viewer_client):
    person = PersonFactory(owner=owner)
    trashed = _trashed_person(owner)
    assert viewer_client.post(reverse("people:person_trash", args=[person.pk])).status_code == 403
    assert (
        viewer_client.post(reverse("people:person_restore", args=[trashed.pk])).status_code == 403
    )
    assert not Person.all_objects.get(pk=person.pk).in_trash
    assert Person.all_objects.get(pk=trashed.pk).in_trash


def test_trash_needs_a_csrf_token(owner, csrf_client):
    person = PersonFactory(owner=owner)
    response = csrf_client.post(reverse("people:person_trash", args=[person.pk]))
    assert response.status_code == 403
    assert not Person.all_objects.get(pk=person.pk).in_trash


def test_restore_cannot_reach_a_record_that_does_not_exist(owner_client):
    assert owner_client.post(reverse("people:person_restore", args=[999_999])).status_code == 404


# --- Merge ----------------------------------------------------------------------------------


@pytest.fixture
def twins(owner):
    keep = services.person_create(
        actor=owner, first_name="Ada", last_name="King", job_title="CTO", emails=["a@acme.com"]
    )
    discard = services.person_create(
        actor=owner,
        first_name="Ada",
        last_name="King",
        job_title="Head of Engineering",
        emails=["ada@gmail.com"],
    )
    return keep, discard


def test_merge_page_offers_people_with_the_same_name(owner, owner_client, twins):
    keep, discard = twins
    PersonFactory(owner=owner, first_name="Bob", last_name="Other")
    page = _text(owner_client.get(reverse("people:person_merge", args=[keep.pk])))
    assert f"?other={discard.pk}" in page
    assert "same name" in page
    assert "Bob Other" not in page


def test_merge_page_searches_for_the_duplicate(owner, owner_client, twins):
    keep, _ = twins
    other = PersonFactory(owner=owner, first_name="A.", last_name="King")
    page = _text(owner_client.get(reverse("people:person_merge", args=[keep.pk]), {"q": "king"}))
    assert f"?other={other.pk}" in page


def test_merge_preview_shows_both_values_with_the_default_winner_selected(
    owner, owner_client, twins
):
    keep, discard = twins
    response = owner_client.get(
        reverse("people:person_merge", args=[keep.pk]), {"other": discard.pk}
    )
    page = _text(response)
    assert "CTO" in page and "Head of Engineering" in page
    assert 'class="winner" data-side="keep"' in page
    assert 'name="choice_job_title" value="keep" checked' in page
    assert "ada@gmail.com" in page  # moves over


def test_posting_the_merge_applies_the_choice_and_goes_to_the_kept_person(
    owner, owner_client, twins
):
    keep, discard = twins
    response = owner_client.post(
        reverse("people:person_merge", args=[keep.pk]),
        {"other": discard.pk, "choice_job_title": "discard"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_detail", args=[keep.pk])
    keep.refresh_from_db()
    assert keep.job_title == "Head of Engineering"
    assert sorted(keep.emails.values_list("email", flat=True)) == ["a@acme.com", "ada@gmail.com"]
    assert Person.all_objects.get(pk=discard.pk).merged_into_id == keep.pk
    assert "was merged into" in str(next(iter(get_messages(response.wsgi_request))))


def test_merging_a_record_with_itself_is_refused_with_a_message(owner, owner_client, twins):
    keep, _ = twins
    response = owner_client.post(reverse("people:person_merge", args=[keep.pk]), {"other": keep.pk})
    assert response.status_code == 400
    assert "cannot be merged with itself" in _text(response)
    assert Person.objects.filter(pk=keep.pk).exists()


def test_an_invalid_choice_is_refused_and_nothing_changes(owner, owner_client, twins):
    keep, discard = twins
    response = owner_client.post(
        reverse("people:person_merge", args=[keep.pk]),
        {"other": discard.pk, "choice_job_title": "both"},
    )
    assert response.status_code == 400
    assert Person.objects.filter(pk=discard.pk).exists()
    keep.refresh_from_db()
    assert keep.job_title == "CTO"


def test_merge_of_companies_through_the_page(owner, owner_client):
    keep = CompanyFactory(owner=owner, name="Acme")
    discard = CompanyFactory(owner=owner, name="Acme", city="Lyon")
    person = PersonFactory(owner=owner, company=discard)
    preview = _text(
        owner_client.get(reverse("people:company_merge", args=[keep.pk]), {"other": discard.pk})
    )
    assert "Lyon" in preview and 'class="winner" data-side="discard"' in preview
    response = owner_client.post(
        reverse("people:company_merge", args=[keep.pk]), {"other": discard.pk}
    )
    assert response["Location"] == reverse("people:company_detail", args=[keep.pk])
    keep.refresh_from_db()
    person.refresh_from_db()
    assert keep.city == "Lyon" and person.company_id == keep.pk


def test_merge_answers_404_when_either_record_is_anothers_private_one(
    owner, outsider, outsider_client
):
    mine = PersonFactory(owner=outsider, first_name="Ada")
    private = PersonFactory(owner=owner, first_name="Ada", is_private=True)
    url = reverse("people:person_merge", args=[mine.pk])
    assert outsider_client.get(url, {"other": private.pk}).status_code == 404
    assert outsider_client.post(url, {"other": private.pk}).status_code == 404
    assert outsider_client.get(reverse("people:person_merge", args=[private.pk])).status_code == 404
    assert Person.objects.filter(pk=private.pk).exists()
    # Nor does the candidate list betray it.
    assert f"?other={private.pk}" not in _text(outsider_client.get(url))


def test_a_viewer_gets_403_on_the_merge_page(owner, viewer_client, twins):
    keep, discard = twins
    url = reverse("people:person_merge", args=[keep.pk])
    assert viewer_client.get(url).status_code == 403
    assert viewer_client.post(url, {"other": discard.pk}).status_code == 403
    assert Person.objects.filter(pk=discard.pk).exists()


def test_merge_needs_a_csrf_token(owner, csrf_client, twins):
    keep, discard = twins
    response = csrf_client.post(
        reverse("people:person_merge", args=[keep.pk]), {"other": discard.pk}
    )
    assert response.status_code == 403
    assert Person.objects.filter(pk=discard.pk).exists()


def test_a_trashed_record_has_no_merge_page(owner, owner_client):
    person = _trashed_person(owner)
    assert owner_client.get(reverse("people:person_merge", args=[person.pk])).status_code == 404


def test_merge_preview_escapes_what_people_typed(owner, owner_client):
    keep = PersonFactory(owner=owner, first_name="Ada")
    discard = PersonFactory(owner=owner, first_name="Ada", job_title="<script>alert(1)</script>")
    EmailAddressFactory(person=discard, email="x@example.com")
    page = _text(
        owner_client.get(reverse("people:person_merge", args=[keep.pk]), {"other": discard.pk})
    )
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_typing_in_the_merge_search_updates_only_the_candidates(owner, owner_client, twins):
    keep, _ = twins
    other = PersonFactory(owner=owner, first_name="Adam", last_name="Kingsley")
    response = owner_client.get(
        reverse("people:person_merge", args=[keep.pk]), {"q": "kingsley"}, HTTP_HX_REQUEST="true"
    )
    page = _text(response)
    assert "<html" not in page
    assert f"?other={other.pk}" in page
