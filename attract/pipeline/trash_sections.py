"""Deals on the trash page (core/trash.py)."""

from __future__ import annotations

from attract.core.permissions import name_seen_by, visible_to
from attract.core.trash import TrashSection, register
from attract.pipeline.models import Deal


def _trashed_deals(user):
    deals = visible_to(Deal.all_objects.filter(deleted_at__isnull=False), user)
    return deals.select_related("deleted_by", "company").order_by("-deleted_at", "-id")


def register_sections() -> None:
    register(
        TrashSection(
            key="deals",
            title="Deals",
            empty="No deal is in the trash.",
            order=30,
            records=_trashed_deals,
            detail_url="pipeline:deal_detail",
            restore_url="pipeline:deal_restore",
            context_label="Company",
            context=lambda deal, user: name_seen_by(user, deal.company),
        )
    )
