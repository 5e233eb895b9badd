"""Edit in place in templates: `{% inline_item item %}` draws a field prepared by the record
page (views/detail.py); `{% inline_field person "owner" %}` draws one cell of a list row."""

from __future__ import annotations

from django import template

from attract.core.permissions import can_write
from attract.people.inline_fields import kind_of
from attract.people.views.detail import field_context

register = template.Library()


@register.inclusion_tag("people/partials/_inline_field.html")
def inline_item(item: dict) -> dict:
    return item


@register.inclusion_tag("people/partials/_inline_field.html", takes_context=True)
def inline_field(context, record, name: str, place: str = "row") -> dict:
    """A list shows only the records its reader may see, so whoever may write may change
    every row: no query per row to decide it."""
    user = context["request"].user
    field = kind_of(record).fields[name]
    editable = can_write(user) and not record.in_trash
    return field_context(record, field, place=place, editable=editable)


@register.simple_tag
def record_version(record) -> str:
    """The id of the hidden input that holds the version of the record the page shows."""
    return f"{kind_of(record).name}-{record.pk}-version"
