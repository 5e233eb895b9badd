"""Deals from another CRM's pipeline: foreign stage names mapped to our five stages (or to a
won/lost close), with the file's dates kept so that the forecast and the learned chances
read imported history as if it had happened here."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from attract.accounts.models import User
from attract.core.permissions import visible_to
from attract.core.search_text import search_key
from attract.people.models import EmailAddress
from attract.pipeline import services as pipeline
from attract.pipeline.models import Deal, Outcome, StageMove, stage_index
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


def _moment(day: date | None) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time(12)))


def apply_deal(importer: Importer, line: int, record: dict[str, str]) -> RowResult:
    from attract.transfer.importer import Outcome as RowResult
    from attract.transfer.rows import deal_from_record

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
    extra = incoming.extra
    contact = None
    if extra.get("contact_email"):
        address = (
            EmailAddress.objects.filter(email=extra["contact_email"])
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
    _keep_history(deal, importer.actor, extra, reason=importer.reason)
    importer.deals.keys[key] = deal.pk
    return RowResult(
        RowOutcome.CREATED, deal_id=deal.pk, company_id=company_id if new_company else None
    )


def _keep_history(deal: Deal, actor: User, extra: dict, *, reason: str) -> None:
    """Put the deal where the other CRM had it: its stage, its outcome and its dates. The
    stage and close are facts of the past, not moves made today, so the gates do not apply;
    the history row says the import set them."""
    target = extra["target"]
    opened = _moment(extra.get("opened_on")) or deal.created_at
    closed = _moment(extra.get("closed_on"))
    if target in ("won", "lost"):
        stage = "action" if target == "won" else deal.stage
        deal.outcome = Outcome.WON if target == "won" else Outcome.LOST
        deal.closed_at = closed or opened
        deal.lost_reason = extra.get("lost_reason") or (
            "" if target == "won" else "Lost (imported)."
        )
    else:
        stage = target
    deal.stage = stage
    deal.furthest_stage_index = stage_index(stage)
    deal.created_at = opened
    deal.stage_entered_at = opened
    values = {
        "stage": stage,
        "furthest_stage_index": deal.furthest_stage_index,
        "created_at": opened,
        "stage_entered_at": opened,
        "outcome": deal.outcome,
        "closed_at": deal.closed_at,
        "lost_reason": deal.lost_reason,
    }
    # The deal was created a moment ago by deal_create; its one history row is made to say
    # what the import created, rather than adding a second row for the same moment.
    Deal.all_objects.filter(pk=deal.pk).update(**values)
    values.pop("furthest_stage_index")
    deal.history.update(history_change_reason=reason, **values)
    StageMove.objects.filter(deal=deal).update(to_stage=stage, moved_at=opened)


def stage_suggestions(job, *, limit: int = 50) -> dict[str, str]:
    """Every foreign stage name in the file's stage column, with our suggested stage (or the
    one the user already chose)."""
    from attract.transfer.importing import _records
    from attract.transfer.presets import suggest_stage

    column = next((h for h, f in job.mapping.items() if f == "stage"), None)
    if column is None:
        return {}
    found: dict[str, str] = {}
    for _, _, record in _records(job):
        name = record.get(column, "")
        if name and name not in found:
            found[name] = job.stage_mapping.get(name) or suggest_stage(name)
            if len(found) >= limit:
                break
    return found


def delete_deals(created_rows: QuerySet) -> None:
    Deal.all_objects.filter(pk__in=created_rows.values("deal_id")).delete()
