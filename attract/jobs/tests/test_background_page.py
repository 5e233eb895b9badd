"""The Background work page, its API and `attract jobs`: owners and admins see the queue by
state with each task's last error, and retry a failed task; nobody else sees it."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from attract.accounts.services import api_token_create
from attract.jobs.testing import run_queued_tasks
from attract.jobs.tests.sample_tasks import create_user_then_fail, create_users_slowly

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed_job(owner):
    result = create_user_then_fail.enqueue(email="x@example.com")
    DBTaskResult.objects.filter(pk=result.id).update(worker_ids=["w1"])
    run_queued_tasks(worker_id="w2")  # the second and last attempt
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED
    return row


def test_the_page_lists_failed_tasks_with_their_error_in_a_fixed_number_of_queries(
    owner_client, failed_job, django_assert_num_queries
):
    for n in range(5):
        create_users_slowly.enqueue(prefix=f"q{n}", count=1, pause=0)
    owner_client.get("/settings/background/")  # warm the session
    # Session, user, counts, the page's count and rows, schedules, retention.
    with django_assert_num_queries(7):
        response = owner_client.get("/settings/background/?state=failed")
    assert response.status_code == 200
    assert "the receiving end said no" in response.content.decode()
    assert "Create user then fail" in response.content.decode()
    page = owner_client.get("/settings/background/?state=queued").content.decode()
    assert page.count("Create users slowly") == 5


def test_members_and_viewers_may_not_see_it(teammate_client, viewer_client):
    assert teammate_client.get("/settings/background/").status_code == 403
    assert viewer_client.get("/settings/background/").status_code == 403


def test_retry_puts_a_failed_task_back_and_it_runs_once_more(owner_client, failed_job):
    response = owner_client.post(f"/settings/background/{failed_job.pk}/retry/")
    assert response.status_code == 302
    row = DBTaskResult.objects.get(pk=failed_job.pk)
    assert row.status == TaskResultStatus.READY
    run_queued_tasks(worker_id="w3")
    row.refresh_from_db()
    # One more attempt, not a fresh set: it fails again at once and says so.
    assert row.status == TaskResultStatus.FAILED
    assert row.worker_ids == ["w1", "w2", "w3"]


def test_a_member_cannot_retry(teammate_client, failed_job):
    response = teammate_client.post(f"/settings/background/{failed_job.pk}/retry/")
    assert response.status_code == 403
    assert DBTaskResult.objects.get(pk=failed_job.pk).status == TaskResultStatus.FAILED


def test_retrying_a_finished_task_is_refused_and_changes_nothing(owner_client, owner):
    result = create_users_slowly.enqueue(prefix="d", count=1, pause=0)
    run_queued_tasks()
    response = owner_client.post(f"/settings/background/{result.id}/retry/", follow=True)
    assert "Only a failed or queued task can be tried again" in response.content.decode()
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL


def _bearer(user) -> dict:
    _token, raw = api_token_create(user=user, name="script")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_api_lists_and_retries(client, owner, failed_job):
    headers = _bearer(owner)
    listing = client.get("/api/v1/jobs?state=failed", **headers).json()
    assert listing["counts"]["failed"] == 1
    assert listing["items"][0]["error"] == "RuntimeError: the receiving end said no"
    response = client.post(f"/api/v1/jobs/{failed_job.pk}/retry", **headers)
    assert response.status_code == 200
    assert response.json()["state"] == "queued"


def test_api_refuses_members_bad_states_and_unknown_ids(client, owner, teammate, failed_job):
    assert client.get("/api/v1/jobs", **_bearer(teammate)).status_code == 403
    headers = _bearer(owner)
    bad = client.get("/api/v1/jobs?state=exploded", **headers)
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "state"
    assert client.post("/api/v1/jobs/not-a-uuid/retry", **headers).status_code == 404


def test_cli_lists_and_retries(owner, failed_job, capsys):
    call_command("jobs", "list", "--state", "failed")
    out = capsys.readouterr().out
    assert "failed: 1" in out
    assert str(failed_job.pk) in out
    call_command("jobs", "retry", str(failed_job.pk))
    assert DBTaskResult.objects.get(pk=failed_job.pk).status == TaskResultStatus.READY


def test_cli_says_what_is_wrong(owner, teammate, failed_job):
    with pytest.raises(CommandError, match="No task has the id"):
        call_command("jobs", "retry", "00000000-0000-0000-0000-000000000000")
    with pytest.raises(CommandError, match="Only the owner and admins"):
        call_command("jobs", "list", "--as", teammate.email)
