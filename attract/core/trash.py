"""The trash page's sections: each app that moves records to the trash registers one (its
records, how to name and restore them), so /trash/ lists every kind of deleted record
while each app keeps its own rules — and the page's app need not import the others."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class TrashSection:
    key: str  # names the section's page parameter ("deals" → ?deals_page=2)
    title: str
    empty: str  # what the section says when nothing of its kind is in the trash
    order: int
    records: Callable[[Any], QuerySet]  # (user) → trashed records they may see, newest first
    detail_url: str  # URL name of a record's page, taking its pk
    restore_url: str  # URL name of the POST that restores it, taking its pk
    context_label: str = ""  # the title of the second column, when the section has one
    context: Callable[[Any, Any], str] = lambda record, user: ""  # (record, user) → its text


_SECTIONS: dict[str, TrashSection] = {}


def register(section: TrashSection) -> None:
    _SECTIONS[section.key] = section


def sections() -> list[TrashSection]:
    return sorted(_SECTIONS.values(), key=lambda s: s.order)
