"""{% saved_views_menu "people" %}: a list's Views menu (its user's saved views, and a form
that saves the list's current filters and sort under a name)."""

from __future__ import annotations

from django import template
from django.core.exceptions import ValidationError

from attract.core.saved_views import clean_query, saved_views_for

register = template.Library()

# The list page each saved list opens (URL names).
LIST_URLS = {
    "people": "people:person_list",
    "companies": "people:company_list",
    "deals": "pipeline:deal_list",
    "closed_deals": "pipeline:closed_list",
}


@register.inclusion_tag("core/partials/_saved_views.html", takes_context=True)
def saved_views_menu(context, list_name: str) -> dict:
    request = context["request"]
    try:
        current = clean_query(request.GET.urlencode())
    except ValidationError:  # too long to save: the menu still lists the views
        current = ""
    views = list(saved_views_for(user=request.user, list_name=list_name))
    return {
        "request": request,
        "list_name": list_name,
        "list_url": LIST_URLS[list_name],
        "views": views,
        "current": current,
        "active": next((v for v in views if v.query == current and current), None),
    }
