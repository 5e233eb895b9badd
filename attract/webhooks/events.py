"""The events a subscription can ask for, and each event's payload: the object as the API
shows it (the same schemas), read when the worker fans the event out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db.models import QuerySet

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
}
PING = "webhook.ping"


@dataclass(frozen=True)
class ObjectKind:
    queryset: Callable[[], QuerySet]
    schema: Any


KINDS: dict[str, ObjectKind] = {
    "people.person": ObjectKind(lambda: person_detail_queryset(include_trash=True), PersonOut),
    "people.company": ObjectKind(lambda: company_detail_queryset(include_trash=True), CompanyOut),
    "pipeline.deal": ObjectKind(lambda: deal_detail_queryset(include_trash=True), DealOut),
}


def load_objects(object_type: str, ids: list[int]) -> dict[int, Any]:
    kind = KINDS.get(object_type)
    if kind is None:
        return {}
    return {record.pk: record for record in kind.queryset().filter(pk__in=ids)}


def as_api_shows(object_type: str, record: Any, *, reader) -> dict:
    """The record as the API shows it to `reader` (the subscription's owner): linked private
    records of someone else are named as the API names them for that reader."""
    context = {"request": SimpleNamespace(auth=reader)}
    schema = KINDS[object_type].schema
    return schema.model_validate(record, context=context).model_dump(mode="json")
