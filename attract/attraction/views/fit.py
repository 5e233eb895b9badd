"""Fit on company and person pages (the side card and its "Assess" dialog), and the plan on
one page: printable HTML and a PDF download."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from attract.attraction import selectors, services
from attract.attraction.models import Answer, Expectation, Quality
from attract.attraction.plan_pdf import plan_pdf
from attract.core.access import get_record_for_user
from attract.core.paging import page_for
from attract.core.permissions import can_change_record
from attract.people.models import Relationship
from attract.people.selectors import company_detail_queryset, person_detail_queryset
from attract.pipeline.models import Deal
from attract.pipeline.services import deal_close_as_no

SUBJECTS = {
    "company": (company_detail_queryset, "people:company_detail"),
    "person": (person_detail_queryset, "people:person_detail"),
}


def fit_card_context(user, subject: str, record: Model, error: str = "") -> dict[str, Any]:
    """What the fit card shows: the score, share assessed, each quality with its answer,
    the measurable items with the requirement and any mismatch."""
    # Five queries whatever the plan holds: qualities, measurable items, answers,
    # requirements, and the fit score from the database. There is one plan, so its sides
    # are read without fetching it.
    kwargs = {subject: record}
    qualities = list(Quality.objects.filter(removed_at__isnull=True))
    answers = selectors.assessments_for(**kwargs)
    requirement_list = selectors.requirements_for(**kwargs)
    requirements = {r.expectation_id: r for r in requirement_list}
    measurable = Expectation.objects.filter(removed_at__isnull=True, value__isnull=False)
    return {
        "subject": subject,
        "record": record,
        "fit": selectors.fit_for(**kwargs, qualities=len(qualities), requirements=requirement_list),
        "rows": [(q, answers.get(q.pk, "unknown")) for q in qualities],
        "measurable": [(e, requirements.get(e.pk)) for e in measurable],
        "can_assess": can_change_record(user, record) and not record.in_trash,
        "error": error,
        "answer_choices": Answer.choices,
    }


def _record(request: HttpRequest, subject: str, pk: int) -> Model:
    if subject not in SUBJECTS:
        raise Http404
    queryset, _ = SUBJECTS[subject]
    return get_record_for_user(queryset(), user=request.user, pk=pk, write=True)


def _card(request: HttpRequest, subject: str, record: Model, error: str = "") -> HttpResponse:
    if request.htmx:
        return render(
            request,
            "attraction/partials/_fit_assessed.html",
            fit_card_context(request.user, subject, record, error),
        )
    return redirect(SUBJECTS[subject][1], record.pk)


@require_POST
@login_required
def assess(request: HttpRequest, subject: str, pk: int) -> HttpResponse:
    record = _record(request, subject, pk)
    quality = Quality.objects.filter(pk=request.POST.get("quality") or 0).first()
    if quality is None:
        raise Http404
    error = ""
    try:
        services.assessment_set(
            actor=request.user,
            quality=quality,
            answer=request.POST.get("answer", ""),
            **{subject: record},
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    return _card(request, subject, record, error)


@require_POST
@login_required
def require(request: HttpRequest, subject: str, pk: int) -> HttpResponse:
    record = _record(request, subject, pk)
    item = Expectation.objects.filter(pk=request.POST.get("expectation") or 0).first()
    if item is None:
        raise Http404
    error = ""
    try:
        services.requirement_set(
            actor=request.user,
            expectation=item,
            value=request.POST.get("value"),
            note=request.POST.get("note", ""),
            **{subject: record},
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    return _card(request, subject, record, error)


def _one_page(request: HttpRequest) -> dict[str, Any]:
    plan = services.plan_get()
    return {
        "plan": plan,
        "qualities": list(selectors.active_qualities(plan)),
        "questions": list(selectors.active_questions(plan)),
        "expectations": list(selectors.active_expectations(plan)),
        "statement": selectors.statement_for(plan),
        "perfect_now": selectors.perfect_customer_count(request.user),
    }


@login_required
def plan_print(request: HttpRequest) -> HttpResponse:
    return render(request, "attraction/print.html", _one_page(request))


@login_required
def plan_download(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(plan_pdf(**_one_page(request)), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="attraction-plan.pdf"'
    return response


@login_required
def companies_by_fit(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "fit")
    relationship = request.GET.get("relationship", "")
    if relationship not in Relationship.values:
        relationship = ""
    if sort not in selectors.FIT_SORTS:
        sort = "fit"
    queryset = selectors.companies_by_fit(user=request.user, relationship=relationship, sort=sort)
    page = page_for(request, queryset, default_size=50)
    return render(
        request,
        "attraction/companies_by_fit.html",
        {
            "page": page,
            "companies": page.object_list,
            "sort": sort,
            "relationship": relationship,
            "relationships": Relationship.choices,
            "qualities": Quality.objects.filter(removed_at__isnull=True).count(),
        },
    )


@require_POST
@login_required
def deal_not_a_fit(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a poor-fit deal as "not a fit", through pipeline's fast-no service, with the
    reason written from the fit (ready for referral work later)."""
    deal = get_record_for_user(
        Deal.objects.select_related("company", "contact"), user=request.user, pk=pk, write=True
    )
    # Whose fit: the company's, or the main contact's when the deal has no company.
    if deal.company is not None:
        fit = selectors.fit_for(company=deal.company)
    elif deal.contact is not None:
        fit = selectors.fit_for(person=deal.contact)
    else:
        raise Http404
    reasons = [r.mismatch_reason for r in fit.mismatches]
    if fit.score is not None:
        reasons.insert(0, f"Fit {fit.score}/100.")
    try:
        deal_close_as_no(actor=request.user, deal=deal, reason="Not a fit. " + " ".join(reasons))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"“{deal.title}” closed as not a fit.")
    if request.POST.get("next") == "board":
        return redirect("pipeline:board")
    return redirect("pipeline:deal_detail", deal.pk)
