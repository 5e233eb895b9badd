"""One page of a list: the page number and page size a user asked for, checked, with the
numbers to show (1 … 4 5 [6] 7 8 … 40) so that a long list can be jumped through."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZES = (25, 50, 100, 200)


def page_for(
    request: HttpRequest, queryset: QuerySet, *, default_size: int = 50, choose_size: bool = True
) -> Page:
    """The requested page (the last one when the number is past the end, the first when it is
    not a number), `per_page` honoured when it is one of PAGE_SIZES and `choose_size`."""
    size = default_size
    asked = request.GET.get("per_page", "")
    if choose_size and asked.isdigit() and int(asked) in PAGE_SIZES:
        size = int(asked)
    page = Paginator(queryset, size).get_page(request.GET.get("page"))
    page.numbers = list(
        page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    )
    page.ellipsis = page.paginator.ELLIPSIS
    page.page_sizes = PAGE_SIZES if choose_size else ()
    return page
