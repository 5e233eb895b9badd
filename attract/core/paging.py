"""One page of a list: the page number and page size a user asked for, checked, with the
numbers to show (1 … 4 5 [6] 7 8 … 40) so that a long list can be jumped through."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from attract.core.counting import ListCount

PAGE_SIZES = (25, 50, 100, 200)


def page_for(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    default_size: int = 50,
    choose_size: bool = True,
    count: ListCount | None = None,
) -> Page:
    """The requested page (the last one when the number is past the end, the first when it is
    not a number), `per_page` honoured when it is one of PAGE_SIZES and `choose_size`.
    `count`: the list's length as core.counting says it, instead of a COUNT of every row; when
    it is not exact the pages offer no last page (it is not known)."""
    size = default_size
    asked = request.GET.get("per_page", "")
    if choose_size and asked.isdigit() and int(asked) in PAGE_SIZES:
        size = int(asked)
    paginator = Paginator(queryset, size)
    if count is not None:
        paginator.count = count.value
    page = paginator.get_page(request.GET.get("page"))
    page.numbers = list(
        page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    )
    page.ellipsis = page.paginator.ELLIPSIS
    page.count_text = str(count) if count is not None else str(paginator.count)
    if count is not None and not count.exact:
        shown = [n for n in page.numbers if n == page.ellipsis or n <= page.number + 2]
        page.numbers = [*shown, page.ellipsis] if page.has_next() else shown
    page.page_sizes = PAGE_SIZES if choose_size else ()
    return page
