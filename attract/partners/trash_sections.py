"""Partners on the trash page (core/trash.py)."""

from __future__ import annotations

from attract.core.trash import TrashSection, register


def _trashed(user):
    from attract.partners.selectors import visible_partners

    return (
        visible_partners(user, include_trash=True)
        .filter(deleted_at__isnull=False)
        .select_related("company", "person", "deleted_by")
        .order_by("-deleted_at", "-id")
    )


def register_sections() -> None:
    register(
        TrashSection(
            key="partners",
            title="Partners",
            empty="No partner is in the trash.",
            order=40,
            records=_trashed,
            detail_url="partners:detail",
            restore_url="partners:restore",
        )
    )
