"""Testimonials and case studies on the trash page (core/trash.py). Departures never go to
the trash: they are corrected, not removed."""

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


def register_departure_sections() -> None:
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
