"""The trash: what the user may see that was moved there, and the POST-only doors in and out.

Moving a record to the trash answers with a message carrying an Undo button (a small POST
form that restores it); restoring answers with a link back to the record.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from attract.core.access import get_record_for_user
from attract.core.permissions import can_write
from attract.people import services
from attract.people.models import Company, Person
from attract.people.selectors import trash_for_user

PAGE_SIZE = 50


def _safe_next(request: HttpRequest) -> str | None:
    """The page to return to, if the form named one on this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _message(request: HttpRequest, **context) -> str:
    # Rendered through a template so that names are escaped and the Undo form carries its
    # CSRF token; the message storage keeps the result marked safe.
    return render_to_string("people/partials/_trash_message.html", context, request=request)


def _page(request: HttpRequest, queryset: QuerySet, param: str) -> Page:
    """One page of a trash table; each table pages on its own, keeping the other's place."""
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get(param))
    for name, number in (
        ("previous_url", page.has_previous() and page.previous_page_number()),
        ("next_url", page.has_next() and page.next_page_number()),
    ):
        query = request.GET.copy()
        query[param] = str(number)
        setattr(page, name, f"?{query.urlencode()}" if number else "")
    return page


@login_required
@require_GET
def trash(request: HttpRequest) -> HttpResponse:
    companies, persons = trash_for_user(user=request.user)
    context = {
        "company_page": _page(request, companies.select_related("merged_into"), "companies_page"),
        "person_page": _page(request, persons.select_related("merged_into"), "people_page"),
        "can_write": can_write(request.user),
    }
    return render(request, "people/trash.html", context)


@login_required
@require_POST
def person_trash(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_record_for_user(Person.objects.all(), user=request.user, pk=pk, write=True)
    services.person_trash(actor=request.user, person=person)
    messages.success(
        request,
        _message(
            request,
            action="trashed",
            name=person.full_name,
            restore_url=reverse("people:person_restore", args=[person.pk]),
            record_url=reverse("people:person_detail", args=[person.pk]),
        ),
    )
    return redirect(_safe_next(request) or reverse("people:person_list"))


@login_required
@require_POST
def person_restore(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_record_for_user(Person.all_objects.all(), user=request.user, pk=pk, write=True)
    services.person_restore(actor=request.user, person=person)
    record_url = reverse("people:person_detail", args=[person.pk])
    messages.success(
        request, _message(request, action="restored", name=person.full_name, record_url=record_url)
    )
    return redirect(_safe_next(request) or record_url)


@login_required
@require_POST
def company_trash(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_record_for_user(Company.objects.all(), user=request.user, pk=pk, write=True)
    services.company_trash(actor=request.user, company=company)
    messages.success(
        request,
        _message(
            request,
            action="trashed",
            name=company.name,
            restore_url=reverse("people:company_restore", args=[company.pk]),
            record_url=reverse("people:company_detail", args=[company.pk]),
        ),
    )
    return redirect(_safe_next(request) or reverse("people:company_list"))


@login_required
@require_POST
def company_restore(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_record_for_user(Company.all_objects.all(), user=request.user, pk=pk, write=True)
    services.company_restore(actor=request.user, company=company)
    record_url = reverse("people:company_detail", args=[company.pk])
    messages.success(
        request, _message(request, action="restored", name=company.name, record_url=record_url)
    )
    return redirect(_safe_next(request) or record_url)
