"""One deal row of another CRM's export → the deal as it really went: the stage it reached, its
outcome, when it opened, moved and closed, or a ValidationError saying why the row cannot be read.

A closed deal keeps the stage it reached. The outcome comes from the file's status column
(won / lost / open) when it has one, else from a stage name that means a close ("Closed
Lost"). The stage reached is the furthest of: the stage its stage column names, the stages
the file dates ("reached Interest on"), and Action for a won deal. So a deal lost at
"Engaging" stays in Interest, and the learned chances see that it got that far.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from attract.core.search_text import search_key
from attract.pipeline.models import STAGE_ORDER, Outcome, stage_index
from attract.transfer.deal_stages import parse_status
from attract.transfer.values import parse_amount, parse_date

# The date columns that say when a deal reached one of our stages, in stage order.
REACHED_FIELDS = {f"reached_{stage}_on": stage for stage in STAGE_ORDER[1:]}
_DATES = ("expected_close_date", "opened_on", "closed_on", *REACHED_FIELDS)


@dataclass
class DealRow:
    fields: dict[str, Any]  # what deal_create takes: title, revenue, cost, dates, pain
    stage: str
    outcome: str
    opened: datetime
    closed: datetime | None
    # The stages it went through, each with when it got there, first to last.
    moves: list[tuple[str, datetime]]
    company_name: str = ""
    name_key: str = ""
    contact_email: str = ""
    lost_reason: str = ""
    source_id: str = ""  # the deal's id in the other CRM
    account_id: str = ""  # its company's id there (Salesforce's AccountId)
    opened_day: date | None = None  # as the file gives it (None: the file does not say)
    closed_day: date | None = None  # the local day of `closed`
    extra: dict[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=20_000)
def _noon(day: date, zone) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)), zone)


def _moment(day: date) -> datetime:
    """Noon of the day in the installation's time zone: a pipeline's rows share a few
    hundred days, so each is made aware once."""
    return _noon(day, _ZONE[0] or timezone.get_current_timezone())


# The time zone of the rows being read, set for the length of one deal_from_record call (an
# asgiref look-up a call instead of one per date).
_ZONE: list = [None]
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day(text: str, *, day_first: bool) -> date | None:
    """parse_date, with the common plain ISO date read directly (dateutil takes 50 µs a
    date; a pipeline row has three or four), each text read once (a pipeline's rows share a
    few hundred days; a text that is no date is not remembered, and says so every time)."""
    return _day_of((text or "").strip(), day_first)


@lru_cache(maxsize=20_000)
def _day_of(text: str, day_first: bool) -> date | None:
    if len(text) == 10 and _ISO_DAY.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            # "2026-02-30": looks like a day but is none; parse_date says what is wrong.
            return parse_date(text, day_first=day_first)
    return parse_date(text, day_first=day_first)


def _mapped(record: dict[str, str], mapping: dict[str, str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for header, target in mapping.items():
        cell = (record.get(header) or "").strip()
        if target and cell and target not in values:
            values[target] = cell
    return values


# What the Deal model holds (14 digits, 2 after the point), checked here with the rest of the
# row because the import writes deals in bulk, without the model's full_clean.
_CENT = Decimal("0.01")
_MOST = Decimal("1e12")
_PAIN_LIMIT = 5_000


def _amounts(values: dict[str, str], errors: dict[str, list[str]]) -> dict[str, Decimal]:
    found = {}
    for name in ("revenue", "cost"):
        try:
            amount = parse_amount(values.get(name, ""))
        except ValidationError as exc:
            errors[name] = exc.messages
            continue
        if amount is None:
            continue
        if amount < 0:
            errors[name] = [f"{name.title()} cannot be negative."]
        elif amount >= _MOST:
            errors[name] = [f"{name.title()} is too large (at most 999,999,999,999.99)."]
        else:
            found[name] = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    return found


def _dates(values: dict[str, str], errors: dict, *, day_first: bool) -> dict[str, date]:
    found = {}
    for name in _DATES:
        if not values.get(name):
            continue  # no date: nothing to read
        try:
            day = _day(values[name], day_first=day_first)
        except ValidationError as exc:
            errors[name] = exc.messages
            continue
        if day:
            found[name] = day
    return found


def _outcome(values: dict[str, str], target: str, errors: dict) -> str:
    try:
        status = parse_status(values.get("status", ""))
    except ValidationError as exc:
        errors["status"] = exc.messages
        return Outcome.OPEN
    if status:
        return status
    return target if target in (Outcome.WON, Outcome.LOST) else Outcome.OPEN


def deal_from_record(
    record: dict[str, str],
    mapping: dict[str, str],
    *,
    day_first: bool,
    stages: dict[str, str],
    zone=None,
) -> DealRow:
    """`zone`: the current time zone, when the caller read it once for many rows."""
    _ZONE[0] = zone or timezone.get_current_timezone()
    try:
        return _deal_from_record(record, mapping, day_first=day_first, stages=stages)
    finally:
        _ZONE[0] = None


def _deal_from_record(
    record: dict[str, str], mapping: dict[str, str], *, day_first: bool, stages: dict[str, str]
) -> DealRow:
    values = _mapped(record, mapping)
    errors: dict[str, list[str]] = {}
    if not values.get("title"):
        errors["title"] = ["No title."]
    fields: dict[str, Any] = {"title": values.get("title", "")[:200]}
    fields.update(_amounts(values, errors))
    days = _dates(values, errors, day_first=day_first)
    foreign = values.get("stage", "")
    target = stages.get(foreign, "") if foreign else ""
    if foreign and not target:
        errors["stage"] = [f"The stage “{foreign[:60]}” has no place among ours: choose one."]
    outcome = _outcome(values, target, errors)
    if values.get("pain"):
        fields["pain"] = values["pain"]
        if len(values["pain"]) > _PAIN_LIMIT:
            errors["pain"] = [
                f"Ensure this value has at most {_PAIN_LIMIT} characters "
                f"(it has {len(values['pain'])})."
            ]
    if errors:
        raise ValidationError(errors)

    dated = {stage: days[name] for name, stage in REACHED_FIELDS.items() if name in days}
    reached = [stage_index(target)] if target in STAGE_ORDER else []
    reached += [stage_index(stage) for stage in dated]
    if outcome == Outcome.WON:
        reached.append(len(STAGE_ORDER) - 1)
    stage = STAGE_ORDER[max(reached, default=0)]

    known = sorted(dated.values())
    opened_day = days.get("opened_on") or (known[0] if known else None)
    close_day = days.get("closed_on")
    if outcome != Outcome.OPEN:
        # A closed deal's "close date" (Salesforce's CloseDate) is the day it closed.
        close_day = close_day or days.get("expected_close_date")
    elif close_day and "expected_close_date" not in days:
        fields["expected_close_date"] = close_day
    if "expected_close_date" in days:
        fields["expected_close_date"] = days["expected_close_date"]
    candidates = [d for d in (opened_day, *known, close_day) if d]
    opened = _moment(min(candidates)) if candidates else timezone.now()
    steps: dict[str, date | None] = dict(dated)
    if target in STAGE_ORDER:
        steps.setdefault(target, None)
    moves = _moves(stage, steps, opened, outcome=outcome, close_day=close_day)
    closed = None
    if outcome != Outcome.OPEN:
        closed = _moment(close_day) if close_day else moves[-1][1]
    return DealRow(
        fields=fields,
        stage=stage,
        outcome=outcome,
        opened=opened,
        closed=closed,
        moves=moves,
        company_name=values.get("company", "")[:200],
        name_key=search_key(fields["title"]),
        contact_email=values.get("contact_email", ""),
        lost_reason=values.get("lost_reason", "")[:2000],
        source_id=values.get("source_id", "")[:100],
        account_id=values.get("account_id", "")[:100],
        opened_day=min(candidates) if candidates else None,
        closed_day=close_day or (timezone.localdate(closed) if closed else None),
    )


def _moves(
    stage: str,
    steps: dict[str, date | None],
    opened: datetime,
    *,
    outcome: str,
    close_day: date | None,
) -> list[tuple[str, datetime]]:
    """The deal's path as far as the file tells it: the stages it names (its stage column,
    its dated stages) in order, each when the file says (else when the step before it
    was), starting when it opened; a won deal reaches Action on its close date."""
    if stage not in steps:
        won_on = close_day if outcome == Outcome.WON else None
        steps = {**steps, stage: won_on}
    path: list[tuple[str, datetime]] = []
    for name in sorted(steps, key=stage_index):
        day = steps[name]
        if not path:
            when = opened  # no later than any date of the file
        elif day:
            when = max(_moment(day), path[-1][1])
        else:
            when = path[-1][1]
        path.append((name, when))
    return path
