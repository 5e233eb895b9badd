"""The shapes of partners, their lines, alliance steps and referrals in the REST API.

Schemas only describe types; the services check values and access, so the API, the web
pages and the CLI give the same answers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from attract.core.permissions import name_seen_by
from attract.partners.models import Direction, LineKind, Mark, Step
from attract.partners.selectors import PARTNER_SORTS, describe_outcome
from attract.people.schemas import VERSION_FIELD, PageQuery

PartnerSort = Literal[tuple(PARTNER_SORTS)]  # type: ignore[valid-type]
Confidence = Field(None, ge=1, le=5, description="1 (none) to 5 (complete).")


class PartnerFilters(PageQuery):
    search: str = Field("", description="Words that all appear in the partner's name.")
    sort: PartnerSort = "name"  # type: ignore[valid-type]


class PartnerFields(Schema):
    is_competitor: bool | None = None
    offers_same: str | None = None
    offers_different: str | None = None
    where_we_meet: str | None = None
    confidence_ability: int | None = Confidence
    confidence_account: int | None = Confidence
    confidence_ethics: int | None = Confidence
    notes: str | None = None
    owner: int | None = Field(None, description="User id; the token's user when left out.")
    is_private: bool | None = None


class PartnerIn(PartnerFields):
    company: int | None = Field(None, description="The company id (or give `person`).")
    person: int | None = Field(None, description="The person id (or give `company`).")


class PartnerPatch(PartnerFields):
    """Only the fields sent are changed. Send the `version` you read: 409 if it changed."""

    version: int | None = VERSION_FIELD


class LineOut(Schema):
    id: int
    kind: LineKind
    text: str
    mark: Mark
    version: int


class StepOut(Schema):
    step: Step
    reached_on: date
    learned: str
    next_step: str


class PartnerOut(Schema):
    id: int
    name: str
    kind: Literal["company", "person"]
    company: int | None = Field(None, alias="company_id")
    person: int | None = Field(None, alias="person_id")
    is_competitor: bool
    offers_same: str
    offers_different: str
    where_we_meet: str
    confidence_ability: int | None
    confidence_account: int | None
    confidence_ethics: int | None
    notes: str
    owner: int | None = Field(None, alias="owner_id")
    is_private: bool
    in_trash: bool
    referred_out: int = Field(alias="out_count")
    referred_out_value: Decimal = Field(alias="out_value")
    referred_in: int = Field(alias="in_count")
    referred_in_value: Decimal = Field(alias="in_value")
    referred_in_won: int = Field(alias="in_won_count")
    referred_in_won_revenue: Decimal = Field(alias="in_won_value")
    referred_in_won_profit: Decimal = Field(alias="in_won_profit")
    referred_out_customers: int = Field(
        alias="out_customers", description="Referred out who became the partner's customers."
    )
    referred_out_won_revenue: Decimal = Field(alias="out_won_revenue")
    referred_out_won_profit: Decimal = Field(alias="out_won_profit")
    balance: int = Field(description="Referrals received minus referrals given.")
    last_referral_on: date | None = Field(None, alias="last_referred_on")
    alliance_step: Step | None = Field(None, alias="current_step")
    alliance_step_since: date | None = Field(None, alias="current_step_since")
    version: int
    created_at: datetime

    @staticmethod
    def resolve_name(partner) -> str:
        return str(partner)


class PartnerDetailOut(PartnerOut):
    lines: list[LineOut] = Field(default_factory=list, alias="active_lines")
    steps: list[StepOut] = Field(default_factory=list, alias="reached_steps")


class PartnerPage(Schema):
    count: int
    items: list[PartnerOut]


class LineIn(Schema):
    kind: LineKind = LineKind.QUALITY
    text: str


class LinePatch(Schema):
    mark: Mark
    version: int | None = VERSION_FIELD


class StepIn(Schema):
    reached_on: date | None = Field(None, description="Today when left out.")
    learned: str = ""
    next_step: str = ""


class ReferralIn(Schema):
    partner: int
    direction: Direction
    deal: int | None = None
    person: int | None = None
    company: int | None = None
    reason: str = ""
    value: Decimal | None = Field(None, ge=0, description="The deal's revenue when left out.")
    referred_on: date | None = Field(None, description="Today when left out.")
    became_customer: bool | None = Field(
        None,
        description="Referred out: they became the partner's customer (null: not known). "
        "A deal referred in tells its own outcome.",
    )
    won_revenue: Decimal | None = Field(None, ge=0, description="When they became a customer.")
    won_profit: Decimal | None = Field(None, description="When they became a customer.")


class ReferralPatch(Schema):
    """Only the fields named change."""

    reason: str | None = None
    value: Decimal | None = Field(None, ge=0)
    referred_on: date | None = None
    became_customer: bool | None = None
    won_revenue: Decimal | None = Field(None, ge=0)
    won_profit: Decimal | None = None
    version: int | None = VERSION_FIELD


class ReferralOut(Schema):
    id: int
    partner: int = Field(alias="partner_id")
    direction: Direction
    deal: int | None = None
    person: int | None = None
    company: int | None = None
    subject: str
    reason: str
    value: Decimal
    referred_on: date
    became_customer: bool | None
    won_revenue: Decimal
    won_profit: Decimal
    outcome: str = Field(
        description="won, open, not_won (a deal referred in); customer_out, customer_in, no, "
        "unknown (as recorded)."
    )
    in_trash: bool
    version: int

    @staticmethod
    def resolve_outcome(referral) -> str:
        if not hasattr(referral, "outcome_key"):
            describe_outcome(referral)
        return referral.outcome_key

    # A subject the reader may not see (someone else's private deal) is neither named nor
    # numbered: "a private deal".
    @staticmethod
    def resolve_reason(referral) -> str:
        return referral.reason if referral.subject_visible else ""

    @staticmethod
    def resolve_subject(referral, context) -> str:
        return name_seen_by(context["request"].auth, referral.subject)

    @staticmethod
    def _visible_id(referral, context, name: str) -> int | None:
        record = getattr(referral, name)
        if record is None or name_seen_by(context["request"].auth, record) != str(record):
            return None
        return record.pk

    @staticmethod
    def resolve_deal(referral, context) -> int | None:
        return ReferralOut._visible_id(referral, context, "deal")

    @staticmethod
    def resolve_person(referral, context) -> int | None:
        return ReferralOut._visible_id(referral, context, "person")

    @staticmethod
    def resolve_company(referral, context) -> int | None:
        return ReferralOut._visible_id(referral, context, "company")


class ChallengeDayOut(Schema):
    number: int
    day: date
    state: Literal["met", "missed", "today", "to_come"]
    person: str = ""

    @staticmethod
    def resolve_person(item, context) -> str:
        if item.meeting is None:
            return ""
        return name_seen_by(context["request"].auth, item.meeting.person)


class ChallengeOut(Schema):
    started_on: date
    running: bool
    met: int
    streak: int
    today_met: bool
    days: list[ChallengeDayOut]
    referrals_from_those_met: int

    @staticmethod
    def resolve_started_on(status) -> date:
        return status.challenge.started_on

    @staticmethod
    def resolve_referrals_from_those_met(status) -> int:
        return len(status.referrals)


class MeetingIn(Schema):
    person: int
    note: str = ""


class CurrentChallengeOut(Schema):
    """`challenge` is null before the first one is started."""

    challenge: ChallengeOut | None
