"""The shapes of departures, exit surveys, repeat-purchase figures, testimonials and case
studies in the REST API. Schemas describe types; the services check values and access."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from attract.aftercare.departure_selectors import SOURCES
from attract.aftercare.models import Consent, Reason, WouldReturn
from attract.aftercare.repeat_selectors import ONE_TIME_SORTS
from attract.people.schemas import VERSION_FIELD, PageQuery

ReasonValue = Literal[tuple(Reason.values)]  # type: ignore[valid-type]
ConsentValue = Literal[tuple(Consent.values)]  # type: ignore[valid-type]
SourceValue = Literal[tuple(SOURCES)]  # type: ignore[valid-type]
OneTimeSort = Literal[tuple(ONE_TIME_SORTS)]  # type: ignore[valid-type]


class CompanyRef(Schema):
    id: int
    name: str


class DepartureFilters(PageQuery):
    start: date | None = Field(None, description="From this day (default: a year before `end`).")
    end: date | None = Field(None, description="Until this day (default: today).")
    source: SourceValue = Field(
        "all", description="; ".join(f"{k}: {v}" for k, v in SOURCES.items())
    )  # type: ignore[valid-type]


class DepartureIn(Schema):
    company: int
    departed_on: date
    reason: ReasonValue  # type: ignore[valid-type]
    reason_other: str = Field("", max_length=300)
    note: str = Field("", max_length=5_000)
    contact: int | None = Field(
        None, description="The person we dealt with (the survey is for them)."
    )


class DeparturePatch(Schema):
    """Only the fields sent are changed. Send the `version` you read: 409 if it changed."""

    version: int | None = VERSION_FIELD
    departed_on: date | None = None
    reason: ReasonValue | None = None  # type: ignore[valid-type]
    reason_other: str | None = Field(None, max_length=300)
    note: str | None = Field(None, max_length=5_000)


class SurveyAnswersOut(Schema):
    answered_at: datetime | None
    reason: str = Field(description="The customer's own reason; empty until they answer.")
    reason_other: str
    could_have_done: str
    would_return: WouldReturn
    may_contact: bool | None


class DepartureOut(Schema):
    id: int
    company: CompanyRef
    contact: str = Field(description="Who we dealt with, as the reader may see them.")
    departed_on: date
    customer_since: date | None
    reason: Reason = Field(description="Our guess.")
    reason_other: str
    control: str = Field(description="How much of our guess's reason is in our control.")
    note: str
    lost_yearly_revenue: Decimal
    lost_yearly_profit: Decimal
    answers: SurveyAnswersOut
    version: int


class DeparturePage(Schema):
    count: int
    items: list[DepartureOut]


class ReasonFigureOut(Schema):
    reason: str
    label: str
    control: str
    count: int
    share: float
    published: int | None
    revenue: Decimal
    profit: Decimal


class QuarterOut(Schema):
    quarter: str
    count: int
    in_control: int


class DepartureSummaryOut(Schema):
    start: date
    end: date
    source: str
    total: int
    share_in_control: float
    published_in_control: int
    lost_yearly_revenue: Decimal
    lost_yearly_profit: Decimal
    answered: int
    guessed: int
    reasons: list[ReasonFigureOut]
    quarters: list[QuarterOut]


class SurveyLinkOut(Schema):
    url: str = Field(description="Shown once: only its hash is stored.")
    expires_at: datetime


class SurveyLinkStateOut(Schema):
    created_at: datetime
    expires_at: datetime
    state: str


class SurveyOut(Schema):
    answers: SurveyAnswersOut
    links: list[SurveyLinkStateOut]


class PurchasesOut(Schema):
    deals: int
    first_on: date | None
    second_on: date | None
    days_to_second: int | None
    last_on: date | None
    lifetime_revenue: Decimal
    lifetime_profit: Decimal


class CohortOut(Schema):
    year: int
    customers: int
    repeat: int
    share: float


class RepeatOut(Schema):
    customers: int
    repeat: int
    share: float
    cohorts: list[CohortOut]


class OneTimeFilters(PageQuery):
    sort: OneTimeSort = "recent"  # type: ignore[valid-type]


class OneTimeBuyerOut(Schema):
    id: int
    name: str
    bought_at: datetime | None
    profit: Decimal


class OneTimePage(Schema):
    count: int
    items: list[OneTimeBuyerOut]


class TestimonialIn(Schema):
    company: int
    person: int | None = None
    words: str = Field(max_length=5_000)
    said_on: date | None = None
    consent: ConsentValue = "none"  # type: ignore[valid-type]


class TestimonialPatch(Schema):
    version: int | None = VERSION_FIELD
    person: int | None = None
    words: str | None = Field(None, max_length=5_000)
    said_on: date | None = None
    consent: ConsentValue | None = None  # type: ignore[valid-type]


class TestimonialOut(Schema):
    id: int
    company: CompanyRef
    person: str
    words: str
    said_on: date
    consent: Consent
    attribution: str = Field(description="Who said it, as far as the customer consented.")
    published_at: datetime | None
    snippet: str = Field(description="HTML for a website; empty without consent.")
    version: int


class PublishedTestimonialOut(Schema):
    """What a website may show: no record ids, no names beyond the consent."""

    words: str
    attribution: str
    said_on: date


class TestimonialRequestIn(Schema):
    company: int
    person: int | None = None


class TaskRefOut(Schema):
    id: int
    title: str
    due_at: datetime


class CaseStudyIn(Schema):
    company: int
    person: int | None = None
    title: str = Field(max_length=200)
    pain: str = Field(max_length=5_000)
    what_we_did: str = Field(max_length=5_000)
    result: str = Field(max_length=2_000)
    consent: ConsentValue = "none"  # type: ignore[valid-type]


class CaseStudyPatch(Schema):
    version: int | None = VERSION_FIELD
    person: int | None = None
    title: str | None = Field(None, max_length=200)
    pain: str | None = Field(None, max_length=5_000)
    what_we_did: str | None = Field(None, max_length=5_000)
    result: str | None = Field(None, max_length=2_000)
    consent: ConsentValue | None = None  # type: ignore[valid-type]


class CaseStudyOut(Schema):
    id: int
    company: CompanyRef
    person: str
    title: str
    pain: str
    what_we_did: str
    result: str
    consent: Consent
    attribution: str
    has_image: bool
    published_at: datetime | None
    snippet: str
    version: int
