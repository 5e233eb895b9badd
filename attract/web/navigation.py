"""The main navigation: one list, so the menu, the keyboard shortcuts and the tests agree."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    shortcut: str  # pressed after "g", as in "g p" for People


NAV_ITEMS = (
    NavItem("today", "Today", "web:today", "t"),
    NavItem("pipeline", "Pipeline", "pipeline:board", "d"),
    NavItem("people", "People", "people:person_list", "p"),
    NavItem("companies", "Companies", "people:company_list", "c"),
    NavItem("plan", "Attraction plan", "attraction:plan", "a"),
    NavItem("partners", "Partners", "partners:list", "r"),
    NavItem("care", "Care", "aftercare:care", "e"),
    NavItem("reports", "Reports", "reports:dashboard", "o"),
    NavItem("settings", "Settings", "accounts:settings", "s"),
)

# "Your day": the Today page's own pages, shown as a second row under Today and reachable from
# every page with the same "g" shortcuts (listed in the shortcuts dialog).
DAY_ITEMS = (
    NavItem("awaiting", "Awaiting reply", "engagement:awaiting", "w"),
    NavItem("tasks", "Tasks", "engagement:tasks", "k"),
    NavItem("interactions", "Interactions", "engagement:interactions", "i"),
    NavItem("goals", "Goals", "engagement:goals", "l"),
    NavItem("review", "Get honest", "engagement:review", "h"),
)
