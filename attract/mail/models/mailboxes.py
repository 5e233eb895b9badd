"""Receiving: each user's IMAP mailbox, how far each of its folders has been read, and the
addresses that wrote to us (or we wrote to) that match no person yet."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class MailboxSecurity(models.TextChoices):
    TLS = "tls", "TLS (IMAPS, usually port 993)"
    STARTTLS = "starttls", "STARTTLS (usually port 143)"
    # Sends the password in clear: accepted only for a server on this machine.
    NONE = "none", "None (only for a server on this machine)"


class FolderRole(models.TextChoices):
    INBOX = "inbox", "Inbox"
    SENT = "sent", "Sent"


SYNC_STATE_FIELDS = [
    "updated_at",
    "last_sync_at",
    "last_sync_logged",
    "last_tested_at",
    "last_error",
    "last_error_at",
]


class Mailbox(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mailbox"
    )
    host = models.CharField(max_length=253)
    port = models.PositiveIntegerField(default=993)
    security = models.CharField(
        max_length=10, choices=MailboxSecurity.choices, default=MailboxSecurity.TLS
    )
    username = models.CharField(max_length=320)
    # Fernet token of the app password, keyed from SECRET_KEY (attract.mail.mailbox_secrets);
    # never shown, exported (EXPORT_BLANKED_FIELDS) or kept in history.
    password_encrypted = models.TextField(blank=True)
    inbox_folder = models.CharField(max_length=200, default="INBOX")
    sent_folder = models.CharField(max_length=200, blank=True, default="Sent")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    last_sync_at = models.DateTimeField(null=True, blank=True)
    last_sync_logged = models.PositiveIntegerField(default=0)
    last_tested_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)

    # The password never enters history; the sync's bookkeeping is written with update(),
    # which keeps no history row per sync, and is left out of the rows settings changes make.
    history = HistoricalRecords(excluded_fields=["password_encrypted", *SYNC_STATE_FIELDS])

    EXPORT_BLANKED_FIELDS = ("password_encrypted",)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(security__in=MailboxSecurity.values),
                name="mailbox_security_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(port__gte=1, port__lte=65535), name="mailbox_port_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.username} on {self.host}"

    def folders(self) -> list[tuple[str, str]]:
        """(role, name) of the folders to read, the sent folder first: our messages are then
        logged before the replies that name them."""
        chosen = [(FolderRole.SENT, self.sent_folder), (FolderRole.INBOX, self.inbox_folder)]
        return [(role, name) for role, name in chosen if name]


class MailboxFolder(models.Model):
    """How far a folder was read: UIDs only grow while UIDVALIDITY stays the same, so a sync
    asks for UIDs above last_uid; a new UIDVALIDITY means the server renumbered the folder and
    it is read again from the start (the log's Message-IDs keep that from doubling anything)."""

    mailbox = models.ForeignKey(Mailbox, on_delete=models.CASCADE, related_name="folder_states")
    role = models.CharField(max_length=10, choices=FolderRole.choices)
    name = models.CharField(max_length=200)
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mailbox", "role"], name="mailboxfolder_one_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class UnmatchedAddress(models.Model):
    """An address on the other side of a user's logged mail that matches no person they may
    see, with the messages waiting for it; or, `suspicious`, a message in the inbox whose From
    claims a team member's address without the receiving server vouching for it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    address = models.CharField(max_length=320)
    name = models.CharField(max_length=200, blank=True)
    messages = models.ManyToManyField("mail.MailMessage", related_name="+")
    message_count = models.PositiveIntegerField(default=0)
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    last_subject = models.CharField(max_length=998, blank=True)
    suspicious_reason = models.CharField(max_length=300, blank=True)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "address", "suspicious_reason"], name="unmatched_one_per_user"
            )
        ]
        indexes = [
            models.Index(
                fields=["user", "-last_seen_at"],
                condition=models.Q(resolved_at__isnull=True),
                name="unmatched_waiting_idx",
            )
        ]

    @property
    def suspicious(self) -> bool:
        return bool(self.suspicious_reason)

    def __str__(self) -> str:
        return self.address
