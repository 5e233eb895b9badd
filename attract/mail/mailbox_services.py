"""Writes for receiving: connecting, changing and disconnecting a user's mailbox; turning an
unmatched address into a person, with the messages that waited for it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from attract.accounts.models import User
from attract.core.permissions import can_write
from attract.engagement.models import Channel
from attract.engagement.services import interaction_log
from attract.mail.mailbox_imap import is_loopback
from attract.mail.mailbox_secrets import password_encrypt
from attract.mail.message_log import SUMMARY_LENGTH, team_addresses
from attract.mail.models import Mailbox, MailboxFolder, MailboxSecurity, UnmatchedAddress
from attract.people.models import Person
from attract.people.services import person_create

_FOLDER_MAX = 200


def _require_write(actor: User) -> None:
    if not can_write(actor):
        raise PermissionDenied("Your role can read but not change records.")


def mailbox_connect(
    *,
    actor: User,
    host: str,
    port: int,
    security: str,
    username: str,
    password: str = "",
    inbox_folder: str = "INBOX",
    sent_folder: str = "Sent",
    expected_version: int | None = None,
) -> Mailbox:
    """Connect the actor's mailbox, or change it; an empty password keeps the stored one."""
    _require_write(actor)
    existing = Mailbox.objects.filter(user=actor).first()
    host, username = (host or "").strip(), (username or "").strip()
    inbox_folder, sent_folder = (inbox_folder or "").strip(), (sent_folder or "").strip()
    errors: dict[str, str] = {}
    if not host or any(c.isspace() or c in "/@:" for c in host) or "\x00" in host:
        errors["host"] = "Give the server's name, such as imap.example.com."
    if not isinstance(port, int) or not 1 <= port <= 65535:
        errors["port"] = "A port is a number from 1 to 65535 (993 for TLS, 143 for STARTTLS)."
    if security not in MailboxSecurity.values:
        errors["security"] = f"Choose one of: {', '.join(MailboxSecurity.values)}."
    elif security == MailboxSecurity.NONE and host and not is_loopback(host):
        errors["security"] = (
            "Without TLS the password would cross the network in clear: only a server on this machine may be used so."
        )
    if not username or "\x00" in username:
        errors["username"] = "Give the user name the server knows you by (often your address)."
    if not password and (existing is None or not existing.password_encrypted):
        errors["password"] = "Give the app password your mail provider made for Attract."  # noqa: S105
    if "\x00" in (password or ""):
        errors["password"] = "The password cannot hold a NUL character."  # noqa: S105
    if not inbox_folder or len(inbox_folder) > _FOLDER_MAX or "\x00" in inbox_folder:
        errors["inbox_folder"] = "Name the inbox folder (usually INBOX)."
    if len(sent_folder) > _FOLDER_MAX or "\x00" in sent_folder:
        errors["sent_folder"] = "A folder name is at most 200 characters."
    if existing and expected_version is not None and existing.version != expected_version:
        errors["__all__"] = "Someone changed this mailbox since you opened it; look again."
    if errors:
        raise ValidationError(errors)
    mailbox = existing or Mailbox(user=actor)
    moved = existing is not None and (existing.host, existing.username) != (host, username)
    mailbox.host, mailbox.port, mailbox.security, mailbox.username = host, port, security, username
    mailbox.inbox_folder, mailbox.sent_folder = inbox_folder, sent_folder
    if password:
        mailbox.password_encrypted = password_encrypt(password)
    mailbox.updated_at = timezone.now()
    mailbox.is_active = True
    mailbox.last_error, mailbox.last_error_at = "", None
    if existing:
        mailbox.version += 1
    with transaction.atomic():
        mailbox.full_clean(exclude=["user", "password_encrypted"])
        mailbox.save()
        if moved:
            # Another account: its UIDs mean nothing for the one read before.
            MailboxFolder.objects.filter(mailbox=mailbox).delete()
    return mailbox


def mailbox_disconnect(*, actor: User) -> bool:
    """Forget the actor's mailbox and its password; what it logged stays logged."""
    _require_write(actor)
    deleted, _ = Mailbox.objects.filter(user=actor).delete()
    return bool(deleted)


def _split_name(name: str, address: str) -> tuple[str, str]:
    name = " ".join(name.replace('"', "").split())
    if "," in name:  # "Núñez, Ana"
        last, _, first = name.partition(",")
        return first.strip()[:100], last.strip()[:100]
    if name and "@" not in name:
        first, _, last = name.partition(" ")
        return first[:100], last[:100]
    local = address.partition("@")[0].replace(".", " ").replace("_", " ").strip()
    return (local.title() or address)[:100], ""


def unmatched_waiting(*, actor: User, pk: int) -> UnmatchedAddress:
    row = UnmatchedAddress.objects.filter(pk=pk, user=actor, resolved_at__isnull=True).first()
    if row is None:
        raise ValidationError({"address": "That address is not waiting any more."})
    return row


@transaction.atomic
def unmatched_add_person(
    *, actor: User, unmatched: UnmatchedAddress, first_name: str = "", last_name: str = ""
) -> Person:
    """Create the person with this address and log the messages that waited for them."""
    _require_write(actor)
    if unmatched.user_id != actor.pk or unmatched.resolved_at is not None:
        raise ValidationError({"address": "That address is not waiting any more."})
    if unmatched.suspicious or unmatched.address in team_addresses():
        raise ValidationError(
            {"address": "This is a team member's address (and the message may be forged)."}
        )
    if not (first_name or last_name):
        first_name, last_name = _split_name(unmatched.name, unmatched.address)
    person = person_create(
        actor=actor, emails=[unmatched.address], first_name=first_name, last_name=last_name
    )
    for message in unmatched.messages.order_by("sent_at", "pk"):
        if unmatched.address not in message.unmatched_addresses or not message.counted:
            continue
        interaction = interaction_log(
            actor=actor,
            channel=Channel.EMAIL,
            direction=message.direction,
            summary=(message.subject or "").strip()[:SUMMARY_LENGTH] or "(no subject)",
            person=person,
            occurred_at=message.sent_at,
        )
        message.interactions.add(interaction)
        message.unmatched_addresses = [
            a for a in message.unmatched_addresses if a != unmatched.address
        ]
        message.save(update_fields=["unmatched_addresses"])
    unmatched.person, unmatched.resolved_at = person, timezone.now()
    unmatched.save(update_fields=["person", "resolved_at"])
    return person


def unmatched_dismiss(*, actor: User, unmatched: UnmatchedAddress) -> None:
    """Not a person to keep (a supplier, a one-off): off the list; its messages stay logged."""
    _require_write(actor)
    if unmatched.user_id != actor.pk:
        raise ValidationError({"address": "That address is not waiting any more."})
    unmatched.resolved_at = timezone.now()
    unmatched.save(update_fields=["resolved_at"])
