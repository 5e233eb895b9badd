"""The shapes of deals, quotes, stages and moves in the REST API.

Schemas only describe types; amounts, gates, versions and access are checked by the
services, so the API, the web pages and the CLI give the same answers.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from attract.core.api_errors import ConflictOut as CoreConflictOut
from attract.core.permissions import name_seen_by, visible_or_none
from attract.people.schemas import COUNT_HELP, PageQuery
from attract.pipeline.models import Deal, Outcome, Source

# --- Deals --------------------------------------------------------------------------------


class DealFilters(PageQuery):
    outcome: Outcome | None = Field(
        Outcome.OPEN, description="open (the board, the default), won, lost or referred_out."
    )
    closed: bool = Field(False, description="All closed deals (won, lost, referred out).")
    stage: str = Field("", description="Only deals in this stage.")
    owner: int | None = Field(None, description="Only deals owned by this user id.")
    tag: str = Field("", description="Only deals with this tag (any case).")
    company: int | None = Field(None, description="Only deals with this company id.")
    search: str = Field("", description="Words in the title or the company name.")
    sort: str = Field(
        "",
        max_length=20,
        description="Open deals: stage (the board's order, the default), title, close, days "
        "(longest in its stage first), revenue (biggest first); closed deals: closed (newest "
        "close first, the default), title, revenue. A leading '-' reverses; an unknown sort "
        "gives the default.",
    )


class DealIn(Schema):
    title: str
    company: int | None = Field(None, description="Company id.")
    contact: int | None = Field(None, description="Main contact: a person id.")
    owner: int | None = Field(None, description="User id; the token's user when left out.")
    is_private: bool = False
    pain: str = Field("", description="The customer's problem, in their own words.")
    revenue: Decimal = Decimal("0")
    cost: Decimal = Decimal("0")
    expected_close_date: date | None = None
    source: Source = Source.OUTBOUND
    stage: str = Field("attention", description="Where the deal starts; its gates must hold.")
    conviction_problem_acknowledged: bool = False
    conviction_we_are_the_ones: bool = False
    tags: list[str] = Field(default_factory=list)


class DealPatch(Schema):
    """Only the fields sent are changed. Send `version` to be told of a concurrent change."""

    version: int | None = Field(None, description="The version you read; 409 if it moved on.")
    title: str | None = None
    company: int | None = None
    contact: int | None = None
    owner: int | None = None
    is_private: bool | None = None
    pain: str | None = None
    revenue: Decimal | None = None
    cost: Decimal | None = None
    expected_close_date: date | None = None
    source: Source | None = None
    conviction_problem_acknowledged: bool | None = None
    conviction_we_are_the_ones: bool | None = None
    tags: list[str] | None = None


def _reader(context: dict[str, Any] | None):
    request = (context or {}).get("request")
    return getattr(request, "auth", None)


class DealOut(Schema):
    id: int
    title: str
    company_id: int | None
    company_name: str | None
    contact_id: int | None
    contact_name: str | None
    owner_id: int | None
    is_private: bool
    pain: str
    revenue: Decimal
    cost: Decimal
    profit: Decimal
    margin: Decimal | None = Field(description="Profit as a percentage of revenue.")
    expected_close_date: date | None
    source: Source
    stage: str
    stage_entered_at: datetime
    days_in_stage: int
    outcome: Outcome
    lost_reason: str
    closed_at: datetime | None
    conviction_problem_acknowledged: bool
    conviction_we_are_the_ones: bool
    position: int
    version: int
    tags: list[str]
    warnings: list[str] = Field(description="Allowed, but worth a second look.")
    created_at: datetime
    updated_at: datetime

    # A shared deal may name someone else's private company or contact: the reader gets no
    # id and "a private company" (contact) as its name, as on the web pages.
    @staticmethod
    def resolve_company_id(obj: Deal, context: dict[str, Any]) -> int | None:
        company = visible_or_none(_reader(context), obj.company) if obj.company_id else None
        return company.pk if company else None

    @staticmethod
    def resolve_company_name(obj: Deal, context: dict[str, Any]) -> str | None:
        return name_seen_by(_reader(context), obj.company) if obj.company_id else None

    @staticmethod
    def resolve_contact_id(obj: Deal, context: dict[str, Any]) -> int | None:
        contact = visible_or_none(_reader(context), obj.contact) if obj.contact_id else None
        return contact.pk if contact else None

    @staticmethod
    def resolve_contact_name(obj: Deal, context: dict[str, Any]) -> str | None:
        return name_seen_by(_reader(context), obj.contact) if obj.contact_id else None

    @staticmethod
    def resolve_tags(obj: Deal) -> list[str]:
        return [t.name for t in obj.tags.all()]

    @staticmethod
    def resolve_warnings(obj: Deal) -> list[str]:
        return obj.warnings()


class DealPage(Schema):
    count: int = Field(description=COUNT_HELP)
    count_exact: bool
    next: str | None = Field(None, description="Pass as `after` for the next page.")
    items: list[DealOut]


class MoveIn(Schema):
    stage: str = Field(description="attention, interest, conviction, desire or action.")
    version: int | None = Field(None, description="The version you read; 409 if it moved on.")
    note: str = ""
    override_reason: str = Field("", description="Owner/admin only: why the gate is overridden.")


class VersionIn(Schema):
    version: int | None = None


class LoseIn(VersionIn):
    reason: str = Field("", max_length=2_000)
    reason_kind: int | None = Field(None, ge=1, le=2**31 - 1, description="A lost reason's id")


class ReferOutIn(VersionIn):
    note: str = ""


class CloseAsNoIn(Schema):
    reason: str = ""


class ConflictOut(CoreConflictOut):
    missing: list[str] = Field(default_factory=list, description="Each unmet entry criterion.")


class MoveOut(Schema):
    id: int
    from_stage: str
    to_stage: str
    moved_by_id: int | None
    moved_at: datetime
    note: str
    override_reason: str
    is_backward: bool


# --- Quotes -------------------------------------------------------------------------------


class QuoteIn(Schema):
    amount: Decimal
    description: str = ""
    valid_until: date | None = None


class QuoteSendIn(Schema):
    sent_on: date | None = Field(None, description="Today when left out.")


class QuoteOut(Schema):
    id: int
    deal_id: int
    amount: Decimal
    description: str
    status: str
    sent_on: date | None
    valid_until: date | None
    created_at: datetime


# --- Stages -------------------------------------------------------------------------------


class StageOut(Schema):
    stage: str
    label: str
    probability: int
    stale_after_days: int
    entry_criteria: str
    enforce_entry_criteria: bool
    learned_probability: float
    learned_sample_size: int
    open_count: int
    open_total: Decimal
    weighted_total: Decimal


class StageSettingIn(Schema):
    probability: int
    stale_after_days: int
    enforce_entry_criteria: bool | None = Field(None, description="Left out: unchanged.")


class ForecastMonthOut(Schema):
    month: date | None
    count: int
    revenue: Decimal
    weighted_configured: Decimal
    weighted_learned: Decimal


class CalibrationBinOut(Schema):
    low: int = Field(description="The band's lowest chance, in percent.")
    high: int
    count: int = Field(description="Forecasts in the band (a deal counts once per stage).")
    won: int
    mean_chance: float | None = Field(description="The chances given, on average (percent).")
    won_share: float | None = Field(description="The share of those forecasts won (percent).")


class CalibrationOut(Schema):
    deals: int = Field(description="Closed deals (won or lost) scored.")
    forecasts: int = Field(description="(deal, stage reached) pairs: the Brier score's sample.")
    brier: float | None = Field(description="Of the learned chances; 0 is perfect.")
    configured_brier: float | None = Field(description="Of the configured chances.")
    bins: list[CalibrationBinOut]
