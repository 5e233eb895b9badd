"""What happy customers say: testimonials in their own words, and case studies that follow
the seller's outline (their pain in their words, what we did, the result in numbers).

Both carry the customer's consent to publish, which every publication and export respects:
none (kept for ourselves), first name only, or full name and company."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from attract.core.models import TrashableModel, trash_index


class Consent(models.TextChoices):
    NONE = "none", "Not for publication"
    FIRST_NAME = "first_name", "First name only"
    FULL = "full", "Full name and company"


class Testimonial(TrashableModel):
    company = models.ForeignKey(
        "people.Company", on_delete=models.CASCADE, related_name="testimonials"
    )
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="who said it",
    )
    words = models.TextField(max_length=5_000, verbose_name="their words")
    said_on = models.DateField()
    consent = models.CharField(max_length=12, choices=Consent.choices, default=Consent.NONE)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        no_db_index=["company", "person", "created_by", "updated_by", "deleted_by"],
    )

    class Meta:
        ordering = ["-said_on", "-id"]
        indexes = [
            models.Index(fields=["company", "-said_on"], name="testimonial_company_idx"),
            trash_index("testimonial_trash_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent__in=Consent.values), name="testimonial_consent_valid"
            ),
            # Published means consented: the database holds the rule too.
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | ~Q(consent="none"),
                name="testimonial_published_has_consent",
            ),
        ]

    @property
    def is_private(self) -> bool:
        return self.company.is_private

    @property
    def owner_id(self) -> int | None:
        return self.company.owner_id

    def __str__(self) -> str:
        return f"Testimonial from {self.company}"


class CaseStudy(TrashableModel):
    company = models.ForeignKey(
        "people.Company", on_delete=models.CASCADE, related_name="case_studies"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    pain = models.TextField(max_length=5_000, verbose_name="their pain, in their words")
    what_we_did = models.TextField(max_length=5_000, verbose_name="what we did")
    result = models.TextField(max_length=2_000, verbose_name="the result, in numbers")
    consent = models.CharField(max_length=12, choices=Consent.choices, default=Consent.NONE)
    # The picture of the customer in the perfect transaction, re-encoded by us after a check
    # (never the uploaded bytes): kept in the database, served only through an access check.
    image = models.BinaryField(null=True, blank=True, editable=False)
    image_type = models.CharField(max_length=20, blank=True, editable=False)
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(
        excluded_fields=["updated_at", "image"],
        no_db_index=["company", "person", "created_by", "updated_by", "deleted_by"],
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "case studies"
        indexes = [
            models.Index(fields=["company", "-created_at"], name="casestudy_company_idx"),
            trash_index("casestudy_trash_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent__in=Consent.values), name="casestudy_consent_valid"
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | ~Q(consent="none"),
                name="casestudy_published_has_consent",
            ),
        ]

    @property
    def is_private(self) -> bool:
        return self.company.is_private

    @property
    def owner_id(self) -> int | None:
        return self.company.owner_id

    def __str__(self) -> str:
        return self.title
