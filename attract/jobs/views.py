"""The Background work page in Settings: owners and admins see the queue and retry a task."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_tasks_db.models import DBTaskResult

from attract.core.paging import page_for
from attract.jobs import selectors
from attract.jobs.models import Schedule
from attract.jobs.services import job_retry, require_job_manager, retention_set

PAGE_SIZE = 25


@login_required
def background(request: HttpRequest) -> HttpResponse:
    require_job_manager(request.user)
    state = request.GET.get("state", "failed")
    if state not in selectors.STATES:
        state = "failed"
    page = page_for(request, selectors.job_list(state=state), default_size=PAGE_SIZE)
    counts = selectors.job_counts()
    context = {
        "state": state,
        "tabs": [(name, counts[name]) for name in selectors.STATES],
        "empty_title": f"Nothing {state}",
        "page": page,
        "jobs": [selectors.JobView.of(row) for row in page.object_list],
        "schedules": Schedule.objects.all(),
        "retention_days": selectors.retention_days(),
        "can_set_retention": request.user.role == "owner",
    }
    return render(request, "jobs/background.html", context)


@login_required
@require_POST
def retry(request: HttpRequest, job_id: str) -> HttpResponse:
    require_job_manager(request.user)
    try:
        row = job_retry(actor=request.user, job_id=job_id)
    except DBTaskResult.DoesNotExist as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        name = selectors.JobView.of(row).name
        messages.success(request, f"“{name}” is queued again; a worker will take it shortly.")
    return redirect(reverse("jobs:background") + "?state=queued")


@login_required
@require_POST
def retention(request: HttpRequest) -> HttpResponse:
    try:
        days = int(request.POST.get("days", ""))
    except ValueError:
        days = 0
    try:
        retention_set(actor=request.user, days=days)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Finished work is now kept for {days} days.")
    return redirect("jobs:background")
