"""Saved views on the web: save a list's current filters under a name (from the list's
Views menu), and the page that renames and deletes them. POST for every change; another
user's view answers 404 (views are private)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from attract.core.models import SavedList, SavedView
from attract.core.saved_views import (
    saved_view_create,
    saved_view_delete,
    saved_view_rename,
    saved_views_for,
)
from attract.core.templatetags.saved_views import LIST_URLS


def _own(request: HttpRequest, pk: int) -> SavedView:
    view = saved_views_for(user=request.user).filter(pk=pk).first()
    if view is None:
        raise Http404("No such view.")
    return view


def _open(view: SavedView) -> str:
    url = reverse(LIST_URLS[view.list_name])
    return f"{url}?{view.query}" if view.query else url


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_POST
def saved_view_save(request: HttpRequest) -> HttpResponse:
    list_name = request.POST.get("list_name", "")
    back = reverse(LIST_URLS.get(list_name, "people:person_list"))
    query = request.POST.get("query", "")
    try:
        view = saved_view_create(
            actor=request.user, list_name=list_name, name=request.POST.get("name", ""), query=query
        )
    except ValidationError as error:
        messages.error(request, f"The view was not saved: {_errors(error)}")
        return redirect(f"{back}?{query}" if query and list_name in LIST_URLS else back)
    messages.success(request, f"Saved the view “{view.name}”: pick it from the Views menu.")
    return redirect(_open(view))


@login_required
@require_GET
def saved_views(request: HttpRequest) -> HttpResponse:
    chosen = request.GET.get("list", "")
    views = saved_views_for(user=request.user)
    if chosen in SavedList.values:
        views = views.filter(list_name=chosen)
    rows = [(view, _open(view)) for view in views]
    context = {"rows": rows, "chosen": chosen, "lists": SavedList.choices}
    return render(request, "web/saved_views.html", context)


@login_required
@require_POST
def saved_view_rename_view(request: HttpRequest, pk: int) -> HttpResponse:
    view = _own(request, pk)
    try:
        saved_view_rename(actor=request.user, view=view, name=request.POST.get("name", ""))
    except ValidationError as error:
        messages.error(request, f"Not renamed: {_errors(error)}")
    else:
        messages.success(request, f"Renamed to “{view.name}”.")
    return redirect(f"{reverse('web:saved_views')}?list={view.list_name}")


@login_required
@require_POST
def saved_view_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    view = _own(request, pk)
    saved_view_delete(actor=request.user, view=view)
    messages.success(request, f"Deleted the view “{view.name}”.")
    return redirect(f"{reverse('web:saved_views')}?list={view.list_name}")
