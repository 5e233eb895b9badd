"""Deals from another CRM's pipeline: foreign stage names mapped to our five stages (or to a
won/lost close), with the file's dates kept so that the forecast and the learned chances
read imported history as if it had happened here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from attract.accounts.models import User
from attract.core.permissions import visible_to
from attract.core.search_text import search_key
from attract.people.models import EmailAddress
from attract.pipeline import services as pipeline
from attract.pipeline.models import Deal, Outcome, StageMove, stage_index
from attract.transfer.deal_rows import DealRow, deal_from_record
from attract.transfer.models import RowOutcome

if TYPE_CHECKING:
    from attract.transfer.importer import Importer
    from attract.transfer.importer import Outcome as RowResult


class DealIndex:
    """Existing deals by title and company, so a re-imported pipeline is not doubled."""

    def __init__(self, user: User) -> None:
        self.keys: dict[tuple[str, int | None], int] = {}
        for pk, title, company in visible_to(Deal.objects.all(), user).values_list(
            "id", "title", "company_id"
        ):
            self.keys.setdefault((search_key(title), company), pk)


def apply_deal(importer: Importer, line: int, record: dict[str, str]) -> RowResult:
    from attract.transfer.importer import Outcome as RowResult

    job = importer.job
    incoming = deal_from_record(
        record, job.mapping, day_first=job.day_first, stages=job.stage_mapping
    )
    company_id, new_company = importer.company_for(incoming.company_name)
    key = (incoming.name_key, company_id)
    match = importer.deals.keys.get(key)
    if match and importer._action(line) != "create":
        # A deal's history cannot be merged row by row; a duplicate is skipped.
        return RowResult(
            RowOutcome.SKIPPED,
            reason="Duplicate: same title and company.",
            match="same title and company",
        )
    if not importer.write:
        importer.deals.keys[key] = -line
        return RowResult(RowOutcome.CREATED)
    contact = None
    if incoming.contact_email:
        address = (
            EmailAddress.objects.filter(email=incoming.contact_email.lower())
            .select_related("person")
            .first()
        )
        contact = address.person if address else None
    deal = pipeline.deal_create(
        actor=importer.actor,
        company=importer.company(company_id),
        contact=contact,
        **incoming.fields,
    )
    _keep_history(deal, importer.actor, incoming, reason=importer.reason)
    importer.deals.keys[key] = deal.pk
    return RowResult(
        RowOutcome.CREATED, deal_id=deal.pk, company_id=company_id if new_company else None
    )


def _keep_history(deal: Deal, actor: User, incoming: DealRow, *, reason: str) -> None:
    """Put the deal where the other CRM had it: the stage it reached, its outcome, its dates
    and the path it took. These are facts of the past, not moves made today, so the gates
    do not apply; the history rows say the import set them."""
    won = incoming.outcome == Outcome.WON
    values = {
        "stage": incoming.stage,
        "furthest_stage_index": stage_index(incoming.stage),
        "created_at": incoming.opened,
        "stage_entered_at": incoming.moves[-1][1],
        "outcome": incoming.outcome,
        "closed_at": incoming.closed,
        "lost_reason": incoming.lost_reason
        or ("Lost (imported)." if incoming.outcome == Outcome.LOST else ""),
    }
    if won:
        values["lost_reason"] = ""
    # The deal was created a moment ago by deal_create; its one history row is made to say
    # what the import created, rather than adding a second row for the same moment.
    Deal.all_objects.filter(pk=deal.pk).update(**values)
    values.pop("furthest_stage_index")
    deal.history.update(history_change_reason=reason, **values)
    StageMove.objects.filter(deal=deal).delete()
    StageMove.objects.bulk_create(_stage_moves(deal.pk, actor, incoming))


def _stage_moves(deal_id: int, actor: User, incoming: DealRow) -> list[StageMove]:
    moves, previous = [], ""
    for stage, when in incoming.moves:
        moves.append(
            StageMove(
                deal_id=deal_id,
                from_stage=previous,
                to_stage=stage,
                moved_by=actor,
                moved_at=when,
                note="Imported" if not previous else "",
            )
        )
        previous = stage
    return moves


def delete_deals(created_rows: QuerySet) -> None:
    Deal.all_objects.filter(pk__in=created_rows.values("deal_id")).delete()
