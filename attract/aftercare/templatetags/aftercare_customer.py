"""{% customer_card company %}: the small card on a company's page with what they bought from
us (deals won, first → second, lifetime revenue and profit), their periods as a customer, and
"Mark as departed" or their departure."""

from __future__ import annotations

from django import template

from attract.aftercare.departure_selectors import customer_periods
from attract.aftercare.repeat_selectors import customer_purchases
from attract.core.permissions import can_change_record
from attract.people.models import Relationship

register = template.Library()


@register.inclusion_tag("aftercare/partials/_customer_card.html", takes_context=True)
def customer_card(context, company) -> dict:
    user = context["request"].user
    periods = customer_periods(company)
    can_change = can_change_record(user, company)
    return {
        "company": company,
        "purchases": customer_purchases(user=user, company=company),
        "periods": periods,
        "last_departure": next((p.departure for p in reversed(periods) if p.departure), None),
        "can_change": can_change and not company.in_trash,
        "can_depart": can_change
        and company.relationship == Relationship.CUSTOMER
        and not company.in_trash,
        "request": context["request"],
    }
