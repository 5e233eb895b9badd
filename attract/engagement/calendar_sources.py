"""Other apps' events in a user's calendar feed (care's anniversaries and persons' dates),
without engagement importing them: each app registers a source at start-up (apps.ready), a
function of the user giving (uid, summary, day) for whole-day events."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

CalendarSource = Callable[[object], Iterable[tuple[str, str, date]]]
_SOURCES: list[CalendarSource] = []


def register_calendar_source(source: CalendarSource) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def extra_events(user) -> list[tuple[str, str, date]]:
    return [event for source in _SOURCES for event in source(user)]
