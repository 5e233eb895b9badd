"""The log of every e-mail Attract knows of — sent from it, read from a mailbox or imported
from a file — kept once per Message-ID, so that re-syncing, re-importing or retrying a send
never logs the same message twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from attract.engagement.models import Direction


class MessageSource(models.TextChoices):
    SENT = "sent", "Sent from Attract"
    MAILBOX = "mailbox", "Read from a mailbox"
    FILE = "file", "Imported from a file"


class MailMessage(models.Model):
    # Without the angle brackets, as RFC 5322 writes it between them; unique, so a message
    # is logged once whichever door it came through first.
    message_id = models.CharField(max_length=500, unique=True)
    source = models.CharField(max_length=10, choices=MessageSource.choices)
    # Whose mail it is: the sender in Attract, or the owner of the mailbox it was read from.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The direction it was logged with: one of engagement's four.
    direction = models.CharField(max_length=20, choices=Direction.choices)
    from_address = models.CharField(max_length=320)
    to_addresses = models.JSONField(default=list)
    subject = models.CharField(max_length=998, blank=True)
    sent_at = models.DateTimeField()
    in_reply_to = models.CharField(max_length=500, blank=True)
    references = models.TextField(blank=True)
    # False for what is not a customer talking to us (newsletters, auto-replies, our own
    # team): kept, so a re-sync knows it, but no interaction is logged for it.
    counted = models.BooleanField(default=True)
    # Addresses of the other side that matched no person, for "add as a person".
    unmatched_addresses = models.JSONField(default=list)
    interactions = models.ManyToManyField("engagement.Interaction", blank=True, related_name="+")
    logged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-sent_at"], name="mailmessage_user_time_idx"),
            models.Index(
                fields=["in_reply_to"],
                condition=~models.Q(in_reply_to=""),
                name="mailmessage_reply_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source__in=MessageSource.values),
                name="mailmessage_source_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(direction__in=Direction.values),
                name="mailmessage_direction_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject or '(no subject)'} <{self.message_id}>"
