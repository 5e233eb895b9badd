"""Company pages: the list, one company with its people, the form, and name suggestions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from attract.core.access import get_record_for_user
from attract.core.forms import apply_errors_to_form, saved_against_version
from attract.core.permissions import can_view_record, can_write
from attract.people import services
from attract.people.forms import CompanyForm, company_label
from attract.people.models import Company, Relationship
from attract.people.selectors import (
    COMPANY_SORTS,
    company_detail_queryset,
    company_list_for_user,
    company_persons,
)
from attract.people.views import listing
from attract.people.views.detail import company_context

SORT_LABELS = {"name": "Name", "relationship": "Relationship", "fit": "Fit", "created": "Added"}
SUGGESTIONS = 20
PERSONS_SHOWN = 50


@login_required
@require_GET
@vary_on_headers("HX-Request")
def company_list(request: HttpRequest) -> HttpResponse:
    form = listing.filter_form(request)
    arguments = listing.selector_arguments(form, COMPANY_SORTS)
    filtered = any(arguments[k] for k in ("search", "owner_id", "tag", "relationship"))
    page = listing.page_of(
        request, company_list_for_user(user=request.user, **arguments), filtered=filtered
    )
    context = {
        "form": form,
        "page": page,
        "companies": page.object_list,
        "sort": arguments["sort"],
        "headers": listing.sort_headers(arguments["sort"], COMPANY_SORTS, SORT_LABELS),
        "filtered": filtered,
        "relationships": Relationship.choices,
        "can_write": can_write(request.user),
    }
    template = listing.list_template(
        request, "people/company_list.html", "people/partials/_company_table.html"
    )
    return render(request, template, context)


@login_required
@require_GET
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Trashed companies stay readable (the trash links here) but are edited only once restored.
    company = get_record_for_user(
        company_detail_queryset(include_trash=True), user=request.user, pk=pk
    )
    # A large company links to the full, paginated list instead of rendering everyone here.
    persons = list(company_persons(user=request.user, company=company)[: PERSONS_SHOWN + 1])
    context = company_context(request, company)
    context.update(
        persons=persons[:PERSONS_SHOWN],
        more_persons=len(persons) > PERSONS_SHOWN,
        merged_into=_visible_merge_target(request, company),
    )
    return render(request, "people/company_detail.html", context)


def _visible_merge_target(request: HttpRequest, company: Company) -> Company | None:
    """Where a merged duplicate went, when the user may see it."""
    if company.merged_into_id is None:
        return None
    target = Company.all_objects.filter(pk=company.merged_into_id).first()
    return target if target is not None and can_view_record(request.user, target) else None


@login_required
@require_http_methods(["GET", "POST"])
def company_create(request: HttpRequest) -> HttpResponse:
    if not can_write(request.user):
        raise PermissionDenied("Your role can read but not change records.")
    data = request.POST if request.method == "POST" else None
    form = CompanyForm(data, initial={"owner": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            company = services.company_create(actor=request.user, **form.service_arguments())
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        else:
            messages.success(request, f"{company.name} added.")
            return redirect("people:company_detail", pk=company.pk)
    return render(request, "people/company_form.html", {"form": form, "company": None})


@login_required
@require_http_methods(["GET", "POST"])
def company_edit(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_record_for_user(company_detail_queryset(), user=request.user, pk=pk, write=True)
    data = request.POST if request.method == "POST" else None
    form = CompanyForm(data, instance=company)
    if request.method == "POST":
        saved = saved_against_version(
            form,
            lambda cleaned: services.company_update(
                actor=request.user,
                company=company,
                expected_version=cleaned["version"],
                **form.service_arguments(),
            ),
        )
        if saved:
            messages.success(request, f"{company.name} saved.")
            return redirect("people:company_detail", pk=company.pk)
        company.refresh_from_db()  # the heading shows the saved name, not the refused input
    return render(request, "people/company_form.html", {"form": form, "company": company})


@login_required
@require_GET
def company_suggest(request: HttpRequest) -> HttpResponse:
    """Up to 20 companies matching what was typed, as <option>s for the person form's
    <datalist>: a select of every company would be far too heavy for a large team."""
    text = (request.GET.get("company") or request.GET.get("q") or "").strip()[:200]
    companies: list[Company] = []
    if text:
        companies = list(
            company_list_for_user(user=request.user, search=text).prefetch_related(None)[
                :SUGGESTIONS
            ]
        )
    names = [c.name.casefold() for c in companies]
    options = [company_label(c, ambiguous=names.count(c.name.casefold()) > 1) for c in companies]
    return render(request, "people/partials/_company_suggestions.html", {"options": options})
