"""Care plans on the trash page (core/trash.py): a plan in the trash leaves its customers
their steps."""

from __future__ import annotations

from attract.core.trash import TrashSection, register


def _trashed_plans(user):
    from attract.aftercare.models import CarePlan

    return (
        CarePlan.all_objects.filter(deleted_at__isnull=False)
        .select_related("deleted_by")
        .order_by("-deleted_at", "-id")
    )


def register_care_sections() -> None:
    register(
        TrashSection(
            key="care_plans",
            title="Care plans",
            empty="No care plan is in the trash.",
            order=50,
            records=_trashed_plans,
            detail_url="aftercare:plan_detail",
            restore_url="aftercare:plan_restore",
        )
    )
