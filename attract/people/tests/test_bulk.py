"""Act on many: one action on the selected persons or companies, all or none, undone as one —
through the service, the list's bulk bar (web) and the API."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from attract.accounts.services import api_token_create
from attract.people.bulk import bulk_apply, bulk_undo
from attract.people.models import BulkChange, Company, Person
from attract.people.services import person_update
from attract.people.tests.factories import CompanyFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(owner):
    people = [PersonFactory(first_name=n, last_name="Bulk", owner=owner) for n in "ABC"]
    person_update(actor=owner, person=people[0], tags=["vip"])
    return people


def _tags(person) -> set[str]:
    return {t.name for t in Person.all_objects.get(pk=person.pk).tags.all()}


def test_assign_owner_to_many_and_undo_puts_each_owner_back(three, owner, teammate):
    three[2].owner = teammate
    three[2].save()
    change = bulk_apply(
        actor=owner, model=Person, ids=[p.pk for p in three], action="assign_owner", owner=teammate
    )
    assert set(Person.objects.filter(pk__in=change.record_ids).values_list("owner", flat=True)) == {
        teammate.pk
    }
    bulk_undo(actor=owner, change=change)
    owners = dict(Person.objects.filter(last_name="Bulk").values_list("first_name", "owner"))
    assert owners == {"A": owner.pk, "B": owner.pk, "C": teammate.pk}


def test_add_tag_then_undo_removes_it_only_where_it_was_added(three, owner):
    change = bulk_apply(
        actor=owner, model=Person, ids=[p.pk for p in three], action="add_tag", tag="VIP"
    )
    assert all("vip" in {t.lower() for t in _tags(p)} for p in three)
    bulk_undo(actor=owner, change=change)
    assert _tags(three[0]) == {"vip"}  # had it before: keeps it
    assert _tags(three[1]) == set() and _tags(three[2]) == set()


def test_remove_tag_then_undo_gives_it_back(three, owner):
    change = bulk_apply(
        actor=owner, model=Person, ids=[p.pk for p in three], action="remove_tag", tag="vip"
    )
    assert _tags(three[0]) == set()
    bulk_undo(actor=owner, change=change)
    assert _tags(three[0]) == {"vip"} and _tags(three[1]) == set()


def test_trash_many_and_undo_restores_them_with_history(three, owner):
    change = bulk_apply(actor=owner, model=Person, ids=[p.pk for p in three], action="trash")
    assert Person.objects.filter(last_name="Bulk").count() == 0
    bulk_undo(actor=owner, change=change)
    assert Person.objects.filter(last_name="Bulk").count() == 3
    reasons = list(
        Person.history.filter(id=three[1].pk).values_list("history_change_reason", flat=True)
    )
    assert "Moved to the trash" in reasons and "Restored from the trash" in reasons


def test_a_record_the_user_may_not_change_refuses_the_whole_action(three, owner, teammate):
    secret = PersonFactory(first_name="Secret", last_name="Bulk", owner=teammate, is_private=True)
    with pytest.raises(PermissionDenied, match="1 of the selected records"):
        bulk_apply(
            actor=owner, model=Person, ids=[three[1].pk, secret.pk], action="add_tag", tag="x"
        )
    assert _tags(three[1]) == set()  # nothing was changed
    with pytest.raises(PermissionDenied):
        bulk_apply(actor=owner, model=Person, ids=[three[1].pk, 999_999], action="trash")
    assert Person.objects.filter(pk=three[1].pk).exists()
    assert BulkChange.objects.count() == 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"ids": [], "action": "trash"}, "Select at least one"),
        ({"ids": ["x"], "action": "trash"}, "not a record id"),
        ({"ids": list(range(1, 300)), "action": "trash"}, "at most 200"),
        ({"ids": [1], "action": "explode"}, "Choose what to do"),
        ({"ids": [1], "action": "add_tag", "tag": "   "}, "Name the tag"),
        ({"ids": [1], "action": "assign_owner", "owner": 999_999}, "active member"),
        ({"ids": [1], "action": "assign_owner", "owner": "abc"}, "active member"),
        ({"ids": [1], "action": "assign_owner", "owner": 10**30}, "active member"),
        ({"ids": ["²"], "action": "trash"}, "not a record id"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(owner, arguments, message):
    with pytest.raises(ValidationError, match=message):
        bulk_apply(actor=owner, model=Person, **arguments)


def test_a_viewer_cannot_act_on_many_and_others_cannot_undo(three, owner, viewer, teammate):
    with pytest.raises(PermissionDenied):
        bulk_apply(actor=viewer, model=Person, ids=[three[0].pk], action="trash")
    change = bulk_apply(actor=owner, model=Person, ids=[three[0].pk], action="trash")
    with pytest.raises(PermissionDenied):
        bulk_undo(actor=teammate, change=change)
    bulk_undo(actor=owner, change=change)
    with pytest.raises(ValidationError, match="already undone"):
        bulk_undo(actor=owner, change=change)


def test_the_web_bulk_bar_changes_companies_and_the_message_carries_undo(owner, owner_client):
    companies = [CompanyFactory(name=f"Bulk Co {n}", owner=owner) for n in range(3)]
    response = owner_client.post(
        "/bulk/companies/",
        {
            "ids": [c.pk for c in companies],
            "action": "add_tag",
            "tag": "partner-ready",
            "next": "/companies/",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "done for 3 records" in html and "Undo" in html
    assert Company.objects.filter(tags__name="partner-ready").count() == 3
    change = BulkChange.objects.get()
    owner_client.post(f"/bulk/changes/{change.pk}/undo/", {"next": "/companies/"})
    assert Company.objects.filter(tags__name="partner-ready").count() == 0


def test_the_web_reports_a_refusal_and_export_selected_exports_only_those(three, owner_client):
    response = owner_client.post("/bulk/persons/", {"ids": ["abc"], "action": "trash"}, follow=True)
    assert "is not a record id" in response.content.decode()
    response = owner_client.post(
        "/bulk/persons/", {"ids": [three[0].pk, three[2].pk], "action": "export"}
    )
    assert response.status_code == 302 and "ids=" in response["Location"]
    csv_text = b"".join(owner_client.get(response["Location"]).streaming_content).decode()
    assert "A" in csv_text and ",B," not in csv_text and csv_text.count("Bulk") == 2


def test_the_web_bulk_bar_is_post_only_and_needs_a_writer(three, viewer_client, owner_client):
    assert owner_client.get("/bulk/persons/").status_code == 405
    response = viewer_client.post("/bulk/persons/", {"ids": [three[0].pk], "action": "trash"})
    assert response.status_code == 403
    assert Person.objects.filter(pk=three[0].pk).exists()
    assert 'name="ids"' not in viewer_client.get("/people/").content.decode()


def test_the_api_acts_on_many_and_undoes(three, owner, teammate):
    _, raw = api_token_create(user=owner, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    body = {"ids": [p.pk for p in three], "action": "assign_owner", "owner": teammate.pk}
    response = api.post("/api/v1/persons/bulk", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    change = response.json()
    assert change["record_ids"] == [p.pk for p in three]
    assert Person.objects.filter(owner=teammate, last_name="Bulk").count() == 3
    response = api.post(f"/api/v1/bulk-changes/{change['id']}/undo")
    assert response.status_code == 200 and response.json()["undone_at"]
    assert Person.objects.filter(owner=owner, last_name="Bulk").count() == 3
    bad = api.post(
        "/api/v1/persons/bulk",
        json.dumps({"ids": [], "action": "trash"}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    _, other = api_token_create(user=teammate, name="t")
    stranger = Client(HTTP_AUTHORIZATION=f"Bearer {other}")
    assert stranger.post(f"/api/v1/bulk-changes/{change['id']}/undo").status_code == 404
