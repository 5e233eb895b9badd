"""The events a subscription can ask for, and each event's payload: the object as the API
shows it (the same schemas), read when the worker fans the event out."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet

from attract.core.permissions import can_manage_team, can_view_record
from attract.engagement.api import interaction_out, task_out
from attract.engagement.models import Interaction, Task
from attract.people.schemas import CompanyOut, PersonOut
from attract.people.selectors import company_detail_queryset, person_detail_queryset
from attract.pipeline.schemas import DealOut
from attract.pipeline.selectors import deal_detail_queryset

EVENTS: dict[str, str] = {
    "person.created": "A person was added",
    "person.updated": "A person was changed",
    "person.deleted": "A person was moved to the trash",
    "company.created": "A company was added",
    "company.updated": "A company was changed",
    "company.deleted": "A company was moved to the trash",
    "deal.created": "A deal was added",
    "deal.updated": "A deal was changed",
    "deal.moved": "A deal moved to another stage",
    "deal.won": "A deal was won",
    "deal.lost": "A deal was lost",
    "deal.referred_out": "A deal was referred out",
    "deal.deleted": "A deal was moved to the trash",
    "interaction.logged": "An interaction was logged (a call, an e-mail, a meeting...)",
    "task.done": "A task was done",
    "import.finished": "An import finished",
}
PING = "webhook.ping"


def _owned_record_visible(record: Any, reader) -> bool:
    # A private record is announced only to its owner's subscriptions.
    return not getattr(record, "is_private", False) or can_view_record(reader, record)


def _subjects_visible(record: Any, reader) -> bool:
    """An interaction or a task is seen by whoever may see every record it is about."""
    subjects = (record.person, record.company, record.deal)
    return all(can_view_record(reader, s) for s in subjects if s is not None)


def _import_visible(job: Any, reader) -> bool:
    # An import's report names what it wrote: for the one who ran it and those who run the team.
    return job.created_by_id == reader.pk or can_manage_team(reader)


def _import_out(job: Any, reader) -> dict:
    fields = ("id", "kind", "file_name", "status", "total_rows", "created_count")
    fields += ("updated_count", "skipped_count", "rejected_count")
    out = {name: getattr(job, name) for name in fields}
    out["finished_at"] = job.finished_at.isoformat() if job.finished_at else None
    out["created_by"] = job.created_by_id
    return out


@dataclass(frozen=True)
class ObjectKind:
    queryset: Callable[[], QuerySet]
    schema: Any = None  # the API's schema, or
    serialize: Callable[[Any, Any], dict] | None = None  # (record, reader) → the API's dict
    visible: Callable[[Any, Any], bool] = _owned_record_visible  # (record, reader)


def _interactions() -> QuerySet:
    return Interaction.objects.select_related("person", "company", "deal")


def _tasks() -> QuerySet:
    return Task.objects.select_related("person", "company", "deal")


def _imports() -> QuerySet:
    # By name, not by import: the import app sits beside this one, not below it.
    return apps.get_model("transfer", "ImportJob").objects.all()


KINDS: dict[str, ObjectKind] = {
    "people.person": ObjectKind(lambda: person_detail_queryset(include_trash=True), PersonOut),
    "people.company": ObjectKind(lambda: company_detail_queryset(include_trash=True), CompanyOut),
    "pipeline.deal": ObjectKind(lambda: deal_detail_queryset(include_trash=True), DealOut),
    "engagement.interaction": ObjectKind(
        _interactions, serialize=lambda r, reader: interaction_out(r), visible=_subjects_visible
    ),
    "engagement.task": ObjectKind(
        _tasks, serialize=lambda r, reader: task_out(r), visible=_subjects_visible
    ),
    "transfer.importjob": ObjectKind(_imports, serialize=_import_out, visible=_import_visible),
}


def load_objects(object_type: str, ids: list[int]) -> dict[int, Any]:
    kind = KINDS.get(object_type)
    if kind is None:
        return {}
    return {record.pk: record for record in kind.queryset().filter(pk__in=ids)}


def as_api_shows(object_type: str, record: Any, *, reader) -> dict:
    """The record as the API shows it to `reader` (the subscription's owner): linked private
    records of someone else are named as the API names them for that reader."""
    kind = KINDS[object_type]
    if kind.serialize is not None:
        return json.loads(json.dumps(kind.serialize(record, reader), cls=DjangoJSONEncoder))
    context = {"request": SimpleNamespace(auth=reader)}
    return kind.schema.model_validate(record, context=context).model_dump(mode="json")


def visible_to_reader(object_type: str, record: Any, reader) -> bool:
    return KINDS[object_type].visible(record, reader)
