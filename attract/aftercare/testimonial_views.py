"""Testimonial and case-study pages: the list, one of each (its copyable snippet and printable
page), the forms, publishing (refused without consent), the trash, asking for a testimonial
(a task), the export for a website, and a case study's picture."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attract.aftercare import testimonial_selectors as selectors
from attract.aftercare import testimonial_services as services
from attract.aftercare.models import CaseStudy, Consent, Testimonial
from attract.aftercare.survey_services import business_name
from attract.aftercare.testimonial_forms import CaseStudyForm, TestimonialForm
from attract.core.access import get_record_for_user
from attract.core.forms import apply_errors_to_form, saved_against_version
from attract.core.permissions import can_change_record, can_write, visible_to
from attract.core.search_text import clean_search, search_key
from attract.people.models import Company, Relationship


def _testimonial(request: HttpRequest, pk: int, *, write: bool = False, trash: bool = False):
    queryset = selectors.visible_testimonials(request.user, include_trash=trash or not write)
    return get_record_for_user(queryset, user=request.user, pk=pk, write=write)


def _case(request: HttpRequest, pk: int, *, write: bool = False, trash: bool = False):
    queryset = selectors.visible_case_studies(request.user, include_trash=trash or not write)
    return get_record_for_user(queryset, user=request.user, pk=pk, write=write)


def _persons(request: HttpRequest, company: Company):
    return list(visible_to(company.persons.all(), request.user).order_by("search_name")[:200])


def _company(request: HttpRequest):
    raw = request.GET.get("company") or ""
    if not raw.isdigit():
        return None
    return get_record_for_user(Company.objects.all(), user=request.user, pk=int(raw), write=True)


def _company_choices(request: HttpRequest) -> tuple[str, list[Company]]:
    """The first step of a new testimonial: find the customer."""
    search = clean_search(request.GET.get("q"))
    companies = visible_to(Company.objects, request.user).filter(
        relationship__in=[Relationship.CUSTOMER, Relationship.FORMER_CUSTOMER]
    )
    if search:
        companies = companies.filter(search_name__contains=search_key(search))
    return search, list(companies.order_by("search_name", "id")[:20])


@login_required
@require_GET
def testimonial_list(request: HttpRequest) -> HttpResponse:
    context = {
        "testimonials": list(selectors.visible_testimonials(request.user)[:100]),
        "cases": list(selectors.visible_case_studies(request.user)[:100]),
        "nav_current": "care",
    }
    return render(request, "aftercare/testimonial_list.html", context)


def _create(request: HttpRequest, kind: str) -> HttpResponse:
    if not can_write(request.user):
        raise PermissionDenied("Your role can read but not change records.")
    company = _company(request)
    if company is None:
        search, companies = _company_choices(request)
        return render(
            request,
            "aftercare/choose_customer.html",
            {"search": search, "companies": companies, "kind": kind, "nav_current": "care"},
        )
    form_class = TestimonialForm if kind == "testimonial" else CaseStudyForm
    data = request.POST if request.method == "POST" else None
    form = form_class(data, request.FILES or None, persons=_persons(request, company))
    if request.method == "POST" and form.is_valid():
        try:
            if kind == "testimonial":
                record = services.testimonial_create(
                    actor=request.user, company=company, **form.service_fields()
                )
                url = ("aftercare:testimonial_detail", record.pk)
            else:
                record = services.case_study_create(
                    actor=request.user,
                    company=company,
                    image=form.cleaned_data.get("image"),
                    **form.service_fields(),
                )
                url = ("aftercare:case_detail", record.pk)
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect(url[0], pk=url[1])
    template = (
        "aftercare/testimonial_form.html" if kind == "testimonial" else "aftercare/case_form.html"
    )
    return render(
        request, template, {"form": form, "company": company, "record": None, "nav_current": "care"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def testimonial_create(request: HttpRequest) -> HttpResponse:
    return _create(request, "testimonial")


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    return _create(request, "case")


@login_required
@require_GET
def testimonial_detail(request: HttpRequest, pk: int) -> HttpResponse:
    testimonial = _testimonial(request, pk)
    context = {
        "t": testimonial,
        "who": services.attribution(testimonial),
        "snippet": selectors.testimonial_snippet(testimonial)
        if testimonial.consent != Consent.NONE
        else "",
        "can_change": can_change_record(request.user, testimonial) and not testimonial.in_trash,
        "nav_current": "care",
    }
    return render(request, "aftercare/testimonial_detail.html", context)


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    context = {
        "case": case,
        "who": services.attribution(case),
        "snippet": selectors.case_study_snippet(case) if case.consent != Consent.NONE else "",
        "can_change": can_change_record(request.user, case) and not case.in_trash,
        "nav_current": "care",
    }
    return render(request, "aftercare/case_detail.html", context)


def _initial(record, names) -> dict:
    return {**{n: getattr(record, n) for n in names}, "person": record.person_id,
            "version": record.version}  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def testimonial_edit(request: HttpRequest, pk: int) -> HttpResponse:
    testimonial = _testimonial(request, pk, write=True)
    form = TestimonialForm(
        request.POST or None,
        initial=_initial(testimonial, ("words", "said_on", "consent")),
        persons=_persons(request, testimonial.company),
    )
    if request.method == "POST" and saved_against_version(
        form,
        lambda data: services.testimonial_update(
            actor=request.user,
            testimonial=testimonial,
            expected_version=data.get("version"),
            **form.service_fields(),
        ),
    ):
        return redirect("aftercare:testimonial_detail", pk=testimonial.pk)
    context = {"form": form, "company": testimonial.company, "record": testimonial,
               "nav_current": "care"}  # fmt: skip
    return render(request, "aftercare/testimonial_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, write=True)
    form = CaseStudyForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        initial=_initial(case, ("title", "pain", "what_we_did", "result", "consent")),
        persons=_persons(request, case.company),
    )
    if request.method == "POST" and saved_against_version(
        form,
        lambda data: services.case_study_update(
            actor=request.user,
            case=case,
            expected_version=data.get("version"),
            image=data.get("image"),
            remove_image=data.get("remove_image", False),
            **form.service_fields(),
        ),
    ):
        return redirect("aftercare:case_detail", pk=case.pk)
    context = {"form": form, "company": case.company, "record": case, "nav_current": "care"}
    return render(request, "aftercare/case_form.html", context)


def _publish(request: HttpRequest, record, publish_service, detail: str) -> HttpResponse:
    publish = request.POST.get("action", "publish") != "unpublish"
    try:
        publish_service(actor=request.user, publish=publish, **{
            "testimonial" if isinstance(record, Testimonial) else "case": record})  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Published." if publish else "No longer published.")
    return redirect(detail, pk=record.pk)


@login_required
@require_POST
def testimonial_publish(request: HttpRequest, pk: int) -> HttpResponse:
    record = _testimonial(request, pk, write=True)
    return _publish(request, record, services.testimonial_publish, "aftercare:testimonial_detail")


@login_required
@require_POST
def case_publish(request: HttpRequest, pk: int) -> HttpResponse:
    record = _case(request, pk, write=True)
    return _publish(request, record, services.case_study_publish, "aftercare:case_detail")


@login_required
@require_POST
def testimonial_trash(request: HttpRequest, pk: int) -> HttpResponse:
    services.testimonial_trash(
        actor=request.user, testimonial=_testimonial(request, pk, write=True)
    )
    messages.success(request, "The testimonial is in the trash.")
    return redirect("aftercare:testimonials")


@login_required
@require_POST
def testimonial_restore(request: HttpRequest, pk: int) -> HttpResponse:
    record = _testimonial(request, pk, write=True, trash=True)
    services.testimonial_restore(actor=request.user, testimonial=record)
    return redirect("aftercare:testimonial_detail", pk=record.pk)


@login_required
@require_POST
def case_trash(request: HttpRequest, pk: int) -> HttpResponse:
    services.case_study_trash(actor=request.user, case=_case(request, pk, write=True))
    messages.success(request, "The case study is in the trash.")
    return redirect("aftercare:testimonials")


@login_required
@require_POST
def case_restore(request: HttpRequest, pk: int) -> HttpResponse:
    record = _case(request, pk, write=True, trash=True)
    services.case_study_restore(actor=request.user, case=record)
    return redirect("aftercare:case_detail", pk=record.pk)


@login_required
@require_POST
def testimonial_ask(request: HttpRequest, company_pk: int) -> HttpResponse:
    company = get_record_for_user(
        Company.objects.all(), user=request.user, pk=company_pk, write=True
    )
    persons = {p.pk: p for p in _persons(request, company)}
    raw = request.POST.get("person", "")
    person = persons.get(int(raw)) if raw.isdigit() else None
    try:
        task = services.testimonial_request(actor=request.user, company=company, person=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Task added: {task.title}.")
    return redirect("people:company_detail", pk=company.pk)


@login_required
@require_GET
def testimonial_print(request: HttpRequest, pk: int) -> HttpResponse:
    testimonial = _testimonial(request, pk)
    context = {"t": testimonial, "who": services.attribution(testimonial), "nav_current": "care",
               "business": business_name()}  # fmt: skip
    status = 200 if testimonial.consent != Consent.NONE else 409
    return render(request, "aftercare/testimonial_print.html", context, status=status)


@login_required
@require_GET
def case_print(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    context = {"case": case, "who": services.attribution(case), "nav_current": "care",
               "business": business_name()}  # fmt: skip
    status = 200 if case.consent != Consent.NONE else 409
    return render(request, "aftercare/case_print.html", context, status=status)


@login_required
@require_GET
def case_image(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_record_for_user(
        CaseStudy.all_objects.select_related("company"), user=request.user, pk=pk
    )
    if not case.image:
        return HttpResponse(status=404)
    response = HttpResponse(bytes(case.image), content_type=case.image_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def testimonial_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="testimonials.csv"'
    writer = csv.writer(response)
    for row in selectors.export_rows(request.user):
        writer.writerow([_spreadsheet_safe(cell) for cell in row])
    return response


def _spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet would read as a formula is written as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
