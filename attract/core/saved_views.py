"""Saved views: a list's filters and sort kept under a name, per user (SavedView).

The query string is stored cleaned: only plain parameter names, without the page number
(a view is a set of filters, not a place in them), so that opening it later cannot carry
anything the list would not read anyway. Views are private: every read and write is
narrowed to the acting user, and another's view answers as missing."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from attract.core.models import SavedList, SavedView

MAX_PER_LIST = 50
NAME_LENGTH = SavedView._meta.get_field("name").max_length
QUERY_LENGTH = SavedView._meta.get_field("query").max_length
_PARAMETER = re.compile(r"^[a-z_]{1,30}$")
# Where a list sits in the page, not what it shows: never saved.
_NOT_SAVED = {"page", "csrfmiddlewaretoken"}


def clean_query(raw: str) -> str:
    pairs = [
        (key, value[:200])
        for key, value in parse_qsl(raw or "", keep_blank_values=False)
        if _PARAMETER.match(key) and key not in _NOT_SAVED and "\x00" not in value
    ]
    query = urlencode(pairs)
    if len(query) > QUERY_LENGTH:
        raise ValidationError({"query": "These filters are too long to save."})
    return query


def _clean_name(name: str) -> str:
    cleaned = " ".join((name or "").replace("\x00", "").split())
    if not cleaned:
        raise ValidationError({"name": "Give the view a name."})
    if len(cleaned) > NAME_LENGTH:
        raise ValidationError({"name": f"A view's name has at most {NAME_LENGTH} characters."})
    return cleaned


def _clean_list(list_name: str) -> str:
    if list_name not in SavedList.values:
        raise ValidationError({"list_name": f"Choose one of: {', '.join(SavedList.values)}."})
    return list_name


def _save(view: SavedView) -> SavedView:
    try:
        with transaction.atomic():
            view.save()
    except IntegrityError:
        raise ValidationError(
            {"name": f"You already have a view named “{view.name}” on this list."}
        ) from None
    return view


def saved_views_for(*, user, list_name: str | None = None) -> QuerySet[SavedView]:
    views = (
        SavedView.objects.filter(user=user) if user.is_authenticated else SavedView.objects.none()
    )
    return views.filter(list_name=list_name) if list_name else views


def saved_view_create(*, actor, list_name: str, name: str, query: str) -> SavedView:
    list_name = _clean_list(list_name)
    view = SavedView(user=actor, list_name=list_name, name=_clean_name(name))
    view.query = clean_query(query)
    if saved_views_for(user=actor, list_name=list_name).count() >= MAX_PER_LIST:
        raise ValidationError(
            {"name": f"A list keeps at most {MAX_PER_LIST} views; delete one first."}
        )
    return _save(view)


def saved_view_rename(*, actor, view: SavedView, name: str) -> SavedView:
    if view.user_id != actor.pk:  # callers fetch through saved_views_for; kept as a guard
        raise ValidationError("This view is not yours.")
    view.name = _clean_name(name)
    return _save(view)


def saved_view_delete(*, actor, view: SavedView) -> None:
    """A view is a bookmark of filters, not a record: deleting it removes it (no trash)."""
    if view.user_id != actor.pk:
        raise ValidationError("This view is not yours.")
    view.delete()
