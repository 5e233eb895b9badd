"""The 21-day challenge: starting it, recording who was met each day, and reading the grid,
the streak and the referrals that came from those collaborators afterwards.

"Today" is the user's local day (their time zone, see engagement.responses.user_zone), so a
meeting logged at 23:30 in Tokyo counts for that Tokyo day whatever the server's clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from attract.accounts.models import User
from attract.core.permissions import can_view_record, can_write
from attract.engagement.responses import user_zone
from attract.partners.models import (
    CHALLENGE_DAYS,
    FOLLOW_UP_DAYS,
    Challenge,
    ChallengeMeeting,
    Direction,
    Referral,
)
from attract.partners.selectors import visible_partners
from attract.people.models import Person


def local_today(user: User) -> date:
    return timezone.now().astimezone(user_zone(user)).date()


def _last_day(challenge: Challenge) -> date:
    return challenge.started_on + timedelta(days=CHALLENGE_DAYS - 1)


def running_challenge(user: User, today: date | None = None) -> Challenge | None:
    today = today or local_today(user)
    earliest = today - timedelta(days=CHALLENGE_DAYS - 1)
    return (
        Challenge.objects.filter(user=user, started_on__gte=earliest, started_on__lte=today)
        .order_by("-started_on", "-id")
        .first()
    )


def latest_challenge(user: User) -> Challenge | None:
    return Challenge.objects.filter(user=user).order_by("-started_on", "-id").first()


def challenge_start(*, actor: User) -> Challenge:
    if not can_write(actor):
        raise PermissionDenied("Your role can read but not change records.")
    with transaction.atomic():
        # One at a time: the user's row is the lock two simultaneous starts queue on.
        User.objects.select_for_update().filter(pk=actor.pk).first()
        today = local_today(actor)
        current = running_challenge(actor, today)
        if current is not None:
            day = (today - current.started_on).days + 1
            raise ValidationError(
                f"Your challenge is already running (day {day} of {CHALLENGE_DAYS}); "
                "finish it before starting another."
            )
        return Challenge.objects.create(
            user=actor, started_on=today, created_by=actor, updated_by=actor
        )


def challenge_meet(*, actor: User, person: Person, note: str = "") -> ChallengeMeeting:
    """Record today's new collaborator."""
    if not can_write(actor):
        raise PermissionDenied("Your role can read but not change records.")
    today = local_today(actor)
    challenge = running_challenge(actor, today)
    if challenge is None:
        raise ValidationError("Start the 21-day challenge first.")
    if not can_view_record(actor, person) or person.in_trash:
        raise ValidationError({"person": "There is no such person."})
    earlier = challenge.meetings.filter(Q(day=today) | Q(person=person)).first()
    if earlier is not None and earlier.person_id == person.pk:
        raise ValidationError(
            {"person": f"You met {person} on {earlier.day:%d %b}: a new collaborator each day."}
        )
    if earlier is not None:
        raise ValidationError(f"Today already counts: you met {earlier.person}.")
    try:
        with transaction.atomic():
            return ChallengeMeeting.objects.create(
                challenge=challenge, day=today, person=person, note=(note or "").strip()[:300],
                created_by=actor, updated_by=actor,
            )  # fmt: skip
    except IntegrityError as exc:
        raise ValidationError("Today was recorded at the same moment; reload.") from exc


@dataclass(frozen=True)
class ChallengeDay:
    number: int
    day: date
    state: str  # met, missed, today, to_come
    meeting: ChallengeMeeting | None


@dataclass(frozen=True)
class ChallengeStatus:
    challenge: Challenge
    days: list[ChallengeDay]
    met: int
    streak: int
    running: bool
    today_met: bool
    referrals: list[Referral]


def challenge_status(
    challenge: Challenge, *, user: User, today: date | None = None
) -> ChallengeStatus:
    today = today or local_today(user)
    meetings = {m.day: m for m in challenge.meetings.select_related("person").order_by("day")}
    days = []
    for n in range(CHALLENGE_DAYS):
        day = challenge.started_on + timedelta(days=n)
        if day in meetings:
            state = "met"
        elif day < today:
            state = "missed"
        elif day == today:
            state = "today"
        else:
            state = "to_come"
        days.append(ChallengeDay(n + 1, day, state, meetings.get(day)))
    # The current run of met days, ending today (or yesterday while today is still open).
    streak = 0
    for item in reversed([d for d in days if d.day <= today]):
        if item.state == "met":
            streak += 1
        elif item.state == "today":
            continue
        else:
            break
    return ChallengeStatus(
        challenge=challenge,
        days=days,
        met=len(meetings),
        streak=streak,
        running=challenge.started_on <= today <= _last_day(challenge),
        today_met=today in meetings,
        referrals=_referrals_from_those_met(challenge, list(meetings.values()), user),
    )


def _referrals_from_those_met(
    challenge: Challenge, meetings: list[ChallengeMeeting], user: User
) -> list[Referral]:
    """Referrals received from the collaborators met (as partners, or from their company
    as a partner), from the challenge's start to 90 days after its end."""
    if not meetings:
        return []
    persons = [m.person_id for m in meetings]
    companies = [m.person.company_id for m in meetings if m.person.company_id]
    return list(
        Referral.objects.filter(
            Q(partner__person_id__in=persons) | Q(partner__company_id__in=companies),
            partner__in=visible_partners(user),
            direction=Direction.IN,
            referred_on__gte=challenge.started_on,
            referred_on__lte=_last_day(challenge) + timedelta(days=FOLLOW_UP_DAYS),
        )
        .select_related("partner__company", "partner__person", "deal", "person", "company")
        .order_by("-referred_on", "-id")[:100]
    )


@dataclass
class TodayCard:
    """What the Today page shows of a running challenge: which day it is, and whether today's
    new collaborator is met. Two small queries; the full grid stays on the challenge page."""

    day_number: int
    days: int
    today_met: bool
    person: Person | None


def challenge_today_card(user: User) -> TodayCard | None:
    today = local_today(user)
    challenge = running_challenge(user, today)
    if challenge is None:
        return None
    meeting = (
        ChallengeMeeting.objects.filter(challenge=challenge, day=today)
        .select_related("person")
        .first()
    )
    return TodayCard(
        day_number=(today - challenge.started_on).days + 1,
        days=CHALLENGE_DAYS,
        today_met=meeting is not None,
        person=meeting.person if meeting is not None else None,
    )
