from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from attract.engagement import services
from attract.engagement.models import Direction, Interaction, Task
from attract.engagement.responses import awaiting_reply, response_stats, working_hours_between
from attract.engagement.tests.factories import TaskFactory
from attract.people.tests.factories import CompanyFactory, PersonFactory
from attract.pipeline.tests.factories import DealFactory

MONDAY_9 = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def log(actor, direction, when=None, **links):
    return services.interaction_log(
        actor=actor, channel="email", direction=direction, summary="note", occurred_at=when, **links
    )


def test_an_interaction_dated_in_the_future_is_refused(owner):
    person = PersonFactory(owner=owner)
    with pytest.raises(ValidationError) as exc:
        log(owner, Direction.WE_REACHED_OUT, timezone.now() + timedelta(hours=1), person=person)
    assert "occurred_at" in exc.value.message_dict
    assert not Interaction.objects.exists()


def test_an_empty_summary_is_refused(owner):
    with pytest.raises(ValidationError) as exc:
        services.interaction_log(
            actor=owner,
            channel="call",
            direction="we_replied",
            summary="  ",
            person=PersonFactory(owner=owner),
        )
    assert "summary" in exc.value.message_dict


def test_an_interaction_must_name_someone(owner):
    with pytest.raises(ValidationError) as exc:
        log(owner, Direction.WE_REACHED_OUT)
    assert "person" in exc.value.message_dict


def test_a_viewer_cannot_log_an_interaction(viewer):
    with pytest.raises(PermissionDenied):
        log(viewer, Direction.WE_REACHED_OUT, person=PersonFactory())


def test_someone_elses_private_person_cannot_be_named(owner, outsider):
    secret = PersonFactory(owner=owner, is_private=True)
    with pytest.raises(ValidationError):
        log(outsider, Direction.WE_REACHED_OUT, person=secret)


def test_logging_on_a_person_attaches_their_company_and_only_open_deal(owner):
    company = CompanyFactory(owner=owner)
    person = PersonFactory(owner=owner, company=company)
    deal = DealFactory(owner=owner, company=company, contact=person)
    interaction = log(owner, Direction.THEY_REACHED_OUT, person=person)
    assert (interaction.company, interaction.deal) == (company, deal)


def test_an_inbound_message_starts_a_clock_and_our_next_outbound_stops_it(owner):
    person = PersonFactory(owner=owner)
    with time_machine.travel(MONDAY_9, tick=False):
        inbound = log(owner, Direction.THEY_REACHED_OUT, person=person)
    assert [w.interaction for w in awaiting_reply(user=owner)] == [inbound]
    with time_machine.travel(MONDAY_9 + timedelta(hours=3), tick=False):
        log(owner, Direction.WE_REPLIED, person=person)
    inbound.refresh_from_db()
    assert inbound.answered_at == MONDAY_9 + timedelta(hours=3)
    assert inbound.answered_by == owner
    assert awaiting_reply(user=owner) == []


def test_our_message_to_someone_else_leaves_the_clock_running(owner):
    waiting, other = PersonFactory(owner=owner), PersonFactory(owner=owner)
    log(owner, Direction.THEY_REACHED_OUT, timezone.now() - timedelta(hours=2), person=waiting)
    log(owner, Direction.WE_REACHED_OUT, person=other)
    assert len(awaiting_reply(user=owner)) == 1


def test_awaiting_reply_lists_the_oldest_first(owner):
    newer, older = PersonFactory(owner=owner), PersonFactory(owner=owner)
    now = timezone.now()
    log(owner, Direction.THEY_REACHED_OUT, now - timedelta(hours=1), person=newer)
    log(owner, Direction.THEY_REACHED_OUT, now - timedelta(hours=5), person=older)
    assert [w.interaction.person for w in awaiting_reply(user=owner)] == [older, newer]


def test_a_weekend_does_not_count_toward_the_response_time():
    friday_5pm = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
    monday_10am = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    assert working_hours_between(friday_5pm, monday_10am, UTC) == 2.0


def test_median_and_p90_response_times_per_user_over_30_days(owner):
    with time_machine.travel(MONDAY_9, tick=False):
        for hours in (1, 2, 3, 4, 6):
            person = PersonFactory(owner=owner)
            log(owner, Direction.THEY_REACHED_OUT, MONDAY_9 - timedelta(days=7), person=person)
            log(
                owner,
                Direction.WE_REPLIED,
                MONDAY_9 - timedelta(days=7) + timedelta(hours=hours),
                person=person,
            )
        stats = response_stats()
    assert len(stats) == 1
    assert stats[0].answered == 5
    assert stats[0].median_hours == 3.0
    assert 4.0 < stats[0].p90_hours <= 6.0


def test_a_task_must_be_linked_to_exactly_one_record(owner):
    person, company = PersonFactory(owner=owner), CompanyFactory(owner=owner)
    with pytest.raises(ValidationError):
        services.task_create(
            actor=owner, title="Call", due_at=timezone.now(), person=person, company=company
        )
    with pytest.raises(IntegrityError):
        Task.objects.create(title="x", due_at=timezone.now(), assignee=owner)


def test_a_done_task_can_be_undone(owner):
    task = TaskFactory(assignee=owner, person=PersonFactory(owner=owner))
    services.task_complete(actor=owner, task=task)
    assert task.is_done
    services.task_reopen(actor=owner, task=task)
    task.refresh_from_db()
    assert not task.is_done


def test_an_open_task_past_its_due_time_is_overdue(owner):
    task = TaskFactory(assignee=owner, due_at=timezone.now() - timedelta(minutes=1))
    assert task.is_overdue
    task.done_at = timezone.now()
    assert not task.is_overdue


def test_resetting_the_calendar_feed_changes_its_secret(owner):
    old = services.calendar_feed_for(user=owner).token
    assert services.calendar_feed_reset(actor=owner).token != old
