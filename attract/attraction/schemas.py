"""Shapes of the attraction plan API."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema

# Sent back with a change: the change is refused with 409 if the item changed since.
VERSION = Field(None, ge=1, description="The version you read; 409 if it changed since.")


class QualityOut(Schema):
    id: int
    text: str
    weight: int
    active: bool
    version: int


class QualityIn(Schema):
    text: str
    weight: int = 3


class QualityPatch(Schema):
    version: int | None = VERSION
    text: str | None = None
    weight: int | None = None


class QuestionOut(Schema):
    id: int
    text: str
    answer: str
    version: int


class QuestionIn(Schema):
    text: str
    answer: str = ""


class QuestionPatch(Schema):
    version: int | None = VERSION
    text: str | None = None
    answer: str | None = None


class ExpectationOut(Schema):
    id: int
    category: str
    text: str
    metric: str
    value: Decimal | None
    unit: str
    better: str
    commitment: str
    version: int


class ExpectationIn(Schema):
    category: str
    text: str
    metric: str = ""
    value: Decimal | None = None
    unit: str = ""
    better: str = ""


class ExpectationPatch(Schema):
    version: int | None = VERSION
    category: str | None = None
    text: str | None = None
    metric: str | None = None
    value: Decimal | None = None
    unit: str | None = None
    better: str | None = None


class PlanOut(Schema):
    version: int = Field(description="The plan's own version (perfect number, statement).")
    perfect_number: int
    perfect_customers_now: int
    statement: str
    qualities: list[QualityOut]
    questions: list[QuestionOut]
    expectations: list[ExpectationOut]


class PlanPatch(Schema):
    version: int | None = VERSION
    perfect_number: int | None = None
    statement: str | None = None


class RevisionIn(Schema):
    note: str = ""


class RevisionOut(Schema):
    id: int
    created_at: datetime
    note: str
    snapshot: dict


class ComplaintIn(Schema):
    text: str
    company: int | None = None
    person: int | None = None


class ComplaintOut(Schema):
    id: int
    text: str
    company: int | None
    person: int | None
    quality: int | None
    created_at: datetime


class TurnIntoQualityIn(Schema):
    text: str
    weight: int = 3


class TraitIn(Schema):
    less_than_perfect: str
    opposite: str


class TraitOut(Schema):
    id: int
    less_than_perfect: str
    opposite: str
    quality: int | None


class WeightIn(Schema):
    weight: int = 3


class ThankYouNoteIn(Schema):
    text: str
    to_whom: str = ""


class ThankYouNoteOut(Schema):
    id: int
    to_whom: str
    text: str
    created_at: datetime


class AssessmentIn(Schema):
    quality: int
    answer: str


class RequirementIn(Schema):
    expectation: int
    value: Decimal
    note: str = ""


class MismatchOut(Schema):
    expectation: int
    value: Decimal
    reason: str


class FitOut(Schema):
    score: int | None
    assessed: int
    qualities: int
    share_assessed: int
    poor_fit: bool
    answers: dict[int, str]
    mismatches: list[MismatchOut]
