"""Qualities taken off the plan, on the trash page (core/trash.py): restoring one puts it back
on side 1, where fit counts it again."""

from __future__ import annotations

from attract.attraction.models import Quality
from attract.core.trash import TrashSection, register


def _removed_qualities(user):
    # The plan is the team's: everyone who may open the trash sees what left it.
    return (
        Quality.objects.filter(removed_at__isnull=False)
        .select_related("updated_by")
        .order_by("-removed_at", "-id")
    )


def register_sections() -> None:
    register(
        TrashSection(
            key="qualities",
            title="Qualities of the plan",
            empty="No quality was taken off the plan.",
            order=40,
            records=_removed_qualities,
            detail_url="attraction:quality_change",
            restore_url="attraction:quality_restore",
        )
    )
