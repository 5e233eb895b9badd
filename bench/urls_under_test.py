"""The URLs the benchmark requests, read from the URL configuration rather than guessed."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse


def person_search_param() -> str:
    # The person list reads its search box as `q` (attract.people.forms.ListFilterForm).
    return "q"


def detail_url(pk: int) -> str:
    try:
        return reverse("people:person_detail", args=[pk])
    except NoReverseMatch:
        return f"/people/{pk}/"
