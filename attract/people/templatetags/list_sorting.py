"""The sort menu of the person and company lists: on a phone there are no column headers
to click, so the same sorts are offered as one select (people/partials/_sort_menu.html)."""

from __future__ import annotations

from django import template

from attract.people.selectors import COMPANY_SORTS, PERSON_SORTS

register = template.Library()

LABELS = {
    "name": "Name, A to Z",
    "-name": "Name, Z to A",
    "company": "Company",
    "relationship": "Relationship",
    "fit": "Best fit first",
    "-fit": "Poorest fit first",
    "-created": "Newest first",
    "created": "Oldest first",
}


@register.simple_tag
def sort_choices(kind: str) -> list[tuple[str, str]]:
    sorts = COMPANY_SORTS if kind == "companies" else PERSON_SORTS
    return [(key, label) for key, label in LABELS.items() if key in sorts]


@register.simple_tag(takes_context=True)
def kept_filters(context) -> list[tuple[str, str]]:
    """The list's search and filters, kept when the sort changes (a new sort starts at page 1)."""
    query = context["request"].GET
    return [
        (key, value) for key in query if key not in ("sort", "page") for value in query.getlist(key)
    ]
