"""Reads of testimonials and case studies, narrowed to the companies the user may see, and
the published forms of each (snippet, printable page, export), which show only what the
customer consented to."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.template.loader import render_to_string

from attract.accounts.models import User
from attract.aftercare.models import CaseStudy, Consent, Testimonial
from attract.aftercare.survey_services import business_name
from attract.aftercare.testimonial_services import attribution


def _visible(manager, user: User) -> QuerySet:
    return manager.filter(
        Q(company__is_private=False) | Q(company__owner_id=user.pk),
        company__deleted_at__isnull=True,
    ).select_related("company", "person")


def visible_testimonials(user: User, *, include_trash: bool = False) -> QuerySet[Testimonial]:
    return _visible(Testimonial.all_objects if include_trash else Testimonial.objects, user)


def visible_case_studies(user: User, *, include_trash: bool = False) -> QuerySet[CaseStudy]:
    manager = CaseStudy.all_objects if include_trash else CaseStudy.objects
    return _visible(manager, user).defer("image")


def publishable(queryset: QuerySet) -> QuerySet:
    return queryset.exclude(consent=Consent.NONE)


def testimonial_snippet(testimonial: Testimonial) -> str:
    """The HTML a website pastes in: the words and, as far as consented, who said them."""
    return render_to_string(
        "aftercare/snippets/testimonial.html",
        {"t": testimonial, "who": attribution(testimonial)},
    ).strip()


def case_study_snippet(case: CaseStudy) -> str:
    return render_to_string(
        "aftercare/snippets/case_study.html",
        {
            "case": case,
            "who": attribution(case),
            "business": business_name(),
            # The picture goes beside the page on the website, under this name.
            "image_src": f"case-study-{case.pk}.{'png' if case.image_type == 'image/png' else 'jpg'}",
        },
    ).strip()


def export_rows(user: User) -> list[list[str]]:
    """The testimonials a website may use, for a spreadsheet: consent decides the name shown,
    and those kept for ourselves are not in it."""
    rows = [["Words", "Who", "Date", "Consent"]]
    for t in publishable(visible_testimonials(user)).order_by("-said_on", "-id"):
        rows.append([t.words, attribution(t), t.said_on.isoformat(), t.get_consent_display()])
    return rows
