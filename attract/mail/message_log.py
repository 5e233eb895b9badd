"""Logging an e-mail once, as interactions on every person it was with.

Sending (a message we send), a mailbox sync and a `.eml`/`.mbox` import all end here, so the
rules that make mail count are in one place: a message is logged once by its Message-ID;
its direction is "we replied" / "they replied" when it answers one of the other side's
messages (In-Reply-To or References name it, or the other side wrote to that person within
REPLY_WINDOW) and "we reached out" / "they reached out" otherwise; only persons the actor may
see are touched; what the caller says is not a customer talking (newsletters, auto-replies,
our own team) is kept in the log but counts nowhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from attract.accounts.models import User
from attract.core.permissions import visible_to
from attract.engagement.models import INBOUND, OUTBOUND, Channel, Direction, Interaction
from attract.engagement.services import interaction_log
from attract.mail.models import MailMessage
from attract.people.models import EmailAddress, Person

# "Our message to them within the window": a reply that lost its headers still answers.
REPLY_WINDOW = timedelta(days=14)
SUMMARY_LENGTH = 500


@dataclass(frozen=True)
class MessageFacts:
    """What logging needs of a message, read from its headers by whoever has it."""

    message_id: str
    from_address: str
    to_addresses: tuple[str, ...]  # To and Cc together
    subject: str
    sent_at: datetime
    in_reply_to: str = ""
    references: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class LoggedMessage:
    message: MailMessage
    created: bool  # False when this Message-ID was logged before: nothing was done again
    interactions: tuple[Interaction, ...] = ()


def normalise_message_id(raw: str | None) -> str:
    """'<abc@host>' and ' abc@host ' are the same Message-ID."""
    return (raw or "").strip().strip("<>").strip()


def normalise_address(raw: str | None) -> str:
    return (raw or "").strip().lower()


def team_addresses() -> set[str]:
    return {normalise_address(email) for email in User.objects.values_list("email", flat=True)}


def persons_by_address(actor: User, addresses: list[str]) -> dict[str, Person]:
    """The person each address belongs to (any of their addresses), among those the actor
    may see and that are not in the trash or merged away; one query."""
    wanted = sorted({normalise_address(a) for a in addresses if a})
    if not wanted:
        return {}
    visible = visible_to(Person.objects.filter(merged_into__isnull=True), actor)
    rows = (
        EmailAddress.objects.annotate(address=Lower("email"))
        .filter(address__in=wanted, person__in=visible)
        .select_related("person", "person__company")
        .order_by("person_id")
    )
    found: dict[str, Person] = {}
    for row in rows:
        found.setdefault(row.address, row.person)
    return found


def _answers_the_other_side(facts: MessageFacts, outbound: bool, persons: list[Person]) -> bool:
    theirs = INBOUND if outbound else OUTBOUND
    named = [normalise_message_id(m) for m in (facts.in_reply_to, *facts.references)]
    named = [m for m in named if m]
    if named and MailMessage.objects.filter(message_id__in=named, direction__in=theirs).exists():
        return True
    if not persons:
        return False
    return Interaction.objects.filter(
        person__in=persons,
        direction__in=theirs,
        occurred_at__gte=facts.sent_at - REPLY_WINDOW,
        occurred_at__lte=facts.sent_at,
    ).exists()


def log_message(
    *,
    actor: User,
    facts: MessageFacts,
    source: str,
    outbound: bool,
    counted: bool = True,
) -> LoggedMessage:
    """Log one message; calling it again with the same Message-ID changes nothing.

    `outbound` is the caller's judgement (we sent it, or it was in the user's sent folder
    from their own address); `counted` False keeps it out of every timeline and goal."""
    message_id = normalise_message_id(facts.message_id)
    if not message_id:
        raise ValidationError({"message_id": "The message has no Message-ID to log it by."})
    earlier = MailMessage.objects.filter(message_id=message_id).first()
    if earlier is not None:
        return LoggedMessage(earlier, created=False)
    ours = team_addresses()
    other_side = list(facts.to_addresses) if outbound else [facts.from_address]
    other_side = [a for a in (normalise_address(a) for a in other_side) if a and a not in ours]
    matched = persons_by_address(actor, other_side) if counted else {}
    persons = list({p.pk: p for p in matched.values()}.values())
    answers = _answers_the_other_side(facts, outbound, persons)
    if outbound:
        direction = Direction.WE_REPLIED if answers else Direction.WE_REACHED_OUT
    else:
        direction = Direction.THEY_REPLIED if answers else Direction.THEY_REACHED_OUT
    try:
        with transaction.atomic():
            message = MailMessage.objects.create(
                message_id=message_id,
                source=source,
                user=actor,
                direction=direction,
                from_address=normalise_address(facts.from_address)[:320],
                to_addresses=[normalise_address(a) for a in facts.to_addresses],
                subject=(facts.subject or "")[:998],
                sent_at=facts.sent_at,
                in_reply_to=normalise_message_id(facts.in_reply_to)[:500],
                references=" ".join(normalise_message_id(r) for r in facts.references),
                counted=counted,
                unmatched_addresses=[a for a in other_side if a not in matched] if counted else [],
            )
            logged = tuple(
                interaction_log(
                    actor=actor,
                    channel=Channel.EMAIL,
                    direction=direction,
                    summary=(facts.subject or "").strip()[:SUMMARY_LENGTH] or "(no subject)",
                    person=person,
                    occurred_at=facts.sent_at,
                )
                for person in persons
            )
            message.interactions.add(*logged)
    except IntegrityError:
        # Another sync logged the same Message-ID a moment ago: theirs stands.
        return LoggedMessage(MailMessage.objects.get(message_id=message_id), created=False)
    return LoggedMessage(message, created=True, interactions=logged)
