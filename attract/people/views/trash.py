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
from django.views.decorators.http import require_GET, require_POST

from attract.core.access import get_record_for_user
from attract.core.permissions import can_write
from attract.core.redirects import safe_next
from attract.core.trash import sections as trash_sections
from attract.people import services
from attract.people.models import Company, Person

PAGE_SIZE = 50


def _message(request: HttpRequest, **context) -> str:
    # Rendered through a template so that names are escaped and the Undo form carries its
    # CSRF token; the message storage keeps the result marked safe.
    return render_to_string("people/partials/_trash_message.html", context, request=request)


def trashed_message(request: HttpRequest, *, name: str, restore_url: str, record_url: str) -> str:
    """The message after moving any record to the trash: its name, and Undo (a POST to its
    restore URL). Every kind answers with the same one (persons, companies, deals, partners,
    initiatives, topics)."""
    return _message(
        request, action="trashed", name=name, restore_url=restore_url, record_url=record_url
    )


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
    shown = []
    for section in trash_sections():
        page = _page(request, section.records(request.user), f"{section.key}_page")
        page.rows = [
            {
                "record": record,
                "url": reverse(section.detail_url, args=[record.pk]),
                "restore_url": reverse(section.restore_url, args=[record.pk]),
                "context": section.context(record, request.user),
            }
            for record in page.object_list
        ]
        shown.append({"section": section, "page": page})
    context = {"sections": shown, "can_write": can_write(request.user)}
    return render(request, "people/trash.html", context)


# Persons and companies go in and out of the trash the same way; these say how they differ.
KINDS = {
    Person: ("person", services.person_trash, services.person_restore, "people:person_list"),
    Company: ("company", services.company_trash, services.company_restore, "people:company_list"),
}


def _trash(request: HttpRequest, model: type[Person | Company], pk: int) -> HttpResponse:
    name, trash_record, _, list_url = KINDS[model]
    record = get_record_for_user(model.objects.all(), user=request.user, pk=pk, write=True)
    trash_record(actor=request.user, **{name: record})
    messages.success(
        request,
        _message(
            request,
            action="trashed",
            name=str(record),
            restore_url=reverse(f"people:{name}_restore", args=[record.pk]),
            record_url=reverse(f"people:{name}_detail", args=[record.pk]),
        ),
    )
    return redirect(safe_next(request) or reverse(list_url))


def _restore(request: HttpRequest, model: type[Person | Company], pk: int) -> HttpResponse:
    name, _, restore_record, _ = KINDS[model]
    record = get_record_for_user(model.all_objects.all(), user=request.user, pk=pk, write=True)
    restore_record(actor=request.user, **{name: record})
    record_url = reverse(f"people:{name}_detail", args=[record.pk])
    messages.success(
        request, _message(request, action="restored", name=str(record), record_url=record_url)
    )
    return redirect(safe_next(request) or record_url)


@login_required
@require_POST
def person_trash(request: HttpRequest, pk: int) -> HttpResponse:
    return _trash(request, Person, pk)


@login_required
@require_POST
def person_restore(request: HttpRequest, pk: int) -> HttpResponse:
    return _restore(request, Person, pk)


@login_required
@require_POST
def company_trash(request: HttpRequest, pk: int) -> HttpResponse:
    return _trash(request, Company, pk)


@login_required
@require_POST
def company_restore(request: HttpRequest, pk: int) -> HttpResponse:
    return _restore(request, Company, pk)
