"""The 21-day challenge page: start it, tick today with the new collaborator met, see the
grid, the streak and what came of it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from attract.core.permissions import can_write, visible_to
from attract.core.search_text import clean_search, search_key
from attract.partners import challenge as rules
from attract.people.models import Person

CANDIDATES = 10


@login_required
@require_GET
def challenge_page(request: HttpRequest) -> HttpResponse:
    return _render(request)


def _render(request: HttpRequest, error: str = "") -> HttpResponse:
    today = rules.local_today(request.user)
    latest = rules.latest_challenge(request.user)
    status = rules.challenge_status(latest, user=request.user, today=today) if latest else None
    search = clean_search(request.GET.get("q"))
    found = []
    if search and status and status.running and not status.today_met:
        already = latest.meetings.values("person_id")
        found = list(
            visible_to(Person.objects, request.user)
            .filter(search_name__contains=search_key(search))
            .exclude(pk__in=already)
            .select_related("company")
            .order_by("search_name", "id")[:CANDIDATES]
        )
    context = {
        "status": status,
        "today": today,
        "search": search,
        "found": found,
        "can_write": can_write(request.user),
        "error": error,
    }
    return render(request, "partners/challenge.html", context)


@login_required
@require_POST
def challenge_start(request: HttpRequest) -> HttpResponse:
    try:
        rules.challenge_start(actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Day 1 of 21: meet or speak with a new potential collaborator.")
    return redirect("partners:challenge")


@login_required
@require_POST
def challenge_meet(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("person", "")
    person = None
    if raw.isdigit() and int(raw) < 2**31:
        person = Person.objects.filter(pk=int(raw)).first()
    try:
        if person is None:
            raise ValidationError("Choose the person you met.")
        rules.challenge_meet(actor=request.user, person=person, note=request.POST.get("note", ""))
    except ValidationError as exc:
        # The page again, with the reason: nothing was recorded.
        return _render(request, error=" ".join(exc.messages))
    messages.success(request, f"Today counts: you met {person}.")
    return redirect("partners:challenge")
