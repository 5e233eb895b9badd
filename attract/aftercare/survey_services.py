"""The exit survey's private links: made with one click for a departed customer, opened
without logging in, answered once, dead after 30 days, replaced by a newer link.

A token is 43 random URL-safe characters (256 bits); only its SHA-256 is stored. Every way a
link can fail (unknown, expired, used, replaced) looks the same to whoever holds it, so the
page tells a guesser nothing."""

from __future__ import annotations

import hashlib
import logging
import secrets
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from attract.accounts.models import User
from attract.aftercare.departure_services import departure_answer_record
from attract.aftercare.models import Departure, SurveyLink
from attract.aftercare.models.surveys import SURVEY_DAYS
from attract.core.permissions import can_change_record, can_write

logger = logging.getLogger(__name__)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "replace")).hexdigest()


def business_name() -> str:
    """The name the survey speaks in: ATTRACT_BUSINESS_NAME, else a neutral "us"."""
    return (getattr(settings, "ATTRACT_BUSINESS_NAME", "") or "").strip()


def email_configured() -> bool:
    return settings.EMAIL_BACKEND.endswith(("smtp.EmailBackend", "locmem.EmailBackend"))


@transaction.atomic
def survey_link_create(*, actor: User, departure: Departure) -> tuple[SurveyLink, str]:
    """A new private link for the departure's exit survey; an earlier unused link stops
    working. Returns the link and its raw token, which is shown once and never stored."""
    if not can_write(actor) or not can_change_record(actor, departure.company):
        raise PermissionDenied("You may not send a survey about this customer.")
    if departure.answered_at is not None:
        raise ValidationError("They have already answered the exit survey.")
    now = timezone.now()
    departure.survey_links.filter(used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    raw = secrets.token_urlsafe(32)
    link = SurveyLink.objects.create(
        departure=departure,
        token_hash=token_hash(raw),
        created_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=SURVEY_DAYS),
    )
    return link, raw


def survey_link_email(*, link: SurveyLink, url: str, to: str) -> bool:
    """E-mail the link to the customer; False when the mail server refuses (the link can
    still be copied)."""
    name = business_name() or "us"
    body = (
        f"Hello,\n\nThank you for having been a customer of {name}. Would you tell us, in two "
        f"minutes, why you left and what we could have done better?\n\n{url}\n\n"
        f"The link works once, until {link.expires_at:%-d %B %Y}. No login is needed.\n"
    )
    try:
        send_mail(
            subject=f"Two minutes for {name}?",
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[to],
        )
    except (OSError, smtplib.SMTPException):
        logger.exception("Could not email survey link %s", link.pk)
        return False
    SurveyLink.objects.filter(pk=link.pk).update(emailed_to=to)
    return True


def survey_link_open(raw: str) -> SurveyLink | None:
    """The link a token opens, or None for every kind of dead link alike (a departure in the
    trash too: its link works again if it is restored in time)."""
    if not raw or len(raw) > 100:
        return None
    link = (
        SurveyLink.objects.select_related("departure")
        .filter(token_hash=token_hash(raw), used_at__isnull=True, revoked_at__isnull=True)
        .filter(departure__deleted_at__isnull=True)
        .first()
    )
    if link is None or link.expires_at <= timezone.now():
        return None
    return link


def survey_answer(*, raw: str, **answers) -> Departure:
    """Record the customer's answers through their link; the link then stops working. A
    second post of the same form finds the link used and changes nothing."""
    with transaction.atomic():
        link = survey_link_open(raw)
        if link is None:
            raise PermissionDenied("This link does not work any more.")
        # Used once: the update wins only for the first of two simultaneous posts.
        won = SurveyLink.objects.filter(pk=link.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not won:
            raise PermissionDenied("This link does not work any more.")
        departure = Departure.objects.select_for_update().get(pk=link.departure_id)
        return departure_answer_record(departure=departure, **answers)
