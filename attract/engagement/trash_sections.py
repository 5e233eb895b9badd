"""Interactions on the trash page (core/trash.py): those of records the user may see."""

from __future__ import annotations

from attract.core.trash import TrashSection, register
from attract.engagement.selectors import interactions_visible_to


def _trashed_interactions(user):
    rows = interactions_visible_to(user, include_trash=True).filter(deleted_at__isnull=False)
    return rows.select_related("deleted_by", "person", "company", "deal").order_by(
        "-deleted_at", "-id"
    )


def register_sections() -> None:
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
