"""Sending: the business's own templates, each user's signature, a send (one or many
recipients, run by the worker) with one row per recipient, and the addresses that asked to
hear no more.

A recipient's row is written before its SMTP call and marked after, under a unique
(send, address) constraint, so a retried job never mails the same address twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from attract.core.models import TrashableModel, trash_index


class MailTemplate(TrashableModel):
    """A letter the business sends again and again, with merge fields ({{ first_name }})."""

    name = models.CharField(max_length=120)
    subject = models.CharField(max_length=300)
    body = models.TextField(max_length=20_000)
    # The starter it began as ("referral_thanks"...), so the seed never adds it twice.
    starter_key = models.CharField(max_length=40, blank=True, default="", editable=False)

    history = HistoricalRecords(
        excluded_fields=["updated_at"], no_db_index=["created_by", "updated_by", "deleted_by"]
    )

    class Meta:
        ordering = ["name", "id"]
        indexes = [trash_index("mailtemplate_trash_idx")]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), condition=Q(deleted_at__isnull=True), name="mailtemplate_name_unique"
            ),
        ]

    # Templates belong to the whole business: shared, never private.
    is_private = False
    owner_id = None

    def __str__(self) -> str:
        return self.name


class MailSignature(models.Model):
    """What {{ signature }} becomes in a user's letters."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_signature"
    )
    signature = models.TextField(max_length=2_000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Signature of {self.user}"


class SendStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for the worker"
    SENDING = "sending", "Sending"
    DONE = "done", "Done"
    FAILED = "failed", "Stopped by an error"


class MailSend(models.Model):
    """One letter sent to one or many persons: what the user wrote (or the template it came
    from) and the job's progress; each recipient has a SendRecipient row."""

    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    template = models.ForeignKey(
        MailTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(max_length=300)
    body = models.TextField(max_length=20_000)
    # Sent to a selection: each message carries the unsubscribe link and List-Unsubscribe.
    bulk = models.BooleanField(default=False)
    # Where links in the letters point (the address the user reached Attract at).
    base_url = models.CharField(max_length=300)
    # Optional context the letter speaks of (compose from a deal/care step/referral).
    deal = models.ForeignKey(
        "pipeline.Deal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=SendStatus.choices, default=SendStatus.QUEUED)
    error = models.CharField(max_length=500, blank=True)
    total = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["sender", "-created_at"], name="mailsend_sender_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SendStatus.values), name="mailsend_status_valid"
            )
        ]

    def __str__(self) -> str:
        return f"“{self.subject}” to {self.total}"


class RecipientStatus(models.TextChoices):
    PENDING = "pending", "Not sent yet"
    SENDING = "sending", "Handed to the mail server"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Not sent"
    FAILED = "failed", "The mail server refused it"


class SendRecipient(models.Model):
    send = models.ForeignKey(MailSend, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    address = models.CharField(max_length=320)  # lower-case; "" when the person has none
    status = models.CharField(
        max_length=10, choices=RecipientStatus.choices, default=RecipientStatus.PENDING
    )
    reason = models.CharField(max_length=300, blank=True)  # why skipped or failed
    message_id = models.CharField(max_length=500, blank=True)  # ours, kept once generated
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["send", "status"], name="sendrecipient_status_idx")]
        constraints = [
            # Never the same address twice in one send, whatever retries happen.
            models.UniqueConstraint(
                "send", "address", condition=~Q(address=""), name="sendrecipient_once"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RecipientStatus.values), name="sendrecipient_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.address or '(no address)'}: {self.status}"


class Unsubscribe(models.Model):
    """An address that asked, through a letter's link, to receive no more bulk mail."""

    address = models.CharField(max_length=320, unique=True)  # lower-case
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.address
