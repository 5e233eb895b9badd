"""Every experience counts: what happened with a customer, good or bad, how it felt to them,
what we did, how long it took to set right, and the policy we broke to satisfy them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from attract.aftercare.models.care_plans import ONE_CUSTOMER
from attract.core.models import TrackedModel


class Feeling(models.TextChoices):
    DELIGHTED = "delighted", "Delighted"
    PLEASED = "pleased", "Pleased"
    NEUTRAL = "neutral", "Neutral"
    DISAPPOINTED = "disappointed", "Disappointed"
    ANGRY = "angry", "Angry"
    FURIOUS = "furious", "Furious"


class Experience(TrackedModel):
    company = models.ForeignKey(
        "people.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    happened_on = models.DateField()
    is_good = models.BooleanField(default=False, verbose_name="a good experience")
    what = models.CharField(max_length=500, verbose_name="what happened")
    feeling = models.CharField(max_length=12, choices=Feeling.choices)
    what_we_did = models.CharField(max_length=500, blank=True)
    set_right_on = models.DateField(null=True, blank=True)
    policy_broken = models.CharField(max_length=200, blank=True)
    policy_cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        no_db_index=["company", "person", "created_by", "updated_by"],
    )

    class Meta:
        ordering = ["-happened_on", "-id"]
        indexes = [
            models.Index(fields=["company", "happened_on"], name="experience_company_idx"),
            models.Index(fields=["person", "happened_on"], name="experience_person_idx"),
            models.Index(
                fields=["happened_on"],
                condition=Q(is_good=False, set_right_on__isnull=True),
                name="experience_open_bad_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=ONE_CUSTOMER, name="experience_one_customer"),
            models.CheckConstraint(
                condition=Q(feeling__in=Feeling.values), name="experience_feeling_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.what

    @property
    def customer(self):
        return self.company or self.person

    @property
    def unresolved(self) -> bool:
        return not self.is_good and self.set_right_on is None

    @property
    def days_to_set_right(self) -> int | None:
        if self.set_right_on is None:
            return None
        return (self.set_right_on - self.happened_on).days
