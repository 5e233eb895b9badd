"""The tasks page: create, edit against the version seen, filter, sort, page, a fixed number
of queries, and acting on many tasks (assign, done, due date) with one Undo."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from attract.accounts.services import api_token_create
from attract.core.bulk import bulk_apply, bulk_undo
from attract.core.models import BulkChange
from attract.engagement.models import Task
from attract.engagement.services import task_update
from attract.engagement.tests.factories import TaskFactory
from attract.jobs.models import OutboxEvent
from attract.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
TASK = "engagement.task"
NOW = datetime(2026, 12, 9, 12, 0, tzinfo=UTC)  # a Wednesday


@pytest.fixture
def ann(owner):
    return PersonFactory(first_name="Ann", last_name="Tasker", owner=owner)


def _task(owner, person, title, days=0, **fields):
    return TaskFactory(
        title=title, assignee=owner, person=person, due_at=NOW + timedelta(days=days), **fields
    )


def test_a_task_is_made_on_the_page_about_a_person(owner_client, ann):
    response = owner_client.post(
        "/engagement/tasks/",
        {"title": "Send the quote", "due_at": "2026-12-10T09:00", "person": "Ann Tasker"},
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert task.person == ann and task.title == "Send the quote"
    # By "Name #id" too; a bad one keeps the input and says why.
    response = owner_client.post(
        "/engagement/tasks/",
        {"title": "Call back", "due_at": "2026-12-10T09:00", "person": "Nobody Here"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "There is no person called" in html and 'value="Call back"' in html
    owner_client.post(
        "/engagement/tasks/", {"title": "B", "due_at": "2026-12-11T09:00", "person": f"X #{ann.pk}"}
    )
    assert Task.objects.filter(person=ann).count() == 2


def test_a_stale_edit_is_refused_and_the_input_kept(owner, owner_client, ann, teammate):
    task = _task(owner, ann, "Old title")
    form = {"title": "Mine", "due_at": "2026-12-12T10:00", "assignee": owner.pk, "version": 1}
    task_update(actor=owner, task=task, title="Changed meanwhile")
    response = owner_client.post(f"/engagement/tasks/{task.pk}/edit/", form)
    assert response.status_code == 409
    html = response.content.decode()
    assert "nothing was saved" in html and 'value="Mine"' in html
    assert Task.objects.get().title == "Changed meanwhile"
    form.update(version=2, assignee=teammate.pk)
    assert owner_client.post(f"/engagement/tasks/{task.pk}/edit/", form).status_code == 302
    saved = Task.objects.get()
    assert (saved.title, saved.assignee, saved.version) == ("Mine", teammate, 3)


def test_someone_elses_private_task_is_not_found(owner_client, teammate):
    secret = PersonFactory(owner=teammate, is_private=True)
    task = TaskFactory(assignee=teammate, person=secret)
    assert owner_client.get(f"/engagement/tasks/{task.pk}/edit/").status_code == 404
    assert (
        "Task"
        not in owner_client.get("/engagement/tasks/?scope=all")
        .content.decode()
        .split("<tbody>")[-1][:10]
    )


@time_machine.travel(NOW, tick=False)
def test_filters_mine_or_all_state_due_window_and_person(owner, owner_client, ann, teammate):
    bob = PersonFactory(first_name="Bob", last_name="Other", owner=owner)
    _task(owner, ann, "Overdue call", days=-2)
    _task(owner, ann, "Today call", days=0)
    _task(owner, bob, "Friday mail", days=2)
    _task(owner, bob, "Next month", days=30)
    _task(owner, ann, "Finished", days=-1, done_at=NOW)
    TaskFactory(title="Teammate's", assignee=teammate, person=ann, due_at=NOW)

    def titles(**query):
        html = owner_client.get("/engagement/tasks/", query).content.decode()
        return {
            t
            for t in (
                "Overdue call",
                "Today call",
                "Friday mail",
                "Next month",
                "Finished",
                "Teammate&#x27;s",
            )
            if t in html
        }

    assert titles() == {"Overdue call", "Today call", "Friday mail", "Next month"}
    assert titles(scope="all") >= {"Teammate&#x27;s"}
    assert titles(state="done") == {"Finished"}
    assert titles(due="overdue") == {"Overdue call"}
    assert titles(due="today") == {"Today call"}
    assert titles(due="week") == {"Overdue call", "Today call", "Friday mail"}
    assert titles(person=bob.pk) == {"Friday mail", "Next month"}
    html = owner_client.get("/engagement/tasks/", {"sort": "-due"}).content.decode()
    assert html.index("Next month") < html.index("Overdue call")


@pytest.mark.parametrize("rows", [3, 30])
def test_the_page_runs_a_fixed_number_of_queries(
    owner, owner_client, ann, rows, django_assert_num_queries
):
    for n in range(rows):
        _task(owner, ann, f"Row {n}", days=n)
    owner_client.get("/engagement/tasks/")  # the calendar feed's row is made on the first visit
    # session, user, count, page, people offered, members, feed
    with django_assert_num_queries(7):
        assert owner_client.get("/engagement/tasks/", {"scope": "all"}).status_code == 200


def test_pages_and_page_size(owner, owner_client, ann):
    for n in range(30):
        _task(owner, ann, f"Paged {n:02d}", days=n)
    html = owner_client.get("/engagement/tasks/", {"per_page": 25, "page": 2}).content.decode()
    assert "Paged 25" in html and "Paged 24" not in html and "26–30 of 30" in html


def test_bulk_assign_done_and_due_are_undone_as_one(owner, ann, teammate):
    tasks = [_task(owner, ann, f"Bulk {n}", days=n) for n in range(3)]
    ids = [t.pk for t in tasks]
    change = bulk_apply(
        actor=owner, record_type=TASK, ids=ids, action="assign", assignee=teammate.pk
    )
    assert Task.objects.filter(assignee=teammate).count() == 3
    bulk_undo(actor=owner, change=change)
    assert Task.objects.filter(assignee=owner).count() == 3
    change = bulk_apply(actor=owner, record_type=TASK, ids=ids, action="mark_done")
    assert Task.objects.filter(done_at__isnull=False).count() == 3
    assert OutboxEvent.objects.filter(name="task.done").count() == 3
    bulk_undo(actor=owner, change=change)
    assert not Task.objects.filter(done_at__isnull=False).exists()
    change = bulk_apply(actor=owner, record_type=TASK, ids=ids, action="move_due", days="7")
    assert Task.objects.get(pk=ids[0]).due_at == NOW + timedelta(days=7)
    bulk_undo(actor=owner, change=change)
    assert Task.objects.get(pk=ids[0]).due_at == NOW
    assert Task.objects.get(pk=ids[0]).version == 7  # each step an edit of its own


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"action": "move_due", "days": "0"}, "number of days"),
        ({"action": "move_due", "days": "9999"}, "number of days"),
        ({"action": "move_due", "days": "x"}, "number of days"),
        ({"action": "assign", "assignee": "abc"}, "active member"),
        ({"action": "move_stage"}, "Choose what to do"),
    ],
)
def test_bad_bulk_input_is_refused(owner, ann, arguments, message):
    task = _task(owner, ann, "One")
    with pytest.raises(ValidationError, match=message):
        bulk_apply(actor=owner, record_type=TASK, ids=[task.pk], **arguments)


def test_a_task_on_a_hidden_record_refuses_the_whole_bulk(owner, ann, teammate, viewer):
    mine = _task(owner, ann, "Mine")
    hidden = TaskFactory(assignee=teammate, person=PersonFactory(owner=teammate, is_private=True))
    with pytest.raises(PermissionDenied):
        bulk_apply(actor=owner, record_type=TASK, ids=[mine.pk, hidden.pk], action="mark_done")
    assert not Task.objects.get(pk=mine.pk).is_done
    with pytest.raises(PermissionDenied):
        bulk_apply(actor=viewer, record_type=TASK, ids=[mine.pk], action="mark_done")


def test_the_page_bar_marks_done_and_the_message_undoes(owner, owner_client, ann):
    tasks = [_task(owner, ann, f"Web {n}") for n in range(2)]
    page = owner_client.get("/engagement/tasks/").content.decode()
    assert 'form="bulk-form"' in page and 'value="mark_done"' in page
    response = owner_client.post(
        "/engagement/tasks/bulk/",
        {"ids": [t.pk for t in tasks], "action": "mark_done", "next": "/engagement/tasks/"},
        follow=True,
    )
    assert "done for 2 records" in response.content.decode()
    change = BulkChange.objects.get()
    owner_client.post(f"/bulk/changes/{change.pk}/undo/", {"next": "/engagement/tasks/"})
    assert not Task.objects.filter(done_at__isnull=False).exists()


def test_trash_a_task_with_undo_and_restore_it_from_the_trash(owner, owner_client, ann):
    task = _task(owner, ann, "Binned task")
    response = owner_client.post(f"/engagement/tasks/{task.pk}/trash/", follow=True)
    html = response.content.decode()
    assert "Moved to the trash" in html and "Undo" in html
    assert not Task.objects.exists() and Task.all_objects.get().in_trash
    trash = owner_client.get("/trash/").content.decode()
    assert "Binned task" in trash and "Ann Tasker" in trash
    assert (
        "Restore it to edit it"
        in owner_client.get(f"/engagement/tasks/{task.pk}/edit/").content.decode()
    )
    owner_client.post(f"/engagement/tasks/{task.pk}/restore/")
    assert Task.objects.get().title == "Binned task"


def test_bulk_trash_of_tasks_undoes_as_one(owner, ann):
    ids = [_task(owner, ann, f"T{n}").pk for n in range(3)]
    change = bulk_apply(actor=owner, record_type=TASK, ids=ids, action="trash")
    assert not Task.objects.exists()
    bulk_undo(actor=owner, change=change)
    assert Task.objects.count() == 3


@time_machine.travel(NOW, tick=False)
def test_the_api_filters_tasks_as_the_page_does(owner, ann, teammate):
    _task(owner, ann, "Overdue", days=-2)
    _task(owner, ann, "Later", days=20)
    TaskFactory(title="Theirs", assignee=teammate, person=ann, due_at=NOW)
    _, raw = api_token_create(user=owner, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def titles(**query):
        response = api.get("/api/v1/tasks", query)
        assert response.status_code == 200, response.content
        return [t["title"] for t in response.json()]

    assert titles() == ["Overdue", "Later"]
    assert titles(due="overdue") == ["Overdue"]
    assert titles(scope="all", sort="-due") == ["Later", "Theirs", "Overdue"]
    assert titles(person=ann.pk, limit=1, offset=1) == ["Later"]
    assert api.get("/api/v1/tasks", {"due": "someday"}).status_code == 422
