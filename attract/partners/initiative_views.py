"""Pages of joint initiatives (the ranked list, one initiative with what it brought, the
forms) and of the speaking and writing topics. Each view fetches through one helper, calls a
service or a selector, and renders."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attract.core.forms import apply_errors_to_form, saved_against_version
from attract.core.history import history_entries
from attract.core.paging import page_for
from attract.core.permissions import can_write, visible_to
from attract.core.search_text import clean_search, search_key
from attract.core.versions import VersionConflict
from attract.partners import initiative_selectors as selectors
from attract.partners import initiative_services as services
from attract.partners.initiative_forms import (
    ArticleForm,
    InitiativeForm,
    InitiativePersonForm,
    TopicForm,
)
from attract.partners.models import Initiative, InitiativeKind, InitiativePerson, Topic
from attract.people.models import Person
from attract.people.views.trash import trashed_message

SORT_LABELS = {"brought": "What it brought", "date": "Date", "title": "Title"}
CANDIDATES = 20


def _get(queryset: QuerySet, pk: int, *, write: bool, user) -> Model:
    """Initiatives and topics are team records: visible is enough to read, a writer's role
    to change. A missing or hidden one is a 404 alike."""
    try:
        record = queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if write and not can_write(user):
        raise PermissionDenied("Your role can read but not change records.")
    return record


def _initiative(request: HttpRequest, pk: int, *, write: bool = False) -> Initiative:
    queryset = selectors.visible_initiatives(request.user, include_trash=True)
    return _get(queryset, pk, write=write, user=request.user)


def _topic(request: HttpRequest, pk: int, *, write: bool = False) -> Topic:
    return _get(Topic.all_objects.all(), pk, write=write, user=request.user)


def _act(request: HttpRequest, action: Callable[[], object], done: str) -> bool:
    try:
        action()
    except VersionConflict as conflict:
        messages.error(request, str(conflict))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
        return True
    return False


# --- Initiatives ----------------------------------------------------------------------------


@login_required
@require_GET
def initiative_list(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "brought")
    sort = sort if sort in selectors.INITIATIVE_SORTS else "brought"
    kind = request.GET.get("kind", "")
    kind = kind if kind in InitiativeKind.values else ""
    search = clean_search(request.GET.get("q"))
    queryset = selectors.initiative_list_for_user(
        user=request.user, sort=sort, kind=kind, search=search
    )
    page = page_for(request, queryset, default_size=50)
    context = {
        "page": page,
        "initiatives": page.object_list,
        "sort": sort,
        "sorts": SORT_LABELS,
        "kind": kind,
        "kinds": InitiativeKind.choices,
        "search": search,
        "can_write": can_write(request.user),
    }
    return render(request, "partners/initiative_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def initiative_create(request: HttpRequest) -> HttpResponse:
    if not can_write(request.user):
        raise PermissionDenied("Your role can read but not change records.")
    data = request.POST if request.method == "POST" else None
    initial = {"partners": [request.GET.get("partner")]} if request.GET.get("partner") else None
    form = InitiativeForm(data, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.initiative_create(actor=request.user, **form.service_arguments())
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        else:
            messages.success(request, f"“{initiative}” recorded.")
            return redirect("partners:initiative_detail", pk=initiative.pk)
    return render(request, "partners/initiative_form.html", {"form": form, "initiative": None})


@login_required
@require_GET
def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _get(
        selectors.initiative_detail_queryset(request.user), pk, write=False, user=request.user
    )
    search = clean_search(request.GET.get("q"))
    candidates: list[Person] = []
    key = search_key(search)
    if key and can_write(request.user):
        taken = InitiativePerson.objects.values("person_id")
        candidates = list(
            visible_to(Person.objects, request.user)
            .filter(search_name__contains=key)
            .exclude(pk__in=taken)
            .order_by("search_name", "id")[:CANDIDATES]
        )
    context = {
        "initiative": initiative,
        "partners": list(initiative.partners.select_related("company", "person")),
        "people": selectors.initiative_people(request.user, initiative),
        "search": search,
        "candidates": candidates,
        "can_change": can_write(request.user) and not initiative.in_trash,
        "history": history_entries(initiative),
    }
    return render(request, "partners/initiative_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def initiative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(request, pk, write=True)
    if initiative.in_trash:
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = InitiativeForm(data, user=request.user, initiative=initiative)
    if request.method == "POST" and saved_against_version(
        form,
        lambda cleaned: services.initiative_update(
            actor=request.user,
            initiative=initiative,
            expected_version=cleaned["version"],
            **form.service_arguments(),
        ),
    ):
        messages.success(request, f"“{initiative}” saved.")
        return redirect("partners:initiative_detail", pk=initiative.pk)
    return render(
        request, "partners/initiative_form.html", {"form": form, "initiative": initiative}
    )


@login_required
@require_POST
def initiative_trash(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(request, pk, write=True)
    services.initiative_trash(actor=request.user, initiative=initiative)
    _say_trashed(
        request,
        str(initiative),
        initiative.pk,
        "partners:initiative_restore",
        "partners:initiatives",
    )
    return redirect("partners:initiatives")


@login_required
@require_POST
def initiative_restore(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(request, pk, write=True)
    services.initiative_restore(actor=request.user, initiative=initiative)
    messages.success(request, f"“{initiative}” restored.")
    return redirect("partners:initiative_detail", pk=initiative.pk)


@login_required
@require_POST
def initiative_add_person(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(request, pk, write=True)
    form = InitiativePersonForm(request.POST)
    person = None
    if form.is_valid():
        person = visible_to(Person.objects, request.user).filter(pk=form.cleaned_data["person"])
        person = person.first()
    if person is None:
        messages.error(request, "Choose a person you can see.")
    else:
        _act(
            request,
            lambda: services.initiative_add_person(
                actor=request.user, initiative=initiative, person=person
            ),
            f"{person} came through “{initiative}”.",
        )
    return redirect("partners:initiative_detail", pk=initiative.pk)


# --- Topics ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def topic_list(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    if data is not None and not can_write(request.user):
        raise PermissionDenied("Your role can read but not change records.")
    form = TopicForm(data)
    if data is not None and form.is_valid():
        try:
            topic = services.topic_create(actor=request.user, **form.service_arguments())
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        else:
            messages.success(request, f"Topic “{topic}” added.")
            return redirect("partners:topics")
    page = page_for(
        request,
        selectors.topic_list().prefetch_related(
            selectors.topic_initiatives_prefetch(request.user), selectors.topic_articles_prefetch()
        ),
        default_size=50,
    )
    context = {
        "page": page,
        "topics": page.object_list,
        "form": form,
        "can_write": can_write(request.user),
    }
    return render(request, "partners/topic_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _topic(request, pk, write=request.method == "POST")
    data = request.POST if request.method == "POST" else None
    form = TopicForm(data, topic=topic)
    if data is not None and saved_against_version(
        form,
        lambda cleaned: services.topic_update(
            actor=request.user,
            topic=topic,
            expected_version=cleaned["version"],
            **form.service_arguments(),
        ),
    ):
        messages.success(request, f"Topic “{topic}” saved.")
        return redirect("partners:topics")
    context = {
        "form": form,
        "topic": topic,
        "initiatives": list(
            selectors.visible_initiatives(request.user)
            .filter(topic=topic)
            .order_by("-held_on")[:50]
        ),
        "articles": selectors.topic_articles(topic),
        "article_form": ArticleForm(),
        "can_write": can_write(request.user),
        "history": history_entries(topic),
    }
    return render(request, "partners/topic_edit.html", context)


@login_required
@require_POST
def topic_trash(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _topic(request, pk, write=True)
    services.topic_trash(actor=request.user, topic=topic)
    _say_trashed(request, f"Topic “{topic}”", topic.pk, "partners:topic_restore", "partners:topics")
    return redirect("partners:topics")


@login_required
@require_POST
def topic_restore(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _topic(request, pk, write=True)
    services.topic_restore(actor=request.user, topic=topic)
    messages.success(request, f"Topic “{topic}” restored.")
    return redirect("partners:topic_edit", pk=topic.pk)


def _say_trashed(request: HttpRequest, name: str, pk: int, restore: str, back: str) -> None:
    """The same message as every other record's: the name, and Undo (back to `back`)."""
    text = trashed_message(
        request, name=name, restore_url=reverse(restore, args=[pk]), record_url=reverse(back)
    )
    messages.success(request, text)
