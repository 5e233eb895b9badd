"""Lines taken off the plan, on the trash page (core/trash.py): restoring a quality puts it
back on side 1, where fit counts it again; a question goes back to side 2, an item of what
customers can expect to side 3 (where requirements on it count towards mismatches again)."""

from __future__ import annotations

from attract.attraction.models import Expectation, Quality, TickQuestion
from attract.core.trash import TrashSection, register


def _removed(model):
    def records(user):
        # The plan is the team's: everyone who may open the trash sees what left it.
        return (
            model.objects.filter(removed_at__isnull=False)
            .select_related("updated_by")
            .order_by("-removed_at", "-id")
        )

    return records


def register_sections() -> None:
    register(
        TrashSection(
            key="qualities",
            title="Qualities of the plan",
            empty="No quality was taken off the plan.",
            order=40,
            records=_removed(Quality),
            detail_url="attraction:quality_change",
            restore_url="attraction:quality_restore",
        )
    )
    register(
        TrashSection(
            key="questions",
            title="Questions of the plan (what makes them tick)",
            empty="No question was taken off the plan.",
            order=41,
            records=_removed(TickQuestion),
            detail_url="attraction:question_change",
            restore_url="attraction:question_restore",
        )
    )
    register(
        TrashSection(
            key="expectations",
            title="What customers can expect (side 3)",
            empty="No item was taken off side 3.",
            order=42,
            records=_removed(Expectation),
            detail_url="attraction:expectation_line",
            restore_url="attraction:expectation_restore",
        )
    )
