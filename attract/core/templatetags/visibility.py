"""`{% record_link deal.company %}` and `{{ deal.contact|seen_name:user }}`: a related record's
name as the reader may see it. Someone else's private record is shown as "a private company"
(contact, deal) and never linked, so that its name reaches no page through another record."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html

from attract.core.permissions import can_view_record, name_seen_by

register = template.Library()

DETAIL_URLS = {
    "company": "people:company_detail",
    "person": "people:person_detail",
    "deal": "pipeline:deal_detail",
}


def _reader(context):
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.filter
def seen_name(record, user) -> str:
    return name_seen_by(user, record)


@register.simple_tag(takes_context=True)
def record_link(context, record, default: str = "") -> str:
    """A link to the record when the reader may see it (plain text when it is in the trash),
    its private label when not, `default` when there is no record."""
    if record is None:
        return default
    user = _reader(context)
    if user is None or not can_view_record(user, record):
        return format_html('<span class="muted">{}</span>', name_seen_by(user, record))
    if getattr(record, "in_trash", False):
        return str(record)
    url = reverse(DETAIL_URLS[record._meta.model_name], args=[record.pk])
    return format_html('<a href="{}">{}</a>', url, str(record))
