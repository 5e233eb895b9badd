"""The shapes of care in the REST API: plans and their steps, customers' steps, the at-risk
list with its evidence, promises, expectations and experiences. Types only; the services
check values and access."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from attract.aftercare.models import Doer, Feeling, PromiseOutcome
from attract.aftercare.models.promises import Better
from attract.engagement.models import Channel
from attract.people.schemas import VERSION_FIELD, PageQuery

Money = Field(None, ge=0, le=Decimal("9999999999.99"), max_digits=12, decimal_places=2)


class CarePlanStepOut(Schema):
    id: int
    title: str
    day: int
    repeat_months: int
    doer: Doer
    user: int | None = Field(None, alias="user_id")
    channel: str
    version: int


class CarePlanOut(Schema):
    id: int
    name: str
    description: str
    tag: int | None = Field(None, alias="tag_id")
    relationship: str
    size: str
    min_fit: int | None
    rhythm_days: int
    position: int
    in_trash: bool
    version: int
    steps: list[CarePlanStepOut]

    @staticmethod
    def resolve_steps(plan) -> list:
        return [s for s in plan.steps.all() if s.removed_at is None]


class CarePlanFields(Schema):
    description: str | None = Field(None, max_length=2000)
    tag: int | None = None
    relationship: str | None = Field(None, max_length=20)
    size: str | None = Field(None, max_length=10)
    min_fit: int | None = Field(None, ge=0, le=100)
    rhythm_days: int | None = Field(None, ge=1, le=3650)
    position: int | None = Field(None, ge=-1_000_000, le=1_000_000)


class CarePlanIn(CarePlanFields):
    name: str = Field(..., max_length=120)


class CarePlanPatch(CarePlanFields):
    name: str | None = Field(None, max_length=120)
    version: int | None = VERSION_FIELD


class CarePlanStepIn(Schema):
    title: str = Field(..., max_length=200)
    day: int = Field(0, ge=-100_000, le=100_000)
    repeat_months: int = Field(0, ge=0, le=1000)
    doer: Doer = Doer.DEAL_OWNER
    user: int | None = None
    channel: Channel = Channel.CALL


class CarePlanStepPatch(Schema):
    title: str | None = Field(None, max_length=200)
    day: int | None = Field(None, ge=-100_000, le=100_000)
    repeat_months: int | None = Field(None, ge=0, le=1000)
    doer: Doer | None = None
    user: int | None = None
    channel: Channel | None = None
    version: int | None = VERSION_FIELD


class CareCustomerRef(Schema):
    company: int | None = None
    person: int | None = None
    name: str


class CareStepOut(Schema):
    id: int
    title: str
    due_on: date
    state: str
    channel: str
    assignee: int | None = Field(None, alias="assignee_id")
    by_business_owner: bool
    done_at: datetime | None
    interaction: int | None = Field(None, alias="interaction_id")
    task: int | None = Field(None, alias="task_id")
    customer: CareCustomerRef | None = None


class CareStepDoneIn(Schema):
    summary: str = Field("", max_length=400)
    channel: Channel | None = None


class CareEvidenceOut(Schema):
    text: str
    tone: str


class CareAtRiskOut(Schema):
    customer: CareCustomerRef
    profit: Decimal
    risk: int
    plan: str | None
    evidence: list[CareEvidenceOut]


class CareAtRiskPage(Schema):
    count: int
    items: list[CareAtRiskOut]


class CareAtRiskQuery(PageQuery):
    """The at-risk list a page at a time (offset and limit); it has no filters of its own."""


class CareCustomerCareOut(Schema):
    plan: str | None
    started_on: date | None
    risk: int
    evidence: list[CareEvidenceOut]
    steps: list[CareStepOut]


class CarePromiseOut(Schema):
    id: int
    company: int | None = Field(None, alias="company_id")
    person: int | None = Field(None, alias="person_id")
    deal: int | None = Field(None, alias="deal_id")
    what: str
    due_on: date
    metric: str
    value: Decimal | None
    unit: str
    better: Better
    outcome: PromiseOutcome
    actual_value: Decimal | None
    what_happened: str
    recorded_on: date | None
    version: int


class CarePromiseIn(Schema):
    company: int | None = None
    person: int | None = None
    what: str = Field(..., max_length=500)
    due_on: date | None = None
    metric: str = Field("", max_length=100)
    value: Decimal | None = Money
    unit: str = Field("", max_length=30)
    better: Better = Better.LOWER


class CarePromiseRecordIn(Schema):
    kept: bool | None = None
    actual_value: Decimal | None = Money
    what_happened: str = Field("", max_length=500)
    recorded_on: date | None = None
    version: int | None = VERSION_FIELD


class CareSuggestionQuery(Schema):
    metric: str = Field(..., max_length=100)
    unit: str = Field(..., max_length=30)
    better: Better = Better.LOWER
    promised: Decimal | None = Money


class CareSuggestionOut(Schema):
    metric: str
    unit: str
    better: Better
    value: Decimal | None
    cases: int
    kept: int
    kept_share: int
    stricter: bool


class CareExpectationOut(Schema):
    id: int
    deal: int = Field(..., alias="deal_id")
    their_words: str
    our_answer: str
    confirmed: bool
    metric: str
    value: Decimal | None
    unit: str
    better: Better
    due_in_days: int
    version: int


class CareExpectationIn(Schema):
    their_words: str = Field(..., max_length=500)
    our_answer: str = Field("", max_length=500)
    confirmed: bool = False
    metric: str = Field("", max_length=100)
    value: Decimal | None = Money
    unit: str = Field("", max_length=30)
    better: Better = Better.LOWER
    due_in_days: int = Field(30, ge=0, le=3650)


class CareExperienceOut(Schema):
    id: int
    company: int | None = Field(None, alias="company_id")
    person: int | None = Field(None, alias="person_id")
    happened_on: date
    is_good: bool
    what: str
    feeling: Feeling
    what_we_did: str
    set_right_on: date | None
    days_to_set_right: int | None
    policy_broken: str
    policy_cost: Decimal | None
    version: int


class CareExperienceFields(Schema):
    is_good: bool | None = None
    feeling: Feeling | None = None
    happened_on: date | None = None
    what_we_did: str | None = Field(None, max_length=500)
    set_right_on: date | None = None
    policy_broken: str | None = Field(None, max_length=200)
    policy_cost: Decimal | None = Money


class CareExperienceIn(CareExperienceFields):
    company: int | None = None
    person: int | None = None
    what: str = Field(..., max_length=500)
    feeling: Feeling


class CareExperienceCreated(CareExperienceOut):
    note: str = ""


class CareExperiencePatch(CareExperienceFields):
    what: str | None = Field(None, max_length=500)
    version: int | None = VERSION_FIELD


CareCustomerKind = Literal["companies", "persons"]


class CarePersonDateOut(Schema):
    id: int
    person: int = Field(..., alias="person_id")
    label: str
    month: int
    day: int
    year: int | None
    note: str


class CarePersonDateIn(Schema):
    label: str = Field(..., max_length=100)
    month: int = Field(..., ge=1, le=12)
    day: int = Field(..., ge=1, le=31)
    year: int | None = Field(None, ge=1900, le=2200)
    note: str = Field("", max_length=300)
