"""Expectations stated in the sale and the promises they become when the deal is won: what
the customer expects in their words, what we answered about the real experience, and — once
won — what was promised, by when, and what actually happened."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from attract.aftercare.models.care_plans import ONE_CUSTOMER
from attract.core.models import TrackedModel


class Better(models.TextChoices):
    LOWER = "lower", "Lower is better"
    HIGHER = "higher", "Higher is better"


MEASURABLE_COMPLETE = Q(value__isnull=True, unit="") | (Q(value__isnull=False) & ~Q(unit=""))


class DealExpectation(TrackedModel):
    """Before the quote: one expectation the customer stated, in their words, what we
    answered about the real experience, and whether they confirmed it meets theirs."""

    deal = models.ForeignKey("pipeline.Deal", on_delete=models.CASCADE, related_name="+")
    their_words = models.CharField(max_length=500)
    our_answer = models.CharField(max_length=500, blank=True)
    confirmed = models.BooleanField(default=False)
    # Measurable ("delivery within 48 hours"): what is measured, the value and its unit.
    metric = models.CharField(max_length=100, blank=True)
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(max_length=30, blank=True)
    better = models.CharField(max_length=6, choices=Better.choices, default=Better.LOWER)
    # By when the promise is due, counted from the day the deal is won.
    due_in_days = models.PositiveIntegerField(default=30)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=MEASURABLE_COMPLETE, name="dealexp_measurable"),
        ]

    def __str__(self) -> str:
        return self.their_words


class PromiseOutcome(models.TextChoices):
    OPEN = "open", "Open"
    KEPT = "kept", "Kept"
    BROKEN = "broken", "Broken"


class Promise(TrackedModel):
    """What we promised a customer, by when, with its value when it is measurable; recording
    what actually happened marks it kept or broken."""

    company = models.ForeignKey(
        "people.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    deal = models.ForeignKey(
        "pipeline.Deal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expectation = models.OneToOneField(
        DealExpectation, null=True, blank=True, on_delete=models.SET_NULL, related_name="promise"
    )
    what = models.CharField(max_length=500)
    due_on = models.DateField()
    metric = models.CharField(max_length=100, blank=True)
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(max_length=30, blank=True)
    better = models.CharField(max_length=6, choices=Better.choices, default=Better.LOWER)
    outcome = models.CharField(
        max_length=6, choices=PromiseOutcome.choices, default=PromiseOutcome.OPEN
    )
    actual_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    what_happened = models.CharField(max_length=500, blank=True)
    recorded_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        no_db_index=["company", "person", "deal", "expectation", "created_by", "updated_by"],
    )

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["company", "outcome"], name="promise_company_idx"),
            models.Index(fields=["person", "outcome"], name="promise_person_idx"),
            models.Index(
                fields=["metric", "unit"],
                condition=~Q(outcome="open") & Q(actual_value__isnull=False),
                name="promise_history_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=ONE_CUSTOMER, name="promise_one_customer"),
            models.CheckConstraint(condition=MEASURABLE_COMPLETE, name="promise_measurable"),
            models.CheckConstraint(
                condition=Q(outcome__in=PromiseOutcome.values), name="promise_outcome_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.what

    @property
    def customer(self):
        return self.company or self.person

    @property
    def is_measurable(self) -> bool:
        return self.value is not None

    @property
    def commitment(self) -> str:
        if not self.is_measurable:
            return self.what
        sign = "≤" if self.better == Better.LOWER else "≥"
        return f"{self.metric or self.what} {sign} {self.value.normalize():f} {self.unit}"


class KeptFigure(models.Model):
    """What we kept, per kind of measurable promise (metric and unit, compared without case):
    the judged cases, how many were kept, and the value met in 90% of them each way. Counted
    again when a promise of the kind is recorded (and nightly), so that a customer's page and
    a deal's expectations read one row instead of every judged promise of the kind."""

    metric_key = models.CharField(max_length=100)
    unit_key = models.CharField(max_length=30)
    cases = models.PositiveIntegerField(default=0)
    kept = models.PositiveIntegerField(default=0)
    # The 90% figure when lower is better (at most this, in 90% of cases) and when higher is.
    value_lower = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    value_higher = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    counted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["metric_key", "unit_key"], name="keptfigure_kind_once")
        ]

    def __str__(self) -> str:
        return f"{self.metric_key} ({self.unit_key}): {self.cases} cases"
