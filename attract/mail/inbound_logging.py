"""A received or imported message, judged and handed to the message log.

What is decided here, and nowhere else for received mail:
- outbound: the message was read from the user's sent folder; in a file (no folders), it is
  from the importing user's own address and no receiving server said the sender failed;
- counted: not a mailing list, an auto-reply or bulk mail (List-Id, Auto-Submitted,
  Precedence: bulk|list|junk);
- suspicious: an incoming message whose From is a team member's address but whose receiving
  server did not vouch for it (Authentication-Results: DMARC pass, or DKIM/SPF pass for that
  domain). It is not taken for team mail, nor for our own: it is logged uncounted (so a
  re-sync skips it) and listed as suspicious among the unmatched addresses, with no
  "add as a person".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from attract.accounts.models import User
from attract.mail.inbound_parsing import ReadMessage
from attract.mail.message_log import log_message, normalise_message_id
from attract.mail.models import FolderRole, MailMessage, UnmatchedAddress

LOGGED = "logged"
UNMATCHED = "unmatched"
NOT_COUNTED = "not counted"
TEAM = "team"
SUSPICIOUS = "suspicious"
ALREADY = "already logged"
FAILED = "failed"


@dataclass
class InboundReport:
    """What an import or a sync did, message by message, counted by outcome."""

    counts: Counter = field(default_factory=Counter)
    interactions: int = 0
    unmatched_addresses: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)

    def add(self, outcome: str) -> None:
        self.counts[outcome] += 1

    @property
    def logged(self) -> int:
        return self.counts[LOGGED]

    @property
    def skipped(self) -> int:
        return self.counts[ALREADY] + self.counts[NOT_COUNTED] + self.counts[TEAM]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "logged": self.counts[LOGGED],
            "unmatched": self.counts[UNMATCHED],
            "already_logged": self.counts[ALREADY],
            "not_counted": self.counts[NOT_COUNTED],
            "team": self.counts[TEAM],
            "suspicious": self.counts[SUSPICIOUS],
            "failed": self.counts[FAILED],
            "interactions": self.interactions,
            "unmatched_addresses": sorted(self.unmatched_addresses),
            "problems": self.problems[:20],
        }

    def summary(self) -> str:
        d = self.as_dict()
        return (
            f"{d['total']} messages: {d['logged']} logged ({d['interactions']} interactions), "
            f"{d['unmatched']} from or to no known person, {d['already_logged']} already logged, "
            f"{d['not_counted']} newsletters or auto-replies, {d['team']} within the team, "
            f"{d['suspicious']} suspicious, {d['failed']} failed."
        )


def _is_outbound(read: ReadMessage, folder: str | None, actor: User) -> bool:
    if folder is not None:
        return folder == FolderRole.SENT
    if "sent" in read.gmail_labels:
        return True
    own = read.facts.from_address == actor.email.lower()
    return own and read.authenticated is not False


def _suspicion(read: ReadMessage, outbound: bool, team: set[str]) -> str:
    if outbound or read.facts.from_address not in team or read.authenticated is True:
        return ""
    if read.authenticated is False:
        return "Claims a team member's address; the receiving server's check failed."
    return "Claims a team member's address; no receiving server vouched for it."


def _remember_unmatched(
    actor: User, message: MailMessage, read: ReadMessage, addresses: list[str], reason: str = ""
) -> None:
    for address in addresses:
        row, created = UnmatchedAddress.objects.get_or_create(
            user=actor,
            address=address,
            suspicious_reason=reason,
            defaults={
                "name": read.name_of(address)[:200],
                "first_seen_at": message.sent_at,
                "last_seen_at": message.sent_at,
                "last_subject": message.subject,
            },
        )
        row.messages.add(message)
        row.message_count = row.messages.count()
        if not created:
            row.first_seen_at = min(row.first_seen_at, message.sent_at)
            if message.sent_at >= row.last_seen_at:
                row.last_seen_at = message.sent_at
                row.last_subject = message.subject
            row.name = row.name or read.name_of(address)[:200]
            if row.resolved_at is not None and not reason:
                # The person it became was trashed or hidden since: the address waits again.
                row.resolved_at = None
        row.save()


def already_logged(reads: list[ReadMessage]) -> set[str]:
    """Which of these Message-IDs the log holds: one query for a batch, so a re-sync or a
    re-import of thousands of messages does not ask the log about each one."""
    ids = [normalise_message_id(r.facts.message_id) for r in reads]
    return set(MailMessage.objects.filter(message_id__in=ids).values_list("message_id", flat=True))


def log_read_message(
    *,
    actor: User,
    read: ReadMessage,
    source: str,
    folder: str | None,
    team: set[str],
    report: InboundReport,
    known: set[str] | None = None,
) -> str:
    """Log one message read from a folder (`folder` its role) or a file (`folder` None).
    `known`: Message-IDs already in the log (already_logged), skipped without a query."""
    if known is not None and normalise_message_id(read.facts.message_id) in known:
        report.add(ALREADY)
        return ALREADY
    outbound = _is_outbound(read, folder, actor)
    suspicious = _suspicion(read, outbound, team)
    counted = read.counted and not suspicious
    try:
        with transaction.atomic():
            logged = log_message(
                actor=actor, facts=read.facts, source=source, outbound=outbound, counted=counted
            )
            if logged.created and suspicious:
                _remember_unmatched(
                    actor, logged.message, read, [read.facts.from_address], suspicious
                )
            elif logged.created and logged.message.unmatched_addresses:
                _remember_unmatched(actor, logged.message, read, logged.message.unmatched_addresses)
    except (ValidationError, PermissionDenied) as exc:
        text = " ".join(getattr(exc, "messages", [str(exc)]))
        report.problems.append(f"<{read.facts.message_id}>: {text}")
        outcome = FAILED
    else:
        if not logged.created:
            outcome = ALREADY
        elif suspicious:
            outcome = SUSPICIOUS
        elif not counted:
            outcome = NOT_COUNTED
        elif logged.interactions:
            outcome = LOGGED
        elif logged.message.unmatched_addresses:
            outcome = UNMATCHED
        else:
            outcome = TEAM
        if logged.created:
            report.interactions += len(logged.interactions)
            if not suspicious:
                report.unmatched_addresses.update(logged.message.unmatched_addresses)
    report.add(outcome)
    return outcome
