"""The interactions page: every interaction the user may see (as on the timelines), newest
first, filtered and paged; act on many: move them to the trash as one undoable step
(core.bulk's "engagement.interaction" kind) or export them as CSV."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from attract.accounts.models import User
from attract.core.paging import page_for
from attract.core.permissions import can_view_record, can_write, name_seen_by
from attract.core.redirects import safe_next
from attract.engagement.models import Channel, Direction
from attract.engagement.selectors import INTERACTION_DAYS, interaction_list_for_user
from attract.people.models import Person
from attract.people.views.bulk import act_on_selection
from attract.transfer.exporting import csv_lines

PAGE_SIZE = 50
# As many as a list's other exports take from a selection (people/views/bulk.py).
MAX_EXPORT = 200
SEARCH_MAX = 100
EXPORT_HEADERS = ["Summary", "Channel", "Direction", "Occurred at", "Person", "Company", "Deal"]


def _number(raw: str) -> int | None:
    # ASCII digits only, short: "١٢" or a 40-digit number is no id (no 500 on any input).
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def _filters(request: HttpRequest) -> dict:
    get = request.GET
    person = None
    if (person_id := _number(get.get("person", ""))) is not None:
        found = Person.objects.filter(pk=person_id).first()
        person = found if found and can_view_record(request.user, found) else None
    by = get.get("by", "")
    author_id = request.user.pk if by == "mine" else _number(by)
    days = _number(get.get("days", ""))
    return {
        "channel": get.get("channel", "") if get.get("channel") in Channel.values else "",
        "direction": get.get("direction", "") if get.get("direction") in Direction.values else "",
        "by": by if author_id is not None else "",
        "author_id": author_id,
        "days": days if days in INTERACTION_DAYS else None,
        "person": person,
        "q": get.get("q", "").strip()[:SEARCH_MAX],
    }


def _rows(request: HttpRequest, filters: dict):
    person = filters["person"]
    return interaction_list_for_user(
        user=request.user,
        channel=filters["channel"],
        direction=filters["direction"],
        author_id=filters["author_id"],
        days=filters["days"],
        person_id=person.pk if person else None,
        search=filters["q"],
    )


@login_required
@require_GET
def interactions(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    page = page_for(request, _rows(request, filters), default_size=PAGE_SIZE)
    context = {
        "page": page,
        "filters": filters,
        "channels": Channel.choices,
        "directions": Direction.choices,
        "windows": INTERACTION_DAYS,
        "members": list(User.objects.filter(is_active=True).order_by("full_name", "email")),
        "can_write": can_write(request.user),
        "filtered": any(
            request.GET.get(k) for k in ("channel", "direction", "by", "days", "person", "q")
        ),
    }
    return render(request, "engagement/interactions.html", context)


def _export_rows(interactions, user: User):
    yield EXPORT_HEADERS
    for item in interactions:
        yield [
            item.summary,
            item.get_channel_display(),
            item.get_direction_display(),
            timezone.localtime(item.occurred_at).isoformat(timespec="minutes"),
            # Named as this user may read them: "a private contact" for another's private one.
            name_seen_by(user, item.person),
            name_seen_by(user, item.company),
            name_seen_by(user, item.deal),
        ]


def _export(request: HttpRequest, back: str) -> HttpResponse:
    raw = request.POST.getlist("ids")
    ids = [_number(i) for i in raw]
    if not raw or None in ids or len(ids) > MAX_EXPORT:
        messages.error(
            request,
            f"Select 1 to {MAX_EXPORT} interactions to export (the selection had a bad id)."
            if raw
            else "Select at least one interaction to export.",
        )
        return redirect(back)
    found = list(interaction_list_for_user(user=request.user).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        # All or none: an id that is not one the user may see exports nothing.
        messages.error(
            request, "Some selected interactions are not there any more: nothing exported."
        )
        return redirect(back)
    lines = csv_lines(_export_rows(found, request.user))
    response = StreamingHttpResponse(("\ufeff", *lines), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="interactions-{stamp}.csv"'
    return response


@login_required
@require_POST
def interaction_bulk_change(request: HttpRequest) -> HttpResponse:
    back = safe_next(request) or reverse("engagement:interactions")
    if request.POST.get("action") == "export":
        return _export(request, back)
    return act_on_selection(
        request,
        record_type="engagement.interaction",
        back=back,
        export_url=reverse("engagement:interactions"),
    )
