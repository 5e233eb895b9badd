"""Act on many deals from the open or closed deal list (pipeline/bulk.py does the work; the
form, the message and its Undo are the people lists' ones)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from attract.core.redirects import safe_next
from attract.people.views.bulk import act_on_selection


@login_required
@require_POST
def deal_bulk_change(request: HttpRequest) -> HttpResponse:
    closed = request.POST.get("closed") == "1"
    back = safe_next(request) or reverse("pipeline:closed_list" if closed else "pipeline:deal_list")
    export_url = reverse("transfer:export_deals") + ("?closed=1" if closed else "")
    return act_on_selection(request, record_type="pipeline.deal", back=back, export_url=export_url)
