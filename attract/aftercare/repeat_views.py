"""The repeat-purchase page: the share of customers who bought again by the year they first
bought, and the one-time buyers to care for."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from attract.aftercare.repeat_selectors import (
    ONE_TIME_SORTS,
    one_time_buyers,
    repeat_cohorts,
    summaries_for,
)
from attract.core.paging import page_for


@login_required
@require_GET
def repeat_purchase(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "recent")
    sort = sort if sort in ONE_TIME_SORTS else "recent"
    rows = summaries_for(request.user)  # the user's rows, asked once for both reads
    cohorts = repeat_cohorts(user=request.user, rows=rows)
    customers = sum(c.customers for c in cohorts)
    repeat = sum(c.repeat for c in cohorts)
    page = page_for(
        request, one_time_buyers(user=request.user, sort=sort, rows=rows), default_size=25
    )
    context = {
        "cohorts": cohorts,
        "customers": customers,
        "repeat": repeat,
        "share": round(100 * repeat / customers, 1) if customers else 0.0,
        "page": page,
        "buyers": page.object_list,
        "sort": sort,
        "nav_current": "care",
    }
    return render(request, "aftercare/repeat_purchase.html", context)
