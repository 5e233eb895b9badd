"""Every write of the engagement app: logging interactions (which also starts and stops the
response clocks), overriding a Push/Pull verdict, goals, tasks and the calendar feed secret."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from attract.accounts.models import User
from attract.core.permissions import can_change_record, can_view_record, can_write
from attract.core.versions import lock_for_edit, next_version
from attract.engagement.goals import refresh_goal_days
from attract.engagement.models import (
    INBOUND,
    OUTBOUND,
    CalendarFeed,
    Channel,
    Direction,
    Goal,
    GoalKind,
    Interaction,
    Task,
    Verdict,
    VerdictOverride,
)
from attract.engagement.responses import clocks_stop, response_seconds_of, user_zone
from attract.jobs.outbox import announce
from attract.people.models import Company, Person
from attract.pipeline.models import Deal, Outcome

# Clocks of a laptop and a phone rarely agree to the second; a minute is not "the future".
FUTURE_TOLERANCE = timedelta(minutes=1)


def _require_write(actor: User) -> None:
    if not can_write(actor):
        raise PermissionDenied("Your role can read but not change records.")


def _check_visible(actor: User, **records) -> None:
    for field, record in records.items():
        if record is not None and not can_view_record(actor, record):
            raise ValidationError({field: f"No such {field}."})


def _counterpart(interaction: Interaction) -> Q:
    """Who an interaction was with, for matching replies: the person, else company, else deal."""
    if interaction.person_id:
        return Q(person_id=interaction.person_id)
    if interaction.company_id:
        return Q(company_id=interaction.company_id, person__isnull=True)
    return Q(deal_id=interaction.deal_id, person__isnull=True, company__isnull=True)


def _only_open_deal_of(person: Person) -> Deal | None:
    deals = list(Deal.objects.filter(contact=person, outcome=Outcome.OPEN)[:2])
    return deals[0] if len(deals) == 1 else None


@transaction.atomic
def interaction_log(
    *,
    actor: User,
    channel: str,
    direction: str,
    summary: str,
    outcome: str = "",
    person: Person | None = None,
    company: Company | None = None,
    deal: Deal | None = None,
    occurred_at: datetime | None = None,
    needs_reply: bool | None = None,
) -> Interaction:
    _require_write(actor)
    _check_visible(actor, person=person, company=company, deal=deal)
    now = timezone.now()
    occurred_at = occurred_at or now
    errors: dict[str, str] = {}
    if occurred_at > now + FUTURE_TOLERANCE:
        errors["occurred_at"] = "An interaction cannot be dated in the future."
    if not (summary or "").strip():
        errors["summary"] = "Say in a few words what happened."
    if channel not in Channel.values:
        errors["channel"] = f"Choose one of: {', '.join(Channel.values)}."
    if direction not in Direction.values:
        errors["direction"] = f"Choose one of: {', '.join(Direction.values)}."
    if person is None and company is None and deal is None:
        errors["person"] = "Name the person, company or deal this was with."
    if errors:
        raise ValidationError(errors)
    # Fill in what is implied, so the interaction shows on every timeline it belongs to and
    # counts for the deal it was about.
    if deal is not None and person is None and deal.contact_id:
        person = deal.contact
    if person is not None and company is None and person.company_id:
        company = person.company
    if deal is None and person is not None:
        deal = _only_open_deal_of(person)
    if deal is not None and not can_view_record(actor, deal):
        deal = None
    interaction = Interaction(
        channel=channel,
        direction=direction,
        summary=summary.strip(),
        outcome=(outcome or "").strip(),
        person=person,
        company=company,
        deal=deal,
        occurred_at=occurred_at,
        needs_reply=(
            direction == Direction.THEY_REACHED_OUT if needs_reply is None else needs_reply
        )
        and direction in INBOUND,
        created_by=actor,
        updated_by=actor,
    )
    earlier = Interaction.objects.filter(_counterpart(interaction), occurred_at__lte=occurred_at)
    if direction == Direction.THEY_REPLIED:
        ours = earlier.filter(direction__in=OUTBOUND).order_by("-occurred_at").first()
        if ours is not None:
            interaction.reply_after = occurred_at - ours.occurred_at
    interaction._history_user = actor
    interaction.full_clean()
    interaction.save()
    if direction in OUTBOUND:
        # Our answer stops every clock the same counterpart started before it.
        clocks_stop(
            waiting=earlier.filter(
                needs_reply=True, answered_at__isnull=True, direction__in=INBOUND
            ),
            actor=actor,
            answered_at=occurred_at,
        )
    announce("interaction.logged", interaction, actor=actor)
    return interaction


def _reply_after(interaction: Interaction) -> timedelta | None:
    """For "they replied": how long after our last outbound to the same counterpart before it."""
    if interaction.direction != Direction.THEY_REPLIED:
        return None
    ours = (
        Interaction.objects.filter(
            _counterpart(interaction),
            direction__in=OUTBOUND,
            occurred_at__lte=interaction.occurred_at,
        )
        .exclude(pk=interaction.pk)
        .order_by("-occurred_at")
        .first()
    )
    return interaction.occurred_at - ours.occurred_at if ours is not None else None


def require_interaction_change(actor: User, interaction: Interaction) -> None:
    """The author may change what they logged; others need the right to change every record
    it names."""
    _require_write(actor)
    linked = [r for r in (interaction.person, interaction.company, interaction.deal) if r]
    if not all(can_view_record(actor, r) for r in linked):
        raise PermissionDenied("You may not change this interaction.")
    if actor.pk != interaction.created_by_id and not all(
        can_change_record(actor, r) for r in linked
    ):
        raise PermissionDenied("You may not change this interaction.")


@transaction.atomic
def interaction_edit(
    *,
    actor: User,
    interaction: Interaction,
    expected_version: int | None = None,
    channel: str | None = None,
    direction: str | None = None,
    summary: str | None = None,
    outcome: str | None = None,
    occurred_at: datetime | None = None,
) -> Interaction:
    """Correct a logged interaction. The deal's stored pull signal, the judged weeks and the
    goal counts follow (see receivers). Refused with VersionConflict when `expected_version`
    is given and the interaction changed since."""
    require_interaction_change(actor, interaction)
    lock_for_edit(interaction, expected_version)
    if interaction.in_trash:
        raise ValidationError("This interaction is in the trash; restore it before editing.")
    errors: dict[str, str] = {}
    if occurred_at is not None and occurred_at > timezone.now() + FUTURE_TOLERANCE:
        errors["occurred_at"] = "An interaction cannot be dated in the future."
    if summary is not None and not summary.strip():
        errors["summary"] = "Say in a few words what happened."
    if channel is not None and channel not in Channel.values:
        errors["channel"] = f"Choose one of: {', '.join(Channel.values)}."
    if direction is not None and direction not in Direction.values:
        errors["direction"] = f"Choose one of: {', '.join(Direction.values)}."
    if errors:
        raise ValidationError(errors)
    for field, value in (
        ("channel", channel),
        ("direction", direction),
        ("occurred_at", occurred_at),
        ("summary", summary.strip() if summary is not None else None),
        ("outcome", outcome.strip() if outcome is not None else None),
    ):
        if value is not None:
            setattr(interaction, field, value)
    if interaction.direction not in INBOUND:
        interaction.needs_reply = False
    interaction.reply_after = _reply_after(interaction)
    # A corrected arrival changes how long the answer took (the receivers count its day again).
    interaction.response_seconds = response_seconds_of(interaction, interaction.answered_by)
    interaction.updated_by = actor
    interaction._history_user = actor
    next_version(interaction)
    interaction.full_clean()
    interaction.save()
    return interaction


@transaction.atomic
def interaction_delete(*, actor: User, interaction: Interaction) -> None:
    """Move an interaction logged by mistake to the trash: it leaves every timeline, signal
    and count (the receivers recount on save) and can be restored from the trash or Undo."""
    require_interaction_change(actor, interaction)
    lock_for_edit(interaction, None)
    if interaction.in_trash:
        return
    interaction.deleted_at = timezone.now()
    interaction.deleted_by = actor
    _save_trash_state(interaction, actor, "Moved to the trash")


@transaction.atomic
def interaction_restore(*, actor: User, interaction: Interaction) -> None:
    require_interaction_change(actor, interaction)
    lock_for_edit(interaction, None)
    if not interaction.in_trash:
        return
    interaction.deleted_at = None
    interaction.deleted_by = None
    _save_trash_state(interaction, actor, "Restored from the trash")


def _save_trash_state(interaction: Interaction, actor: User, reason: str) -> None:
    interaction.updated_by = actor
    interaction._history_user = actor
    interaction._change_reason = reason
    next_version(interaction)
    interaction.save(
        update_fields=["deleted_at", "deleted_by", "updated_by", "updated_at", "version"]
    )


def verdict_override_set(*, actor: User, deal: Deal, verdict: str, reason: str) -> VerdictOverride:
    if not can_change_record(actor, deal):
        raise PermissionDenied("You may not change this deal.")
    errors = {}
    if verdict not in Verdict.values:
        errors["verdict"] = "Choose Push or Pull."
    if not (reason or "").strip():
        errors["reason"] = "Write why you see it differently: the reason is kept and shown."
    if errors:
        raise ValidationError(errors)
    override = VerdictOverride.objects.filter(deal=deal).first() or VerdictOverride(
        deal=deal, created_by=actor
    )
    override.verdict, override.reason, override.updated_by = verdict, reason.strip(), actor
    override._history_user = actor
    override.full_clean()
    override.save()
    return override


def verdict_override_clear(*, actor: User, deal: Deal) -> None:
    if not can_change_record(actor, deal):
        raise PermissionDenied("You may not change this deal.")
    VerdictOverride.objects.filter(deal=deal).delete()


def goal_set(*, actor: User, kind: str, target: int) -> Goal:
    """A user sets their own goals; viewers too, since goals change no shared record."""
    if kind not in GoalKind.values:
        raise ValidationError({"kind": "No such goal."})
    if not isinstance(target, int) or target < 0 or target > 1000:
        raise ValidationError({"target": "A goal is a whole number from 0 to 1000."})
    goal, _ = Goal.objects.update_or_create(user=actor, kind=kind, defaults={"target": target})
    return goal


def task_create(
    *,
    actor: User,
    title: str,
    due_at: datetime | None,
    person: Person | None = None,
    company: Company | None = None,
    deal: Deal | None = None,
    assignee: User | None = None,
    counts_toward: str = "",
) -> Task:
    """`counts_toward` names the goal that doing the task counts for (a GoalKind)."""
    _require_write(actor)
    _check_visible(actor, person=person, company=company, deal=deal)
    errors = {}
    if not (title or "").strip():
        errors["title"] = "Say what is to be done."
    if due_at is None:
        errors["due_at"] = "Give a due date and time."
    if sum(r is not None for r in (person, company, deal)) != 1:
        errors["person"] = "Link the task to exactly one person, company or deal."
    if errors:
        raise ValidationError(errors)
    task = Task(
        title=title.strip(),
        due_at=due_at,
        person=person,
        company=company,
        deal=deal,
        assignee=assignee or actor,
        counts_toward=counts_toward,
        created_by=actor,
        updated_by=actor,
    )
    task._history_user = actor
    task.full_clean()
    task.save()
    return task


def _require_task_change(actor: User, task: Task) -> None:
    _require_write(actor)
    if not can_view_record(actor, task.subject):
        raise PermissionDenied("You may not change this task.")


@transaction.atomic
def task_update(
    *,
    actor: User,
    task: Task,
    expected_version: int | None = None,
    title: str | None = None,
    due_at: datetime | None = None,
    assignee: User | None = None,
) -> Task:
    """Change the fields named; refused with VersionConflict when `expected_version` is given
    and the task changed since."""
    _require_task_change(actor, task)
    lock_for_edit(task, expected_version)
    errors = {}
    if title is not None and not title.strip():
        errors["title"] = "Say what is to be done."
    if assignee is not None and not assignee.is_active:
        errors["assignee"] = "Choose an active member of the team."
    if errors:
        raise ValidationError(errors)
    if title is not None:
        task.title = title.strip()
    if due_at is not None:
        task.due_at = due_at
    if assignee is not None:
        task.assignee = assignee
    _save_task(task, actor)
    return task


def _save_task(task: Task, actor: User) -> None:
    task.updated_by = actor
    task._history_user = actor
    next_version(task)
    task.full_clean()
    task.save()


@transaction.atomic
def task_complete(*, actor: User, task: Task) -> Task:
    _require_task_change(actor, task)
    lock_for_edit(task, None)
    if task.done_at is None:
        task.done_at = timezone.now()
        _save_task(task, actor)
        announce("task.done", task, actor=actor)
        _recount_goal(task, task.done_at)
    return task


def _recount_goal(task: Task, done_at: datetime | None) -> None:
    """A task that counts toward a goal changes its assignee's count on the day it was done."""
    if task.counts_toward and done_at is not None:
        refresh_goal_days(
            user=task.assignee, days={done_at.astimezone(user_zone(task.assignee)).date()}
        )


@transaction.atomic
def task_trash(*, actor: User, task: Task) -> None:
    _require_task_change(actor, task)
    lock_for_edit(task, None)
    if task.in_trash:
        return
    task.deleted_at, task.deleted_by = timezone.now(), actor
    _save_task_trash_state(task, actor, "Moved to the trash")
    _recount_goal(task, task.done_at)


@transaction.atomic
def task_restore(*, actor: User, task: Task) -> None:
    _require_task_change(actor, task)
    lock_for_edit(task, None)
    if not task.in_trash:
        return
    task.deleted_at, task.deleted_by = None, None
    _save_task_trash_state(task, actor, "Restored from the trash")
    _recount_goal(task, task.done_at)


def _save_task_trash_state(task: Task, actor: User, reason: str) -> None:
    task.updated_by = actor
    task._history_user = actor
    task._change_reason = reason
    next_version(task)
    task.save(update_fields=["deleted_at", "deleted_by", "updated_by", "updated_at", "version"])


@transaction.atomic
def task_reopen(*, actor: User, task: Task) -> Task:
    """The undo of done: a task ticked by mistake comes back as it was."""
    _require_task_change(actor, task)
    lock_for_edit(task, None)
    if task.done_at is not None:
        done_at, task.done_at = task.done_at, None
        _save_task(task, actor)
        _recount_goal(task, done_at)
    return task


def calendar_feed_for(*, user: User) -> CalendarFeed:
    feed = CalendarFeed.objects.filter(user=user).first()
    return feed or CalendarFeed.objects.create(user=user, token=secrets.token_urlsafe(32))


def calendar_feed_reset(*, actor: User) -> CalendarFeed:
    """A new secret: the old URL stops working at once (a leaked link is revoked this way)."""
    feed = calendar_feed_for(user=actor)
    feed.token = secrets.token_urlsafe(32)
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    return feed
