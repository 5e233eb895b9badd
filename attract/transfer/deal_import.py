"""Matching deals from another CRM's pipeline against the deals the importer can see (and the
earlier rows of the file), so a re-imported pipeline is not doubled. The importer reads each
row as the deal really went (deal_rows.py), links it to its company, asks this index, and
gathers it for the batch's bulk write (deal_writes.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from attract.accounts.models import User
from attract.core.permissions import visible_to
from attract.core.search_text import search_key
from attract.people.models import Company
from attract.pipeline.models import Deal
from attract.transfer.deal_rows import DealRow


class DealIndex:
    """The deals the importer can see (and the earlier rows of the file), so that a re-imported
    pipeline is not doubled. A row with an id from the other CRM is the deal with that id, and
    no other: two deals that share a title are two deals. A row without one is a duplicate only
    when everything it says matches: title, company, amount, outcome, dates."""

    def __init__(self, user: User) -> None:
        self.by_source: dict[str, int] = {}
        self.by_key: dict[tuple, list[tuple[date | None, int]]] = {}
        rows = visible_to(Deal.objects.all(), user).values_list(
            "id",
            "title",
            "company_id",
            "revenue",
            "outcome",
            "created_at",
            "closed_at",
            "source_id",
        )
        zone = timezone.get_current_timezone()
        for pk, title, company, revenue, outcome, created, closed, source in rows.iterator(
            chunk_size=5000
        ):
            if source:
                self.by_source.setdefault(source, pk)
            closed_day = closed.astimezone(zone).date() if closed else None
            key = _key(search_key(title), company, revenue, outcome, closed_day)
            self.by_key.setdefault(key, []).append((created.astimezone(zone).date(), pk))
        # Companies by their id in the other CRM, for a deal file's AccountId column.
        self.companies_by_source = dict(
            visible_to(Company.objects.exclude(source_id=""), user).values_list("source_id", "id")
        )

    def find(self, incoming: DealRow, company_id: int | None) -> tuple[int | None, str]:
        if incoming.source_id:
            return self.by_source.get(incoming.source_id), "same id in the other CRM"
        key = _row_key(incoming, company_id)
        for opened, pk in self.by_key.get(key, ()):
            if incoming.opened_day is None or opened == incoming.opened_day:
                return pk, "same title, company, amount, outcome and dates"
        return None, ""

    def add(self, pk: int, incoming: DealRow, company_id: int | None) -> None:
        if incoming.source_id:
            self.by_source.setdefault(incoming.source_id, pk)
        opened = incoming.opened_day or incoming.opened.date()
        self.by_key.setdefault(_row_key(incoming, company_id), []).append((opened, pk))


def _key(title: str, company, revenue, outcome: str, closed: date | None) -> tuple:
    return (title, company, Decimal(revenue or 0).quantize(Decimal("0.01")), outcome, closed)


def _row_key(incoming: DealRow, company_id: int | None) -> tuple:
    revenue = incoming.fields.get("revenue")
    return _key(incoming.name_key, company_id, revenue, incoming.outcome, incoming.closed_day)
