"""Writing the deals of an import batch together, with their history and their stage moves.

`deal_create` then the fix-ups that put an imported deal where the other CRM had it cost a
dozen queries a deal (about 80 deals a second). An imported deal needs none of the checks
against the database that the service makes, once the importer has found its company (among
those the user can see) and the row has been read and checked (deal_rows.py, within the
model's limits): so the importer gathers the batch's deals and writes them here at its end,
as person import does (bulk.py): the deals, one "created" history row each (as the importing
user, with the import as the reason), and the stage moves of their path.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Max
from django.utils import timezone

from attract.accounts.models import User
from attract.core.permissions import visible_to
from attract.people.models import EmailAddress, Person
from attract.pipeline.models import Deal, Outcome, StageMove, stage_index
from attract.pipeline.stage_times import stage_move_times_fill
from attract.transfer.bulk import _blank, _insert, _next_ids

if TYPE_CHECKING:
    from attract.transfer.deal_rows import DealRow
    from attract.transfer.outcomes import Outcome as RowResult


@dataclass
class _NewDeal:
    row: dict  # the deal's columns ({attname: value}); its id filled at the flush
    company_placeholder: int | None  # a company gathered in the same batch
    contact_email: str
    moves: list
    result: RowResult


@dataclass
class PendingDeals:
    actor: User
    reason: str
    deals: list[_NewDeal] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.deals)

    def add(self, incoming: DealRow, *, company_id: int | None, result: RowResult) -> None:
        row = _blank(Deal)
        row.update(incoming.fields)
        row.update(
            company_id=company_id if company_id and company_id > 0 else None,
            owner_id=self.actor.pk,
            created_by_id=self.actor.pk,
            updated_by_id=self.actor.pk,
            stage=incoming.stage,
            furthest_stage_index=stage_index(incoming.stage),
            created_at=incoming.opened,
            stage_entered_at=incoming.moves[-1][1],
            outcome=incoming.outcome,
            closed_at=incoming.closed,
            lost_reason=incoming.lost_reason
            or ("Lost (imported)." if incoming.outcome == Outcome.LOST else ""),
            source_id=incoming.source_id,
        )
        placeholder = company_id if company_id and company_id < 0 else None
        self.deals.append(
            _NewDeal(row, placeholder, incoming.contact_email, incoming.moves, result)
        )

    def _contacts(self) -> dict[str, int]:
        """The person each contact email of the batch names, among those the user can see:
        one query a batch."""
        emails = {d.contact_email.lower() for d in self.deals if d.contact_email}
        if not emails:
            return {}
        found = EmailAddress.objects.filter(
            email__in=emails, person__in=visible_to(Person.objects.all(), self.actor)
        ).values_list("email", "person_id")
        return dict(found)

    def _positions(self) -> dict[str, int]:
        """The last board position of each stage: new open deals go after it, in file order."""
        stages = {d.row["stage"] for d in self.deals if d.row["outcome"] == Outcome.OPEN}
        if not stages:
            return {}
        rows = (
            Deal.objects.filter(outcome=Outcome.OPEN, stage__in=stages)
            .values("stage")
            .annotate(top=Max("position"))
        )
        return {r["stage"]: r["top"] or 0 for r in rows}

    def flush(self, resolved: dict[int, int]) -> None:
        """Write what was gathered; the caller's transaction holds it with the batch.
        `resolved`: the real ids of companies gathered in the batch, written just before."""
        if not self.deals:
            return
        now = timezone.now()
        contacts = self._contacts()
        positions = defaultdict(int, self._positions())
        rows = []
        for deal, pk in zip(self.deals, _next_ids(Deal, len(self.deals)), strict=True):
            row = deal.row
            row.update(id=pk, updated_at=now)
            if deal.company_placeholder is not None:
                row["company_id"] = resolved[deal.company_placeholder]
            if deal.contact_email:
                row["contact_id"] = contacts.get(deal.contact_email.lower())
            if row["outcome"] == Outcome.OPEN:
                positions[row["stage"]] += 1
                row["position"] = positions[row["stage"]]
            deal.result.deal_id = pk
            rows.append(row)
        _insert(Deal, rows)
        history = Deal.history.model
        tracked = [
            f.attname for f in history._meta.concrete_fields if not f.name.startswith("history_")
        ]
        extra = {
            "history_date": now,
            "history_change_reason": self.reason,
            "history_type": "+",
            "history_user_id": self.actor.pk,
        }
        _insert(history, [{**{n: row[n] for n in tracked}, **extra} for row in rows])
        moves = []
        blank = _blank(StageMove)
        blank.pop("id", None)
        for deal in self.deals:
            previous = ""
            for stage, when in deal.moves:
                moves.append(
                    {
                        **blank,
                        "deal_id": deal.row["id"],
                        "from_stage": previous,
                        "to_stage": stage,
                        "moved_by_id": self.actor.pk,
                        "moved_at": when,
                        "note": "" if previous else "Imported",
                    }
                )
                previous = stage
        _insert(StageMove, moves)
        stage_move_times_fill(deal_ids=[deal.row["id"] for deal in self.deals])
        self.deals = []
