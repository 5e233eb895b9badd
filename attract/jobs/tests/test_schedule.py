"""Scheduled work: declared schedules are written with their next time, a due one is queued
exactly once even when two workers see it, and the time moves on along the cron expression."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from attract.jobs.models import Schedule
from attract.jobs.schedule import (
    next_time,
    queue_if_still_due,
    run_due_schedules,
    sync_schedules,
)

pytestmark = pytest.mark.django_db

NIGHT = datetime(2026, 3, 10, 1, 0, tzinfo=UTC)


def test_each_declared_schedule_is_written_with_its_next_run():
    sync_schedules(now=NIGHT)
    rows = {row.name: row for row in Schedule.objects.all()}
    assert {"prune-finished-tasks", "engagement-refresh", "fit-scores-refresh"} <= set(rows)
    assert rows["engagement-refresh"].next_run_at == datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
    assert rows["fit-scores-refresh"].next_run_at == datetime(2026, 3, 10, 2, 30, tzinfo=UTC)


def test_a_due_schedule_is_queued_once_and_moves_to_its_next_time():
    sync_schedules(now=NIGHT)
    at = datetime(2026, 3, 10, 2, 0, 5, tzinfo=UTC)
    # Whatever else is due then (the mail sync runs every five minutes) is queued with it.
    due = set(Schedule.objects.filter(next_run_at__lte=at).values_list("name", flat=True))
    assert "engagement-refresh" in due
    assert run_due_schedules(now=at) == len(due)
    assert run_due_schedules(now=at) == 0
    row = Schedule.objects.get(name="engagement-refresh")
    assert row.next_run_at == datetime(2026, 3, 11, 2, 0, tzinfo=UTC)
    assert row.last_run_at == at
    queued = DBTaskResult.objects.get(pk=row.last_task_id)
    assert queued.task_path == "attract.engagement.scheduled.engagement_refresh"


def test_of_two_workers_that_read_the_same_due_schedule_only_one_queues_it():
    sync_schedules(now=NIGHT)
    at = datetime(2026, 3, 10, 2, 0, 5, tzinfo=UTC)
    read_by_first = Schedule.objects.get(name="engagement-refresh")
    read_by_second = Schedule.objects.get(name="engagement-refresh")
    assert queue_if_still_due(read_by_first, now=at) is True
    assert queue_if_still_due(read_by_second, now=at) is False
    assert DBTaskResult.objects.filter(task_path__endswith="engagement_refresh").count() == 1


def test_a_schedule_no_longer_declared_is_removed_and_a_new_cron_applies_from_now():
    Schedule.objects.create(name="gone", task_path="x.y", cron="* * * * *", next_run_at=NIGHT)
    sync_schedules(now=NIGHT)
    assert not Schedule.objects.filter(name="gone").exists()
    Schedule.objects.filter(name="engagement-refresh").update(cron="0 5 * * *")
    sync_schedules(now=NIGHT)
    assert Schedule.objects.get(name="engagement-refresh").cron == "0 2 * * *"


def test_cron_times_follow_the_installation_time_zone(settings):
    settings.TIME_ZONE = "Europe/Paris"
    with time_machine.travel(NIGHT):
        assert next_time("0 2 * * *", NIGHT) == datetime(2026, 3, 11, 1, 0, tzinfo=UTC)


def test_the_nightly_engagement_refresh_runs_through_the_worker(owner):
    from attract.jobs.testing import run_queued_tasks

    sync_schedules(now=NIGHT)
    Schedule.objects.exclude(name="engagement-refresh").update(enabled=False)
    Schedule.objects.update(next_run_at=NIGHT - timedelta(minutes=1))
    with time_machine.travel(NIGHT):
        run_queued_tasks()
    row = DBTaskResult.objects.get(task_path__endswith="engagement_refresh")
    assert row.status == "SUCCESSFUL"
    assert set(row.return_value) == {"deals", "weeks", "days", "response_days"}


def test_the_engagement_refresh_command_still_works(owner, capsys):
    call_command("engagement_refresh")
    assert "deals with a pull signal" in capsys.readouterr().out


def test_finished_tasks_past_the_owners_retention_are_pruned(owner, owner_client):
    from attract.jobs.housekeeping import prune_finished_tasks
    from attract.jobs.testing import run_queued_tasks
    from attract.jobs.tests.sample_tasks import create_users_slowly

    old = create_users_slowly.enqueue(prefix="o", count=1, pause=0)
    recent = create_users_slowly.enqueue(prefix="r", count=1, pause=0)
    run_queued_tasks()
    now = timezone.now()
    DBTaskResult.objects.filter(pk=old.id).update(finished_at=now - timedelta(days=8))
    DBTaskResult.objects.filter(pk=recent.id).update(finished_at=now - timedelta(days=6))
    response = owner_client.post("/settings/background/retention/", {"days": "7"})
    assert response.status_code == 302
    assert prune_finished_tasks.call() == 1
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [uuid.UUID(recent.id)]


def test_only_the_owner_sets_the_retention_and_only_to_a_sensible_number(owner, teammate):
    from attract.accounts.models import Role
    from attract.jobs.models import Retention
    from attract.jobs.services import retention_set

    teammate.role = Role.ADMIN
    teammate.save()
    with pytest.raises(PermissionDenied):
        retention_set(actor=teammate, days=5)
    for bad in (0, 4000, "7"):
        with pytest.raises(ValidationError):
            retention_set(actor=owner, days=bad)
    assert not Retention.objects.exists()
    with pytest.raises(CommandError, match="between 1 and 3650"):
        call_command("jobs", "retention", "0")
    call_command("jobs", "retention", "45")
    assert Retention.objects.get().days == 45
