"""The shapes of joint initiatives and topics in the REST API. Types only; the services
check values and access."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from attract.partners.initiative_selectors import INITIATIVE_SORTS
from attract.partners.models import InitiativeKind, OurRole
from attract.people.schemas import VERSION_FIELD, PageQuery

InitiativeSort = Literal[tuple(INITIATIVE_SORTS)]  # type: ignore[valid-type]


class InitiativeFilters(PageQuery):
    search: str = Field("", max_length=200, description="Words in the title or topic.")
    kind: InitiativeKind | None = None
    sort: InitiativeSort = "brought"  # type: ignore[valid-type]


class InitiativeFields(Schema):
    title: str | None = Field(None, max_length=200)
    kind: InitiativeKind | None = None
    held_on: date | None = None
    our_role: OurRole | None = None
    topic: int | None = Field(None, description="A topic id, or null for none.")
    audience: int | None = Field(None, ge=0, le=100_000_000)
    notes: str | None = Field(None, max_length=20_000)
    partners: list[int] | None = Field(None, max_length=100, description="Partner ids.")


class InitiativeIn(InitiativeFields):
    title: str = Field(..., max_length=200)
    kind: InitiativeKind
    held_on: date
    our_role: OurRole
    partners: list[int] = Field(..., min_length=1, max_length=100)


class InitiativePatch(InitiativeFields):
    """Only the fields sent are changed. Send the `version` you read: 409 if it changed."""

    version: int | None = VERSION_FIELD


class InitiativePersonIn(Schema):
    person: int


class InitiativePartnerOut(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj)


class InitiativeOut(Schema):
    id: int
    title: str
    kind: InitiativeKind
    held_on: date
    our_role: OurRole
    topic_id: int | None
    audience: int
    notes: str
    partners: list[InitiativePartnerOut]
    people_count: int
    deal_count: int
    won_revenue: Decimal
    won_profit: Decimal
    in_trash: bool
    version: int

    @staticmethod
    def resolve_partners(obj) -> list:
        return list(obj.partners.all())


class InitiativePage(Schema):
    count: int
    items: list[InitiativeOut]


class TopicFields(Schema):
    name: str | None = Field(None, max_length=200)
    notes: str | None = Field(None, max_length=5_000)
    in_our_field: bool | None = None
    we_enjoy: bool | None = None
    customers_want: bool | None = None


class TopicIn(TopicFields):
    name: str = Field(..., max_length=200)


class TopicPatch(TopicFields):
    version: int | None = VERSION_FIELD


class TopicOut(Schema):
    id: int
    name: str
    notes: str
    in_our_field: bool
    we_enjoy: bool
    customers_want: bool
    initiative_count: int
    article_count: int = 0
    in_trash: bool
    version: int


class ArticleIn(Schema):
    topic: int
    title: str = Field(..., max_length=200)
    published_on: date | None = Field(None, description="Today when left out.")
    where: str = Field("", max_length=200, description="Where it was published.")
    link: str = Field("", max_length=500)


class ArticleOut(Schema):
    id: int
    topic: int = Field(alias="topic_id")
    title: str
    published_on: date
    where: str
    link: str
    in_trash: bool
    version: int
