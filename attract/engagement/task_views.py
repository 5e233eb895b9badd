"""The tasks page: filter (mine or every task I may see, open or done, due window, person),
sort and page through tasks; make one, edit one against the version seen, and act on many
(assign, mark done, move the due date) with Undo."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from attract.accounts.models import User
from attract.core.forms import apply_errors_to_form, show_version_conflict
from attract.core.paging import page_for
from attract.core.permissions import can_view_record, can_write, visible_to
from attract.core.redirects import safe_next
from attract.core.versions import VersionConflict
from attract.engagement import services
from attract.engagement.forms import TaskEditForm, TaskPageForm
from attract.engagement.models import CalendarFeed, Task
from attract.engagement.selectors import TASK_DUE, TASK_SORTS, task_list_for_user
from attract.people.models import Person
from attract.people.views.bulk import act_on_selection

PAGE_SIZE = 50
SCOPES = (("mine", "My tasks"), ("all", "Every task I may see"))
STATES = (("open", "Open"), ("done", "Done"), ("all", "Open and done"))
DUES = (("", "Any time"), ("overdue", "Overdue"), ("today", "Due today"), ("week", "This week"))
SORTS = (
    ("due", "Due first"),
    ("-due", "Due last"),
    ("title", "Title A–Z"),
    ("-title", "Title Z–A"),
)
# The people offered to the person filter and the new task's "about": those the user's
# visible open tasks are about (bounded: a menu, not a directory).
PEOPLE_OFFERED = 100


def _choice(request: HttpRequest, name: str, allowed, default: str) -> str:
    value = request.GET.get(name, default)
    return value if value in allowed else default


def _filters(request: HttpRequest) -> dict:
    person_raw = request.GET.get("person", "")
    person = None
    if person_raw.isascii() and person_raw.isdigit() and len(person_raw) < 10:
        found = Person.objects.filter(pk=int(person_raw)).first()
        person = found if found and can_view_record(request.user, found) else None
    return {
        "scope": _choice(request, "scope", dict(SCOPES), "mine"),
        "state": _choice(request, "state", dict(STATES), "open"),
        "due": _choice(request, "due", TASK_DUE, ""),
        "sort": _choice(request, "sort", TASK_SORTS, "due"),
        "person": person,
    }


def _people_offered(user: User) -> list[Person]:
    ids = (
        task_list_for_user(user=user, scope="all", state="open")
        .filter(person__isnull=False)
        .values("person_id")
    )
    people = visible_to(Person.objects.filter(pk__in=ids), user)
    return list(people.order_by("last_name", "first_name", "id")[:PEOPLE_OFFERED])


def _feed_url(request: HttpRequest) -> str:
    # A refused POST re-renders the page: it must write nothing, so it only reads the feed
    # (made on the first GET).
    if request.method == "GET":
        feed = services.calendar_feed_for(user=request.user)
    else:
        feed = CalendarFeed.objects.filter(user=request.user).first()
    if feed is None:
        return ""
    return request.build_absolute_uri(reverse("engagement:calendar_feed", args=[feed.token]))


def _page(request: HttpRequest, form: TaskPageForm | None = None, *, status: int = 200):
    filters = _filters(request)
    person = filters.pop("person")
    rows = task_list_for_user(user=request.user, person_id=person.pk if person else None, **filters)
    page = page_for(request, rows, default_size=PAGE_SIZE)
    writer = can_write(request.user)
    context = {
        "page": page,
        "filters": filters,
        "person": person,
        "people": _people_offered(request.user),
        "scopes": SCOPES,
        "states": STATES,
        "dues": DUES,
        "sorts": SORTS,
        "can_write": writer,
        "form": form or TaskPageForm(user=request.user),
        "members": list(User.objects.filter(is_active=True).order_by("full_name", "email"))
        if writer
        else [],
        "feed_url": _feed_url(request),
        "filtered": any(request.GET.get(k) for k in ("scope", "state", "due", "person")),
    }
    return render(request, "engagement/tasks.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def tasks(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request)
    # A new task from the page's form.
    if not can_write(request.user):
        raise PermissionDenied("Your role can read but not change records.")
    form = TaskPageForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            task = services.task_create(
                actor=request.user,
                title=form.cleaned_data["title"],
                due_at=form.cleaned_data["due_at"],
                person=form.cleaned_data["person"],
            )
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        else:
            messages.success(request, f"Task added: {task.title}.")
            return redirect("engagement:tasks")
    return _page(request, form, status=422)


def _task(request: HttpRequest, pk: int, *, include_trash: bool = False) -> Task:
    """A task the user may see (every record it is about is visible to them), else 404."""
    rows = task_list_for_user(user=request.user, scope="all", state="all", include_trash=True)
    task = rows.filter(pk=pk).first()
    if task is not None and task.in_trash and not include_trash:
        task = None
    if task is None:
        raise Http404("No such task.")
    return task


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    # A trashed task opens too (the trash links here), with Restore instead of the form.
    task = _task(request, pk, include_trash=True)
    if not can_write(request.user):
        raise PermissionDenied("Your role can read but not change records.")
    initial = {
        "title": task.title,
        "due_at": task.due_at,
        "assignee": task.assignee,
        "version": task.version,
    }
    form = TaskEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and task.in_trash:
        form.add_error(None, "This task is in the trash; restore it before editing.")
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.task_update(
                actor=request.user,
                task=task,
                expected_version=data["version"],
                title=data["title"],
                due_at=data["due_at"],
                assignee=data["assignee"],
            )
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        except VersionConflict as conflict:
            show_version_conflict(form, conflict)
        else:
            messages.success(request, f"Saved: {task.title}.")
            return redirect(safe_next(request) or reverse("engagement:tasks"))
    status = 409 if getattr(form, "version_conflict", None) is not None else 200
    if form.errors and status == 200:
        status = 422
    context = {"form": form, "task": task, "next": safe_next(request) or ""}
    return render(request, "engagement/task_form.html", context, status=status)


@login_required
@require_POST
def task_trash(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    services.task_trash(actor=request.user, task=task)
    back = safe_next(request) or reverse("engagement:tasks")
    # A template, so that the title is escaped and the Undo form carries its CSRF token.
    messages.success(
        request,
        render_to_string(
            "engagement/partials/_task_trashed.html", {"task": task, "next": back}, request=request
        ),
    )
    return redirect(back)


@login_required
@require_POST
def task_restore(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk, include_trash=True)
    services.task_restore(actor=request.user, task=task)
    messages.success(request, f"Restored: {task.title}.")
    return redirect(safe_next(request) or reverse("engagement:tasks"))


@login_required
@require_POST
def task_bulk_change(request: HttpRequest) -> HttpResponse:
    back = safe_next(request) or reverse("engagement:tasks")
    return act_on_selection(
        request, record_type="engagement.task", back=back, export_url=reverse("engagement:tasks")
    )
