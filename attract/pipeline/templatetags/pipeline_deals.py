"""The deals card on company and person pages: `{% deals_card company %}`."""

from __future__ import annotations

from django import template

from attract.core.permissions import can_write
from attract.people.models import Company
from attract.pipeline.selectors import deals_of_record

register = template.Library()


@register.inclusion_tag("pipeline/partials/_deals_card.html", takes_context=True)
def deals_card(context, record) -> dict:
    user = context["request"].user
    is_company = isinstance(record, Company)
    deals, more = deals_of_record(
        user=user, company=record if is_company else None, person=None if is_company else record
    )
    return {
        "record": record,
        "filter": "company" if is_company else "contact",
        "deals": deals,
        "more": more,
        "can_add": can_write(user) and not record.in_trash,
    }
