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
    NavItem("partners", "Partners", "web:partners", "r"),
    NavItem("care", "Care", "web:care", "e"),
    NavItem("reports", "Reports", "web:reports", "o"),
    NavItem("settings", "Settings", "accounts:settings", "s"),
)
