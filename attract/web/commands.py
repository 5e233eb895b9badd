"""The pages and actions the command palette offers beside records: "new deal", "log a call",
"go to the forecast". One list, so the palette, the search page and the tests agree; each
entry says who may use it, so nobody is offered a page that would refuse them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from attract.accounts.models import User
from attract.core.permissions import can_manage_team, can_write
from attract.core.search_text import search_key
from attract.web.navigation import DAY_ITEMS, NAV_ITEMS
from attract.web.search import Hit


def _anyone(user: User) -> bool:
    return True


@dataclass(frozen=True)
class Command:
    label: str
    url_name: str  # "" for an action that first asks for a record ("then")
    words: str = ""  # other words people type for it
    allowed: Callable[[User], bool] = _anyone
    then: str = ""  # log_call, add_task: pick the person, company or deal next

    def matches(self, query_words: list[str]) -> bool:
        haystack = search_key(f"{self.label} {self.words}").split()
        return all(any(word.startswith(q) for word in haystack) for q in query_words)


# After the record is picked, the palette opens its page at the form that does the action.
THEN_ANCHORS = {"log_call": "id_summary", "add_task": "id_title"}
THEN_PROMPTS = {"log_call": "Log a call with…", "add_task": "Add a task for…"}

ACTIONS = (
    Command("New person", "people:person_create", "add create contact", can_write),
    Command("New company", "people:company_create", "add create account organisation", can_write),
    Command("New deal", "pipeline:deal_create", "add create opportunity", can_write),
    Command("Log a call", "", "interaction phone meeting email note", can_write, "log_call"),
    Command("Add a task", "", "new todo reminder follow up", can_write, "add_task"),
    Command("Import a file", "transfer:import_start", "csv vcard upload", can_write),
    Command("Export people", "transfer:export_persons", "csv download"),
    Command("New partner", "partners:create", "add create alliance collaborator", can_write),
)

PAGES = (
    *(Command(item.label, item.url_name, "go page") for item in NAV_ITEMS),
    # (The interactions page is one of the day's pages: "go page today" finds it too.)
    *(Command(item.label, item.url_name, "go page today") for item in DAY_ITEMS),
    Command("Open deals", "pipeline:deal_list", "go page list pipeline"),
    Command("Closed deals", "pipeline:closed_list", "go page won lost"),
    Command("Forecast", "pipeline:forecast", "go page calibration chance"),
    Command("Long maybes", "pipeline:long_maybes", "go page stuck"),
    Command("21-day challenge", "partners:challenge", "go page partners collaborator meet"),
    Command("Import history", "transfer:import_history", "go page undo"),
    Command("Trash", "people:trash", "go page deleted restore"),
    Command("Saved views", "web:saved_views", "go page filters views"),
    Command("API tokens", "accounts:token_list", "go page settings"),
    Command("Team", "accounts:team", "go page settings invite users", can_manage_team),
    Command("Background work", "jobs:background", "go page jobs queue", can_manage_team),
    Command("Webhooks", "webhooks:list", "go page settings", can_manage_team),
    Command("Care plans", "aftercare:plans", "go page care aftercare steps playbook"),
    Command("Why customers leave", "aftercare:departures", "go page care departures churn lost"),
    Command("Who buys again", "aftercare:repeat", "go page care repeat purchase one-time"),
    Command("Testimonials", "aftercare:testimonials", "go page care case studies reviews"),
)


def commands_matching(*, user: User, query: str, limit: int = 6) -> list[Hit]:
    """Actions first, then pages, whose words start with every word typed; with nothing
    typed, the actions (the palette's first screen)."""
    words = search_key(query).split()
    chosen = [c for c in ACTIONS if c.allowed(user) and (not words or c.matches(words))]
    if words:
        chosen += [c for c in PAGES if c.allowed(user) and c.matches(words)]
    hits = []
    for command in chosen[:limit]:
        kind = "page" if command in PAGES else "action"
        url = reverse(command.url_name) if command.url_name else ""
        detail = THEN_PROMPTS.get(command.then, "Go to the page" if kind == "page" else "")
        hits.append(Hit(kind, command.label, detail, url, then=command.then))
    return hits
