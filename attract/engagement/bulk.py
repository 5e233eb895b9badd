"""Act on many tasks from the tasks page: assign to someone, mark as done, move the due date
by some days, move to the trash — one transaction, one undoable step (core.bulk).

Interactions can be moved to the trash together (the API, and the interactions page:
interaction_list_views.py). Each task goes through its own service (task_update,
task_complete), so the version, the history and the "task.done" event are a single edit's. A
trashed task is restored by Undo or from the trash."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from attract.accounts.models import User
from attract.core import bulk as core_bulk
from attract.core.bulk import BulkKind
from attract.core.models import BulkAction
from attract.core.permissions import can_view_record, can_write
from attract.engagement import services
from attract.engagement.models import Interaction, Task
from attract.people.bulk import new_owner

MAX_DAYS = 365


def _argument(action: str, arguments: dict[str, Any]) -> str:
    if action == BulkAction.ASSIGN:
        try:
            return str(new_owner(arguments.get("assignee")).pk)
        except ValidationError:
            raise ValidationError({"assignee": "Choose an active member of the team."}) from None
    if action == BulkAction.MOVE_DUE:
        raw = str(arguments.get("days") or "").strip()
        try:
            if not raw.lstrip("-").isascii():
                raise ValueError(raw)
            days = int(raw)
        except ValueError:
            days = 0
        if days == 0 or abs(days) > MAX_DAYS:
            raise ValidationError(
                {"days": f"Move the due date by a number of days, 1 to {MAX_DAYS} either way."}
            )
        return str(days)
    return ""


def _apply(task: Task, actor: User, action: str, argument: str) -> Any:
    if action == BulkAction.ASSIGN:
        was = task.assignee_id
        if was != int(argument):
            services.task_update(actor=actor, task=task, assignee=User.objects.get(pk=argument))
        return was
    if action == BulkAction.MARK_DONE:
        was = task.is_done
        services.task_complete(actor=actor, task=task)
        return was
    if action == BulkAction.TRASH:
        was = task.in_trash
        services.task_trash(actor=actor, task=task)
        return was
    was = task.due_at.isoformat()
    services.task_update(actor=actor, task=task, due_at=task.due_at + timedelta(days=int(argument)))
    return was


def _undo(task: Task, actor: User, action: str, argument: str, was: Any) -> None:
    if action == BulkAction.ASSIGN:
        if task.assignee_id != was and (back := User.objects.filter(pk=was).first()):
            services.task_update(actor=actor, task=task, assignee=back)
    elif action == BulkAction.MARK_DONE:
        if not was:
            services.task_reopen(actor=actor, task=task)
    elif action == BulkAction.TRASH:
        if not was:
            services.task_restore(actor=actor, task=task)
    elif was:
        services.task_update(actor=actor, task=task, due_at=datetime.fromisoformat(was))


def _may_change(actor: User, task: Task) -> bool:
    return can_write(actor) and can_view_record(actor, task.subject)


def _may_change_interaction(actor: User, interaction: Interaction) -> bool:
    # The service's own rule (the author, or who may change every record it names), read
    # here as a yes/no so that a refusal refuses the whole selection.
    try:
        services.require_interaction_change(actor, interaction)
    except PermissionDenied:
        return False
    return True


def _trash_interaction(interaction: Interaction, actor: User, action: str, argument: str) -> bool:
    was = interaction.in_trash
    services.interaction_delete(actor=actor, interaction=interaction)
    return was


def _restore_interaction(interaction: Interaction, actor: User, action, argument, was) -> None:
    if not was:
        services.interaction_restore(actor=actor, interaction=interaction)


def register_kinds() -> None:
    core_bulk.register(
        BulkKind(
            record_type="engagement.interaction",
            actions=(BulkAction.TRASH,),
            queryset=lambda: Interaction.all_objects.all(),
            may_change=_may_change_interaction,
            clean_argument=lambda action, arguments: "",
            apply=_trash_interaction,
            undo=_restore_interaction,
            in_trash=lambda interaction: interaction.in_trash,
        )
    )
    core_bulk.register(
        BulkKind(
            record_type="engagement.task",
            actions=(
                BulkAction.ASSIGN,
                BulkAction.MARK_DONE,
                BulkAction.MOVE_DUE,
                BulkAction.TRASH,
            ),
            # No select_related: PostgreSQL refuses FOR UPDATE across the nullable links.
            queryset=lambda: Task.all_objects.all(),
            may_change=_may_change,
            clean_argument=_argument,
            apply=_apply,
            undo=_undo,
            in_trash=lambda task: task.in_trash,
        )
    )
