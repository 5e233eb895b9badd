"""The Strategic Attraction Plan (its three sides and the perfect number), what feeds it
(complaints, traits, private thank-you notes) and how companies and persons fit it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from attract.core.models import TrackedModel

MIN_WEIGHT, MAX_WEIGHT = 1, 5
# A fit score at or above GOOD_FIT is a good fit (a perfect customer when they are a
# customer); below POOR_FIT, or with a mismatch, a deal offers to be closed as "not a fit".
GOOD_FIT = 75
POOR_FIT = 50


def _number(value: Decimal | int) -> str:
    """48.00 → "48", 1.50 → "1.5"."""
    return f"{Decimal(str(value)).normalize():f}"


class Plan(TrackedModel):
    """The one plan of the business; its sides hang on it."""

    perfect_number = models.PositiveIntegerField(
        default=0, help_text="How many perfect customers you want this year."
    )
    # Empty means "composed from the highest-weighted qualities".
    statement = models.TextField(blank=True, max_length=2_000)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    def __str__(self) -> str:
        return "Strategic Attraction Plan"


class PlanRevision(models.Model):
    """A dated snapshot of the whole plan, so this year's plan can be compared with last year's."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="revisions")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)
    snapshot = models.JSONField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Revision of {self.created_at:%Y-%m-%d}"


class TakenOffThePlan:
    """A line of the plan that is taken off (`removed_at`) rather than deleted: it stays in
    the history and revisions, and the trash page lists it until it is put back."""

    removed_at: Any
    updated_by: Any

    @property
    def is_active(self) -> bool:
        return self.removed_at is None

    # The trash page reads every trashed record through these two names (core/trash.py).
    @property
    def deleted_at(self):
        return self.removed_at

    @property
    def deleted_by(self):
        return self.updated_by if self.removed_at else None


class Quality(TakenOffThePlan, TrackedModel):
    """Side 1: a quality of the perfect customer. Removing keeps it (history, old assessments)
    but it no longer counts towards fit."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="qualities")
    text = models.CharField(max_length=300)
    weight = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(MIN_WEIGHT), MaxValueValidator(MAX_WEIGHT)]
    )
    position = models.IntegerField(default=0)
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-weight", "position", "id"]
        verbose_name_plural = "qualities"
        indexes = [models.Index(fields=["removed_at", "weight"], name="quality_active_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=MIN_WEIGHT, weight__lte=MAX_WEIGHT),
                name="quality_weight_range",
            )
        ]

    def __str__(self) -> str:
        return self.text


DEFAULT_QUESTIONS = (
    "Why do you get out of bed in the morning?",
    "Who is the most important person to you?",
    "What is most important to you?",
    "What do you want to achieve?",
    "What do you love about your life?",
)


class TickQuestion(TakenOffThePlan, TrackedModel):
    """Side 2: a question about what makes the perfect customer tick, with our answer."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=300)
    answer = models.TextField(blank=True, max_length=5_000)
    position = models.IntegerField(default=0)
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class ExpectationCategory(models.TextChoices):
    SERVICES = "services", "Services"
    PRODUCTS = "products", "Products"
    PRICING = "pricing", "Pricing"
    LOCATION = "location", "Location"
    ADVERTISING = "advertising", "Advertising"
    STAFF_SIZE = "staff_size", "Staff size"
    OTHER = "other", "Other"


class Better(models.TextChoices):
    LOWER = "lower", "Lower is better"
    HIGHER = "higher", "Higher is better"


class Expectation(TakenOffThePlan, TrackedModel):
    """Side 3: what the perfect customer can expect from us; optionally measurable
    ("delivery time ≤ 48 hours": metric, value, unit, and which way is better)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="expectations")
    category = models.CharField(max_length=20, choices=ExpectationCategory.choices)
    text = models.CharField(max_length=300)
    metric = models.CharField(max_length=100, blank=True)
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(max_length=30, blank=True)
    better = models.CharField(max_length=6, choices=Better.choices, blank=True)
    position = models.IntegerField(default=0)
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["category", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=ExpectationCategory.values), name="expectation_category"
            ),
            # A measurable item carries all of its parts; a plain one none of them.
            models.CheckConstraint(
                condition=Q(value__isnull=True, unit="", better="")
                | (Q(value__isnull=False) & ~Q(unit="") & Q(better__in=Better.values)),
                name="expectation_measurable_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_measurable(self) -> bool:
        return self.value is not None

    @property
    def commitment(self) -> str:
        """'delivery time ≤ 48 hours' — the promise in one line."""
        if not self.is_measurable:
            return self.text
        sign = "≤" if self.better == Better.LOWER else "≥"
        return f"{self.metric or self.text} {sign} {_number(self.value)} {self.unit}"


class Complaint(TrackedModel):
    """The complaints journal: a frustration about a prospect or customer, to be turned
    around into a quality. `quality` keeps the link; `quality.complaints` is the way back."""

    text = models.TextField(max_length=5_000)
    company = models.ForeignKey(
        "people.Company", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    quality = models.ForeignKey(
        Quality, null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(company__isnull=True) | Q(person__isnull=True),
                name="complaint_about_at_most_one",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Trait(TrackedModel):
    """The traits exercise: a less-than-perfect trait and its opposite positive trait."""

    less_than_perfect = models.CharField(max_length=300)
    opposite = models.CharField(max_length=300)
    quality = models.ForeignKey(
        Quality, null=True, blank=True, on_delete=models.SET_NULL, related_name="traits"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.less_than_perfect} → {self.opposite}"


class ThankYouNote(models.Model):
    """A private note of thanks: only its author ever sees it (not admins, not the API for
    anyone else, not exports made by others). No change history, so nothing leaks there."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thank_you_notes"
    )
    to_whom = models.CharField(max_length=200, blank=True)
    text = models.TextField(max_length=5_000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["author", "-created_at"], name="thankyou_author_idx")]

    def __str__(self) -> str:
        return f"Thank-you note #{self.pk}"


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"
    UNKNOWN = "unknown", "Unknown"


# Points per answer, out of 2, so a fit score stays integer arithmetic in the database.
ANSWER_POINTS = {Answer.YES: 2, Answer.PARTLY: 1, Answer.NO: 0}

EXACTLY_ONE_SUBJECT = (Q(company__isnull=False) & Q(person__isnull=True)) | (
    Q(company__isnull=True) & Q(person__isnull=False)
)


class Assessment(TrackedModel):
    """How a company or a person measures up to one quality of side 1."""

    company = models.ForeignKey(
        "people.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    quality = models.ForeignKey(Quality, on_delete=models.CASCADE, related_name="assessments")
    answer = models.CharField(max_length=8, choices=Answer.choices, default=Answer.UNKNOWN)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        constraints = [
            models.CheckConstraint(condition=EXACTLY_ONE_SUBJECT, name="assessment_one_subject"),
            models.CheckConstraint(condition=Q(answer__in=Answer.values), name="assessment_answer"),
            models.UniqueConstraint(
                fields=["company", "quality"],
                condition=Q(company__isnull=False),
                name="assessment_company_quality_unique",
            ),
            models.UniqueConstraint(
                fields=["person", "quality"],
                condition=Q(person__isnull=False),
                name="assessment_person_quality_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quality}: {self.answer}"


class Requirement(TrackedModel):
    """What a company or person needs on one measurable item of side 3 ("within 24 hours")."""

    company = models.ForeignKey(
        "people.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    expectation = models.ForeignKey(
        Expectation, on_delete=models.CASCADE, related_name="requirements"
    )
    value = models.DecimalField(max_digits=12, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=EXACTLY_ONE_SUBJECT, name="requirement_one_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.expectation}: {self.value}"

    @property
    def mismatch_reason(self) -> str:
        """Why this need is stricter than our commitment, or '' when we can meet it."""
        ours = self.expectation
        if not ours.is_measurable:
            return ""
        stricter = (
            self.value < ours.value if ours.better == Better.LOWER else self.value > ours.value
        )
        if not stricter:
            return ""
        sign = "≤" if ours.better == Better.LOWER else "≥"
        label = ours.metric or ours.text
        return (
            f"Needs {label} {sign} {_number(self.value)} {ours.unit}; "
            f"we commit to {sign} {_number(ours.value)} {ours.unit}."
        )


class FitScore(models.Model):
    """The stored fit of one company or person, kept by the services whenever an assessment,
    a requirement, a quality or a measurable item changes (see fitting.py), so that a list of
    100,000 companies sorts by fit through an index instead of adding up assessments per
    request. No row means nothing assessed and no mismatch. `assessed` is a count, not a
    share: adding a quality changes everyone's share but no one's score."""

    company = models.OneToOneField(
        "people.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="fit"
    )
    person = models.OneToOneField(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="fit"
    )
    # 0–100; None when nothing counted is assessed (only unknowns, or only requirements).
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    weight = models.PositiveIntegerField(default=0)  # sum of the weights counted
    points = models.PositiveIntegerField(default=0)  # yes 2·weight, partly 1·weight
    assessed = models.PositiveIntegerField(default=0)
    mismatches = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField()

    class Meta:
        # One index per kind of subject, so that the people list sorted by fit does not walk
        # past 100,000 companies' scores to find the persons'.
        indexes = [
            models.Index(
                fields=["score"], condition=Q(company__isnull=False), name="fitscore_company_idx"
            ),
            models.Index(
                fields=["score"], condition=Q(person__isnull=False), name="fitscore_person_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=EXACTLY_ONE_SUBJECT, name="fitscore_one_subject"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="fitscore_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Fit {self.score if self.score is not None else '—'}"

    @property
    def is_poor(self) -> bool:
        return bool(self.mismatches) or (self.score is not None and self.score < POOR_FIT)
