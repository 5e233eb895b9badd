"""The exit survey's private links, and the visits the survey page counts to slow guessing.

A link's token is shown once, when it is made; only its SHA-256 is stored, as for API tokens
and invitations: a copy of the database opens no survey."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

SURVEY_DAYS = 30


class SurveyLink(models.Model):
    departure = models.ForeignKey(
        "aftercare.Departure", on_delete=models.CASCADE, related_name="survey_links"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # A newer link for the same departure replaces this one.
    revoked_at = models.DateTimeField(null=True, blank=True)
    emailed_to = models.EmailField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["departure", "-created_at"], name="surveylink_dep_idx")]

    def __str__(self) -> str:
        return f"Survey link for departure {self.departure_id}"

    @property
    def state(self) -> str:
        if self.used_at:
            return "answered"
        if self.revoked_at:
            return "replaced"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


class SurveyVisit(models.Model):
    """One request to the public survey page, by client address: too many from one address
    (and too many wrong links) answer 429 for a while."""

    address = models.CharField(max_length=45)
    at = models.DateTimeField(default=timezone.now)
    failed = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["address", "at"], name="surveyvisit_addr_idx")]

    def __str__(self) -> str:
        return f"{self.address} at {self.at:%Y-%m-%d %H:%M}"
