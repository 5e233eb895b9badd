"""Interactions and tasks on the trash page (core/trash.py): those about records the user may
see."""

from __future__ import annotations

from attract.core.trash import TrashSection, register
from attract.engagement.selectors import interactions_visible_to, task_list_for_user


def _trashed_interactions(user):
    rows = interactions_visible_to(user, include_trash=True).filter(deleted_at__isnull=False)
    return rows.select_related("deleted_by", "person", "company", "deal").order_by(
        "-deleted_at", "-id"
    )


def _trashed_tasks(user):
    rows = task_list_for_user(user=user, scope="all", state="all", include_trash=True)
    return (
        rows.filter(deleted_at__isnull=False)
        .select_related("deleted_by")
        .order_by("-deleted_at", "-id")
    )


def _about(task, user) -> str:
    subject = task.subject
    return getattr(subject, "full_name", None) or getattr(subject, "name", None) or subject.title


def register_sections() -> None:
    register(
        TrashSection(
            key="tasks",
            title="Tasks",
            empty="No task is in the trash.",
            order=50,
            records=_trashed_tasks,
            detail_url="engagement:task_edit",
            restore_url="engagement:task_restore",
            context_label="About",
            context=_about,
        )
    )
    register(
        TrashSection(
            key="interactions",
            title="Interactions",
            empty="No interaction is in the trash.",
            order=40,
            records=_trashed_interactions,
            detail_url="engagement:interaction_edit",
            restore_url="engagement:interaction_restore",
            context_label="With",
            context=lambda interaction, user: interaction.counterpart_name,
        )
    )
