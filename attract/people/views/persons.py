"""Person pages: the list, one person, and the form that creates or changes one."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from attract.core.access import get_record_for_user
from attract.core.forms import apply_errors_to_form, saved_against_version
from attract.core.permissions import can_view_record, can_write
from attract.core.phone_numbers import display_phone
from attract.people import services
from attract.people.forms import PersonForm
from attract.people.models import Company, EmailAddress, Person, PhoneNumber, Relationship, Tag
from attract.people.selectors import PERSON_SORTS, person_detail_queryset, person_list_for_user
from attract.people.views import listing
from attract.people.views.detail import person_context

SORT_LABELS = {"name": "Name", "company": "Company", "fit": "Fit", "created": "Added"}


@dataclass(frozen=True)
class PersonRow:
    """What a row of the person list shows besides the person, read in Python once: the
    template engine resolving `person.phones.all.0` and formatting two dates costs as much
    again as the rest of the row (a page of 50 rows renders in half the time this way)."""

    person: Person
    email: EmailAddress | None  # the main one
    phone: PhoneNumber | None
    phone_display: str
    tags: list[Tag]
    added_iso: str
    added: str


def _person_rows(persons: list[Person]) -> list[PersonRow]:
    rows = []
    for person in persons:
        emails, phones = person.emails.all(), person.phones.all()  # prefetched, main first
        phone = phones[0] if phones else None
        created = timezone.localtime(person.created_at)
        rows.append(
            PersonRow(
                person=person,
                email=emails[0] if emails else None,
                phone=phone,
                phone_display=display_phone(phone.number) if phone else "",
                tags=list(person.tags.all()),
                added_iso=format_date(created, "c"),
                added=format_date(created, "j M Y"),
            )
        )
    return rows


@login_required
@require_GET
@vary_on_headers("HX-Request")
def person_list(request: HttpRequest) -> HttpResponse:
    form = listing.filter_form(request)
    arguments = listing.selector_arguments(form, PERSON_SORTS)
    company = _visible_company(request, form.value("company"))
    filtered = company is not None or any(
        arguments[k] for k in ("search", "owner_id", "tag", "relationship")
    )
    page = listing.page_of(
        request,
        person_list_for_user(
            user=request.user, company_id=company.pk if company else None, **arguments
        ),
        filtered=filtered,
    )
    persons = list(page.object_list)
    context = {
        "form": form,
        "page": page,
        "persons": persons,
        "rows": _person_rows(persons),
        "sort": arguments["sort"],
        "headers": listing.sort_headers(arguments["sort"], PERSON_SORTS, SORT_LABELS),
        "filtered": filtered,
        "company": company,
        "relationships": Relationship.choices,
        "can_write": can_write(request.user),
    }
    template = listing.list_template(
        request, "people/person_list.html", "people/partials/_person_table.html"
    )
    return render(request, template, context)


@login_required
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Trashed persons stay readable (the trash links here) but cannot be edited until restored.
    person = get_record_for_user(
        person_detail_queryset(include_trash=True), user=request.user, pk=pk
    )
    context = person_context(request, person)
    context["merged_into"] = _visible_merge_target(request, person)
    return render(request, "people/person_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    if not can_write(request.user):
        raise PermissionDenied("Your role can read but not change records.")
    initial = {"owner": request.user.pk}
    company_pk = request.GET.get("company", "")
    if company_pk.isdigit():
        # "Add a person" on a company page starts with that company filled in.
        company = Company.objects.filter(pk=int(company_pk)).first()
        if company is not None and can_view_record(request.user, company):
            initial["company"] = company.name
    data = request.POST if request.method == "POST" else None
    form = PersonForm(data, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=request.user, **form.service_arguments())
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        else:
            messages.success(request, f"{person.full_name} added.")
            return redirect("people:person_detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": None})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_record_for_user(person_detail_queryset(), user=request.user, pk=pk, write=True)
    data = request.POST if request.method == "POST" else None
    form = PersonForm(data, user=request.user, person=person)
    if request.method == "POST":
        saved = saved_against_version(
            form,
            lambda cleaned: services.person_update(
                actor=request.user,
                person=person,
                expected_version=cleaned["version"],
                **form.service_arguments(),
            ),
        )
        if saved:
            messages.success(request, f"{person.full_name} saved.")
            return redirect("people:person_detail", pk=person.pk)
        # The service may have set fields on the instance before refusing; show the saved
        # record's name in the heading, not the refused input.
        person.refresh_from_db()
    return render(request, "people/person_form.html", {"form": form, "person": person})


def _visible_merge_target(request: HttpRequest, person: Person) -> Person | None:
    """Where a merged duplicate went, when the user may see it."""
    if person.merged_into_id is None:
        return None
    target = Person.all_objects.filter(pk=person.merged_into_id).first()
    return target if target is not None and can_view_record(request.user, target) else None


def _visible_company(request: HttpRequest, pk: int | None) -> Company | None:
    if pk is None:
        return None
    company = Company.objects.filter(pk=pk).first()
    return company if company is not None and can_view_record(request.user, company) else None
