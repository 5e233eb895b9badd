"""What the person and company list pages share: filters, sort headers, pages of 50."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import HttpRequest

from attract.accounts.models import User
from attract.core.counting import list_count
from attract.core.paging import page_for
from attract.people.forms import ListFilterForm

PAGE_SIZE = 50


@dataclass(frozen=True)
class SortHeader:
    key: str  # the sort the header link asks for next
    label: str
    aria_sort: str  # "ascending", "descending" or "none", for screen readers and the arrow


def filter_form(request: HttpRequest) -> ListFilterForm:
    owners = list(User.objects.filter(is_active=True).order_by("full_name", "email"))
    form = ListFilterForm(request.GET, owners=owners)
    form.is_valid()
    return form


def selector_arguments(form: ListFilterForm, sorts: dict[str, Any]) -> dict[str, Any]:
    sort = form.value("sort")
    return {
        "search": form.value("q") or "",
        "owner_id": form.value("owner"),
        "tag": form.value("tag") or "",
        "relationship": form.value("relationship") or "",
        "sort": sort if sort in sorts else "name",
    }


# Columns whose first click sorts from the highest down (the best fit first; on the deal
# lists the biggest revenue, the most days in a stage, the newest close).
DESCENDING_FIRST = {"fit", "revenue", "days", "closed"}


def sort_headers(current: str, sorts: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    """One header per sortable column: a click sorts by it, a second click reverses it when the
    selector offers the reverse."""
    headers = {}
    for key, label in labels.items():
        first, second = (
            ("descending", "ascending") if key in DESCENDING_FIRST else ("ascending", "descending")
        )
        if current == key:
            following = f"-{key}" if f"-{key}" in sorts else key
            headers[key] = SortHeader(following, label, first)
        elif current == f"-{key}":
            headers[key] = SortHeader(key, label, second)
        else:
            headers[key] = SortHeader(key, label, "none")
    return headers


def page_of(request: HttpRequest, queryset: QuerySet, *, filtered: bool) -> Page:
    """A page of 50, the list's length said as core.counting decides (exact when small,
    "about" from the table's statistics when unfiltered and long, "more than" when filtered
    and long): no COUNT over a million rows on every page."""
    count = list_count(queryset, filtered=filtered)
    return page_for(request, queryset, default_size=PAGE_SIZE, count=count)


def list_template(request: HttpRequest, full: str, partial: str) -> str:
    """Only the table for htmx's in-page updates; the whole page for everything else,
    including htmx restoring a page from history."""
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return partial
    return full
