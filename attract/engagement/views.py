"""Pages of the engagement app: quick-log, the honest review, awaiting reply, goals, tasks and
the private calendar feed. Each view fetches through the access helper, calls a service or a
selector, and renders."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotFound, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from icalendar import Calendar, Event

from attract.core.access import get_record_for_user
from attract.core.forms import apply_errors_to_form
from attract.core.permissions import can_write
from attract.engagement import services
from attract.engagement.calendar_sources import extra_events
from attract.engagement.forms import (
    GoalForm,
    InteractionForm,
    OverrideForm,
    ReviewFilterForm,
    TaskForm,
)
from attract.engagement.goals import goal_progress
from attract.engagement.models import GoalKind, Task, Verdict
from attract.engagement.pushpull import (
    deal_verdicts,
    open_deals_with_pull,
    pull_share,
    weekly_pull_share,
)
from attract.engagement.responses import (
    AWAITING_COUNT_CAP,
    AWAITING_PAGE_SIZE,
    RESPONSE_DAYS,
    awaiting_count,
    awaiting_reply,
    cursor_of,
    parse_cursor,
    response_stats,
    target_hours,
)
from attract.engagement.selectors import calendar_feed_user, tasks_for_user
from attract.engagement.timeline import SUBJECTS, timeline_context
from attract.pipeline.models import Deal

# Each row carries its evidence and an override form: 25 make a page one can act on.
REVIEW_PAGE_SIZE = 25


def _subject(request: HttpRequest, kind: str, pk: int, *, write: bool = False):
    if kind not in SUBJECTS:
        raise Http404
    model, detail_url = SUBJECTS[kind]
    record = get_record_for_user(model.objects.all(), user=request.user, pk=pk, write=write)
    return record, reverse(detail_url, args=[pk])


@login_required
@require_POST
def interaction_log(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    record, detail_url = _subject(request, kind, pk, write=True)
    form = InteractionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.interaction_log(
                actor=request.user,
                channel=data["channel"],
                direction=data["direction"],
                summary=data["summary"],
                outcome=data["outcome"],
                occurred_at=data["occurred_at"],
                needs_reply=data["needs_reply"] or None,
                **{kind: record},
            )
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        else:
            form = InteractionForm()
            if not request.htmx:
                messages.success(request, "Interaction logged.")
    if not request.htmx:
        if form.errors:
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(f"{detail_url}#timeline")
    context = timeline_context(user=request.user, kind=kind, record=record, form=form)
    return render(request, "engagement/partials/_timeline.html", context)


@login_required
@require_GET
def review(request: HttpRequest) -> HttpResponse:
    """Every open deal, a page at a time, filtered by owner and verdict. The verdicts and the
    shares come from the stored signal of each deal, so the page reads no interaction but the
    evidence of the deals it shows."""
    now = timezone.now()
    overall, per_owner = pull_share(user=request.user, now=now)
    owners = [(s.owner_id, s.label) for s in per_owner if s.owner_id]
    filters = ReviewFilterForm(request.GET, owners=owners)
    deals, counted = open_deals_with_pull(user=request.user, now=now), overall
    owner_id = verdict = None
    if filters.is_valid():
        owner_id, verdict = filters.cleaned_data["owner"], filters.cleaned_data["verdict"]
    if owner_id:
        deals = deals.filter(owner_id=owner_id)
        counted = next(s for s in per_owner if s.owner_id == owner_id)
    if verdict:
        deals = deals.filter(is_pull=verdict == Verdict.PULL)
    # Longest in their stage first (an index order: the page stops after its rows), and the
    # count taken from the shares just computed, not from a second pass over every deal.
    deals = deals.select_related("owner", "company").order_by("stage_entered_at", "id")
    paginator = Paginator(deals, REVIEW_PAGE_SIZE)
    paginator.count = {
        Verdict.PULL: counted.pull,
        Verdict.PUSH: counted.total - counted.pull,
    }.get(verdict, counted.total)
    page = paginator.get_page(request.GET.get("page"))
    verdicts = deal_verdicts(deal_ids=[d.pk for d in page.object_list], now=now)
    context = {
        "rows": [(deal, verdicts[deal.pk]) for deal in page.object_list],
        "page": page,
        "filters": filters,
        "overall": overall,
        "per_owner": per_owner,
        "weeks": weekly_pull_share(user=request.user, now=now, current=overall),
        "can_write": can_write(request.user),
    }
    return render(request, "engagement/review.html", context)


@login_required
@require_POST
def verdict_override(request: HttpRequest, pk: int) -> HttpResponse:
    deal = get_record_for_user(Deal.objects.all(), user=request.user, pk=pk, write=True)
    form = OverrideForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        services.verdict_override_set(
            actor=request.user,
            deal=deal,
            verdict=form.cleaned_data["verdict"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        messages.error(request, f"“{deal.title}”: " + " ".join(exc.messages))
    else:
        messages.success(request, f"Your verdict on “{deal.title}” is kept, with your reason.")
    # Back to the same page of the same filters, at the deal's row.
    back = QueryDict(request.POST.get("back", ""))
    kept = urlencode({k: back[k] for k in ("owner", "verdict", "page") if back.get(k)})
    return redirect(f"{reverse('engagement:review')}{'?' + kept if kept else ''}#deal-{deal.pk}")


@login_required
@require_GET
def awaiting(request: HttpRequest) -> HttpResponse:
    """Oldest first, a page at a time (keyset: ?after= the last row's position), the waiting
    counted up to a cap, and the response times read from the stored day counts: a fixed
    number of queries however many messages were ever answered."""
    try:
        after = parse_cursor(request.GET.get("after"))
    except ValueError:
        after = None
    rows = awaiting_reply(user=request.user, limit=AWAITING_PAGE_SIZE + 1, after=after)
    waiting = rows[:AWAITING_PAGE_SIZE]
    count = awaiting_count(user=request.user)
    context = {
        "waiting": waiting,
        "next_after": cursor_of(waiting[-1]) if len(rows) > AWAITING_PAGE_SIZE else "",
        "is_later_page": after is not None,
        "waiting_count": min(count, AWAITING_COUNT_CAP),
        "count_is_capped": count > AWAITING_COUNT_CAP,
        "stats": response_stats(),
        "days": RESPONSE_DAYS,
        "target_hours": target_hours(),
    }
    return render(request, "engagement/awaiting.html", context)


def _chart(progress) -> dict:
    """Bars of the last days, scaled to the highest of count and target, as SVG numbers."""
    top = max([n for _, n in progress.history] + [progress.target, 1])
    width, height, gap = 14, 60, 4
    bars = [
        {
            "x": index * (width + gap),
            "height": round(height * n / top),
            "y": height - round(height * n / top),
            "day": day,
            "count": n,
        }
        for index, (day, n) in enumerate(progress.history)
    ]
    target_y = height - round(height * progress.target / top)
    return {
        "bars": bars,
        "width": len(bars) * (width + gap),
        "height": height,
        "bar_width": width,
        "target_y": target_y,
    }


@login_required
def goals(request: HttpRequest) -> HttpResponse:
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_set(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        else:
            messages.success(request, "Goal saved.")
            return redirect("engagement:goals")
    progress = goal_progress(user=request.user)
    context = {
        "progress": [(p, _chart(p)) for p in progress],
        "form": form,
        "kinds": GoalKind.choices,
    }
    return render(request, "engagement/goals.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def task_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    record, detail_url = _subject(request, kind, pk, write=True)
    form = TaskForm(request.POST)
    if form.is_valid():
        try:
            services.task_create(
                actor=request.user,
                title=form.cleaned_data["title"],
                due_at=form.cleaned_data["due_at"],
                **{kind: record},
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Task added.")
    else:
        messages.error(request, "Give the task a due date and time.")
    return redirect(f"{detail_url}#timeline")


def _own_task(request: HttpRequest, pk: int) -> Task:
    return get_object_or_404(
        Task.objects.select_related("person", "company", "deal"), pk=pk, assignee=request.user
    )


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    return redirect("web:today" if target == "today" else "engagement:tasks")


@login_required
@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    task = services.task_complete(actor=request.user, task=_own_task(request, pk))
    messages.success(request, f"Done: {task.title}.")
    return _back(request)


@login_required
@require_POST
def task_undo(request: HttpRequest, pk: int) -> HttpResponse:
    task = services.task_reopen(actor=request.user, task=_own_task(request, pk))
    messages.success(request, f"Back on your list: {task.title}.")
    return _back(request)


@login_required
@require_POST
def calendar_reset(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_reset(actor=request.user)
    messages.success(request, "Your calendar link was reset; the old one no longer works.")
    return redirect("engagement:tasks")


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret URL a calendar app polls; no session. A wrong or reset token is a plain 404,
    the same whether or not the user exists."""
    user = calendar_feed_user(token=token)
    if user is None:
        # Plain text and identical for every bad token: nothing to tell one from another.
        return HttpResponseNotFound("Not found.", content_type="text/plain")
    calendar = Calendar()
    calendar.add("prodid", "-//Attract//Tasks//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Attract tasks")
    since = timezone.now() - timedelta(days=30)
    for task in tasks_for_user(user=user, include_done=True, limit=1000):
        if task.is_done and task.done_at < since:
            continue
        event = Event()
        event.add("uid", f"task-{task.pk}@attract")
        event.add("summary", f"{'✓ ' if task.is_done else ''}{task.title} — {task.subject}")
        event.add("dtstart", task.due_at)
        event.add("dtend", task.due_at + timedelta(minutes=30))
        event.add("dtstamp", task.updated_at)
        event.add("status", "CANCELLED" if task.is_done else "CONFIRMED")
        calendar.add_component(event)
    for uid, summary, day in extra_events(user):
        event = Event()
        event.add("uid", uid)
        event.add("summary", summary)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("dtstamp", timezone.now())
        calendar.add_component(event)
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
