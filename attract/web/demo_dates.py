"""One timeline for the sample business. Each app's demo part dates its own records (people
added months ago, deals spread over the past year, interactions lately), and change history
is written as the records are made, today. This pass puts them in one order, so that a
sample person's page reads true: added before the first deal or interaction with them, and
their history starting on the day they were added."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Model

from attract.engagement.models import Interaction
from attract.people.models import Company, Person
from attract.pipeline.models import Deal

# A record is added a little before the first thing that happens with it.
LEAD_TIME = timedelta(days=2)


def _earliest(pairs: Iterable[tuple[int | None, datetime]]) -> dict[int, datetime]:
    first: dict[int, datetime] = {}
    for pk, when in pairs:
        if pk is not None and (pk not in first or when < first[pk]):
            first[pk] = when
    return first


def _added_before_first_event(model: type[Model], first_event: dict[int, datetime]) -> None:
    records = list(model.all_objects.filter(pk__in=first_event).only("pk", "created_at"))
    for record in records:
        record.created_at = min(record.created_at, first_event[record.pk] - LEAD_TIME)
    model.all_objects.bulk_update(records, ["created_at"], batch_size=500)


def _history_from_added_on(model: type[Model], ends: dict[int, datetime] | None = None) -> None:
    """Each record's history rows spread from the day it was added (the "Created" row) to
    `ends[pk]` (its last change: a deal's close or last move), or all on the day it was
    added when nothing later is known."""
    added = dict(model.all_objects.values_list("pk", "created_at"))
    history = model.history.model
    rows = list(history.objects.order_by("id", "history_id").only("history_id", "id"))
    by_record: dict[int, list] = {}
    for row in rows:
        by_record.setdefault(row.id, []).append(row)
    for pk, own in by_record.items():
        if pk not in added:
            continue
        start = added[pk]
        end = max((ends or {}).get(pk, start), start)
        step = (end - start) / max(len(own) - 1, 1)
        for n, row in enumerate(own):
            row.history_date = start + step * n
    history.objects.bulk_update(rows, ["history_date"], batch_size=500)


def demo_dates_agree() -> None:
    deals = list(Deal.all_objects.values_list("company_id", "contact_id", "created_at"))
    interactions = list(Interaction.objects.values_list("company_id", "person_id", "occurred_at"))
    _added_before_first_event(
        Person,
        _earliest(
            [(contact, at) for _, contact, at in deals]
            + [(person, at) for _, person, at in interactions]
        ),
    )
    # A company is added before its people too.
    people = list(Person.all_objects.values_list("company_id", "created_at"))
    _added_before_first_event(
        Company,
        _earliest(
            [(company, at) for company, _, at in deals]
            + [(company, at) for company, _, at in interactions]
            + [(company, at + LEAD_TIME) for company, at in people]
        ),
    )
    _history_from_added_on(Company)
    _history_from_added_on(Person)
    deal_ends = {
        pk: closed_at or entered
        for pk, closed_at, entered in Deal.all_objects.values_list(
            "pk", "closed_at", "stage_entered_at"
        )
    }
    _history_from_added_on(Deal, deal_ends)
