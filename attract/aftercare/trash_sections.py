"""Departures, testimonials and case studies on the trash page (core/trash.py). A departure
goes to the trash only when it was recorded by mistake; restoring it puts it back."""

from __future__ import annotations

from attract.core.trash import TrashSection, register


def _trashed_testimonials(user):
    from attract.aftercare.testimonial_selectors import visible_testimonials

    return (
        visible_testimonials(user, include_trash=True)
        .filter(deleted_at__isnull=False)
        .select_related("deleted_by")
        .order_by("-deleted_at", "-id")
    )


def _trashed_case_studies(user):
    from attract.aftercare.testimonial_selectors import visible_case_studies

    return (
        visible_case_studies(user, include_trash=True)
        .filter(deleted_at__isnull=False)
        .select_related("deleted_by")
        .order_by("-deleted_at", "-id")
    )


def _trashed_departures(user):
    from attract.aftercare.departure_selectors import visible_departures

    return (
        visible_departures(user, include_trash=True)
        .filter(deleted_at__isnull=False)
        .select_related("company", "deleted_by")
        .order_by("-deleted_at", "-id")
    )


def _departure_context(record, user) -> str:
    return record.reason_label


def register_departure_sections() -> None:
    register(
        TrashSection(
            key="departures",
            title="Departures",
            empty="No departure is in the trash.",
            order=49,
            records=_trashed_departures,
            detail_url="aftercare:departure_detail",
            restore_url="aftercare:departure_restore",
            context_label="Why they left (our guess)",
            context=_departure_context,
        )
    )
    register(
        TrashSection(
            key="testimonials",
            title="Testimonials",
            empty="No testimonial is in the trash.",
            order=50,
            records=_trashed_testimonials,
            detail_url="aftercare:testimonial_detail",
            restore_url="aftercare:testimonial_restore",
        )
    )
    register(
        TrashSection(
            key="case_studies",
            title="Case studies",
            empty="No case study is in the trash.",
            order=51,
            records=_trashed_case_studies,
            detail_url="aftercare:case_detail",
            restore_url="aftercare:case_restore",
        )
    )
