"""The fit card on company and person pages: `{% fit_card company %}`."""

from __future__ import annotations

from django import template

from attract.attraction import selectors
from attract.attraction.views.fit import fit_card_context
from attract.core.permissions import can_write
from attract.people.models import Company

register = template.Library()


@register.inclusion_tag("attraction/partials/_fit_card.html", takes_context=True)
def fit_card(context, record) -> dict:
    subject = "company" if isinstance(record, Company) else "person"
    return {
        **fit_card_context(context["request"].user, subject, record),
        "request": context["request"],
    }


@register.inclusion_tag("attraction/partials/_deal_fit.html", takes_context=True)
def deal_fit(context, deal) -> dict:
    """The deal's company fit, and the offer to close a poor fit as "not a fit"."""
    fit = selectors.fit_for(company=deal.company) if deal.company_id else None
    user = context["request"].user
    return {
        "deal": deal,
        "fit": fit,
        "can_close": fit is not None and fit.is_poor and deal.is_open and can_write(user),
        "request": context["request"],
    }
