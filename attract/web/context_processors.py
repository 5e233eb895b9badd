from __future__ import annotations

from django.http import HttpRequest

from attract.web.navigation import DAY_ITEMS, NAV_ITEMS


def navigation(request: HttpRequest) -> dict:
    match = getattr(request, "resolver_match", None)
    current = day_current = ""
    if match is not None:
        current = match.url_name or ""
        namespace = match.namespace or ""
        section_by_namespace = {
            "people": "people",
            "accounts": "settings",
            "pipeline": "pipeline",
            "partners": "partners",
            "aftercare": "care",
            "reports": "reports",
        }
        if namespace == "people" and current.startswith("company"):
            current = "companies"
        elif namespace in section_by_namespace:
            current = section_by_namespace[namespace]
        elif namespace == "engagement" or (namespace, current) == ("web", "today"):
            # Today and the pages of the day (awaiting reply, tasks, goals, Get honest).
            current, day_current = "today", current
    return {
        "nav_items": NAV_ITEMS,
        "nav_current": current,
        "day_items": DAY_ITEMS,
        "day_current": day_current,
    }
