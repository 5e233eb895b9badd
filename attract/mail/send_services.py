"""Sending a letter to one person or to a selection, through the installation's SMTP server
(ATTRACT_EMAIL_URL), from the user's own address, each message logged through the message
log (so it counts toward goals and stops response clocks) with the Message-ID we made.

`send_prepare` checks everything and writes the send with one row per recipient: who will
get it and who will not, with the reason (no address, do not e-mail, unsubscribed). A single
letter to a person who cannot receive it is refused outright. `send_run` delivers: each row
is marked "sending" (with its Message-ID) and committed before the SMTP call, and marked sent
and logged after, so a retried job skips every row already handed to the server."""

from __future__ import annotations

import contextlib
import smtplib
from dataclasses import dataclass
from email.utils import formataddr, make_msgid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from attract.accounts.models import User
from attract.aftercare.models import Departure
from attract.core.permissions import can_view_record, can_write
from attract.mail.message_log import MessageFacts, log_message, normalise_address
from attract.mail.models import (
    MailSend,
    MailTemplate,
    MessageSource,
    RecipientStatus,
    SendRecipient,
    SendStatus,
)
from attract.mail.send_unsubscribe import unsubscribe_url, unsubscribed
from attract.mail.template_merge import MergeValues, fields_used, merge_check, merge_render
from attract.mail.template_services import signature_of
from attract.people.models import Person
from attract.pipeline.models import Deal

MAX_RECIPIENTS = 5_000
SURVEY_PLACEHOLDER = "[a private exit-survey link, made for them when the letter is sent]"


class MailServerError(Exception):
    """The SMTP server could not be reached or refused the whole conversation."""


@dataclass(frozen=True)
class Refusal:
    person: Person
    reason: str


def primary_address(person: Person) -> str:
    emails = list(person.emails.all())  # ordered primary first; prefetched by callers
    return normalise_address(emails[0].email) if emails else ""


def refusal_reason(person: Person, address: str, unsubscribed_addresses: set[str]) -> str:
    if person.do_not_email:
        return f"{person.full_name} asked not to be e-mailed."
    if not address:
        return f"{person.full_name} has no e-mail address."
    if address in unsubscribed_addresses:
        return f"{address} unsubscribed from our e-mails."
    return ""


def _sender_address(actor: User) -> str:
    return formataddr((actor.full_name or "", actor.email))


def _departure_for(person: Person) -> Departure | None:
    query = Q(contact=person)
    if person.company_id:
        query |= Q(company_id=person.company_id)
    return (
        Departure.objects.filter(query, answered_at__isnull=True)
        .select_related("company")
        .order_by("-departed_on", "-id")
        .first()
    )


def merge_values(
    *, actor: User, person: Person, deal: Deal | None, survey_link: str = ""
) -> MergeValues:
    company = person.company if person.company and can_view_record(actor, person.company) else None
    return MergeValues(
        first_name=person.first_name or person.full_name,
        last_name=person.last_name,
        full_name=person.full_name,
        company=company.name if company else "",
        deal=deal.title if deal is not None and can_view_record(actor, deal) else "",
        sender_name=actor.full_name or actor.email,
        signature=signature_of(actor) or actor.full_name or actor.email,
        business_name=(getattr(settings, "ATTRACT_BUSINESS_NAME", "") or "").strip(),
        survey_link=survey_link,
    )


def compose_check(*, subject: str, body: str) -> tuple[str, str]:
    subject = " ".join((subject or "").split())
    body = (body or "").replace("\r\n", "\n").strip()
    if not subject:
        raise ValidationError({"subject": "Write a subject."})
    if not body:
        raise ValidationError({"body": "Write the letter."})
    if len(subject) > 300:
        raise ValidationError({"subject": "Keep the subject under 300 characters."})
    if len(body) > 20_000:
        raise ValidationError({"body": "Keep the letter under 20,000 characters."})
    merge_check(field_name="subject", text=subject)
    merge_check(field_name="body", text=body)
    return subject, body


def compose_preview(
    *, actor: User, person: Person, subject: str, body: str, deal: Deal | None = None
) -> tuple[str, str]:
    """The letter as this person will read it (the survey link stands as a placeholder: it
    is made only when sent, so a preview never spends one)."""
    subject, body = compose_check(subject=subject, body=body)
    values = merge_values(actor=actor, person=person, deal=deal, survey_link=SURVEY_PLACEHOLDER)
    return merge_render(subject, values), merge_render(body, values)


def send_prepare(
    *,
    actor: User,
    persons: list[Person],
    subject: str,
    body: str,
    base_url: str,
    template: MailTemplate | None = None,
    deal: Deal | None = None,
    bulk: bool | None = None,
) -> MailSend:
    """Check the letter and its recipients and write the send; nothing is delivered yet.

    `bulk` (default: more than one recipient) adds the unsubscribe link. One person who
    cannot receive it is refused with the reason; in a selection they are listed as not sent."""
    if not can_write(actor):
        raise PermissionDenied("Your role can read but not send e-mail.")
    if not actor.email:
        raise ValidationError("Your account has no e-mail address to send from.")
    subject, body = compose_check(subject=subject, body=body)
    persons = [p for p in {p.pk: p for p in persons}.values()]
    if not persons:
        raise ValidationError({"to": "Choose at least one person to write to."})
    if len(persons) > MAX_RECIPIENTS:
        raise ValidationError(
            {"to": f"Send to at most {MAX_RECIPIENTS:,} persons at once ({len(persons):,} chosen)."}
        )
    for person in persons:
        if person.in_trash or not can_view_record(actor, person):
            raise ValidationError({"to": "Choose persons you can see."})
    if deal is not None and not can_view_record(actor, deal):
        raise ValidationError({"deal": "Choose a deal you can see."})
    bulk = len(persons) > 1 if bulk is None else bulk
    wants_survey = "survey_link" in fields_used(body)
    addresses = {p.pk: primary_address(p) for p in persons}
    stopped = unsubscribed(list(addresses.values()))
    rows: list[SendRecipient] = []
    seen: set[str] = set()
    for person in persons:
        address = addresses[person.pk]
        reason = refusal_reason(person, address, stopped)
        if not reason and wants_survey and _departure_for(person) is None:
            reason = f"{person.full_name} has no departure whose exit survey is unanswered."
        if not reason and address in seen:
            reason = f"{address} is in this send already (another person shares it)."
        if reason and not bulk:
            raise ValidationError({"to": reason})
        if not reason:
            seen.add(address)
        rows.append(
            SendRecipient(
                person=person,
                # The unique (send, address) rule applies to those we will mail; a skipped
                # row keeps the address in its reason.
                address="" if reason else address,
                status=RecipientStatus.SKIPPED if reason else RecipientStatus.PENDING,
                reason=reason[:300],
            )
        )
    with transaction.atomic():
        send = MailSend.objects.create(
            sender=actor,
            template=template,
            subject=subject,
            body=body,
            bulk=bulk,
            base_url=base_url.rstrip("/")[:300],
            deal=deal,
            total=len(rows),
        )
        for row in rows:
            row.send = send
        SendRecipient.objects.bulk_create(rows, batch_size=500)
    return send


def _message(send: MailSend, recipient: SendRecipient, message_id: str) -> EmailMessage:
    person = recipient.person
    survey = ""
    if "survey_link" in fields_used(send.body) and person is not None:
        from attract.aftercare.survey_services import survey_link_create

        departure = _departure_for(person)
        if departure is None:
            raise ValidationError(f"{person.full_name} has no unanswered exit survey any more.")
        _, raw = survey_link_create(actor=send.sender, departure=departure)
        survey = send.base_url + reverse("aftercare:survey", args=[raw])
    values = (
        merge_values(actor=send.sender, person=person, deal=send.deal, survey_link=survey)
        if person is not None
        else MergeValues(sender_name=send.sender.full_name, signature=signature_of(send.sender))
    )
    body = merge_render(send.body, values)
    headers = {"Message-ID": f"<{message_id}>"}
    if send.bulk:
        link = unsubscribe_url(send.base_url, recipient.address)
        body += f"\n\n--\nTo receive no more e-mail from us: {link}\n"
        headers["List-Unsubscribe"] = f"<{link}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    name = person.full_name if person is not None else ""
    return EmailMessage(
        subject=merge_render(send.subject, values),
        body=body,
        from_email=_sender_address(send.sender),
        to=[formataddr((name, recipient.address))],
        headers=headers,
    )


def _server_name() -> str:
    return f"{getattr(settings, 'EMAIL_HOST', 'localhost')}:{getattr(settings, 'EMAIL_PORT', 25)}"


def _open(connection) -> None:
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as exc:
        raise MailServerError(
            f"The mail server {_server_name()} could not be reached: {_describe(exc)}. "
            "Nothing was sent."
        ) from exc


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError) or "timed out" in str(exc):
        return "it did not answer in time"
    if isinstance(exc, ConnectionRefusedError):
        return "it refused the connection"
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) \
            else str(exc.smtp_error)  # fmt: skip
        return f"it answered {exc.smtp_code} {text}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [f"{code} {msg.decode('utf-8', 'replace') if isinstance(msg, bytes) else msg}"
                 for code, msg in exc.recipients.values()]  # fmt: skip
        return "it refused the recipient (" + "; ".join(codes) + ")"
    return str(exc) or type(exc).__name__


def _interrupted_rows_close(send: MailSend) -> None:
    """A row left "sending" by a worker that died mid-call may or may not have reached the
    server: it is not sent again, so that nobody gets the letter twice."""
    send.recipients.filter(status=RecipientStatus.SENDING).update(
        status=RecipientStatus.FAILED,
        reason="Interrupted while handing it to the mail server; not sent again, so it "
        "cannot arrive twice.",
    )


def send_run(send: MailSend) -> MailSend:
    """Deliver every pending row of the send. Raises MailServerError when the server cannot
    be reached or drops the conversation; the rows not yet handed over stay pending, so
    running it again carries on where it stopped."""
    send = MailSend.objects.select_related("sender", "deal").get(pk=send.pk)
    _interrupted_rows_close(send)
    MailSend.objects.filter(pk=send.pk).update(status=SendStatus.SENDING, error="")
    pending = list(
        send.recipients.filter(status=RecipientStatus.PENDING)
        .select_related("person", "person__company")
        .order_by("id")
    )
    domain = send.sender.email.rpartition("@")[2] or "localhost"
    connection = get_connection(fail_silently=False)
    try:
        if pending:
            _open(connection)
        for recipient in pending:
            _deliver(send, recipient, connection, domain)
    except MailServerError as exc:
        MailSend.objects.filter(pk=send.pk).update(status=SendStatus.FAILED, error=str(exc)[:500])
        raise
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            connection.close()
    MailSend.objects.filter(pk=send.pk).update(status=SendStatus.DONE, finished_at=timezone.now())
    send.refresh_from_db()
    return send


def _deliver(send: MailSend, recipient: SendRecipient, connection, domain: str) -> None:
    message_id = make_msgid(domain=domain).strip("<>")
    claimed = SendRecipient.objects.filter(pk=recipient.pk, status=RecipientStatus.PENDING).update(
        status=RecipientStatus.SENDING, message_id=message_id
    )
    if not claimed:
        return  # another run has it
    try:
        message = _message(send, recipient, message_id)
    except ValidationError as exc:
        _mark(recipient, RecipientStatus.FAILED, " ".join(exc.messages))
        return
    try:
        connection.send_messages([message])
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused,
            smtplib.SMTPDataError) as exc:  # fmt: skip
        # The server said no to this letter, clearly: nothing was delivered.
        _mark(recipient, RecipientStatus.FAILED, f"The mail server refused it: {_describe(exc)}.")
        return
    except (OSError, smtplib.SMTPException) as exc:
        _mark(
            recipient,
            RecipientStatus.FAILED,
            f"The mail server stopped answering while taking it ({_describe(exc)}); it may "
            "not have arrived, and is not sent again.",
        )
        raise MailServerError(
            f"The mail server {_server_name()} stopped answering: {_describe(exc)}. "
            "The letters not yet handed over will be sent when it is tried again."
        ) from exc
    now = timezone.now()
    with transaction.atomic():
        SendRecipient.objects.filter(pk=recipient.pk).update(
            status=RecipientStatus.SENT, sent_at=now, reason=""
        )
        log_message(
            actor=send.sender,
            facts=MessageFacts(
                message_id=message_id,
                from_address=send.sender.email,
                to_addresses=(recipient.address,),
                subject=str(message.subject),
                sent_at=now,
            ),
            source=MessageSource.SENT,
            outbound=True,
        )


def _mark(recipient: SendRecipient, status: str, reason: str) -> None:
    SendRecipient.objects.filter(pk=recipient.pk).update(status=status, reason=reason[:300])


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    skipped: int
    failed: int
    pending: int

    @property
    def finished(self) -> bool:
        return self.pending == 0

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * (self.total - self.pending) / self.total)


def send_progress(send: MailSend) -> Progress:
    counts = dict(send.recipients.values_list("status").annotate(n=Count("id")).order_by())
    return Progress(
        total=send.total,
        sent=counts.get(RecipientStatus.SENT, 0),
        skipped=counts.get(RecipientStatus.SKIPPED, 0),
        failed=counts.get(RecipientStatus.FAILED, 0),
        pending=counts.get(RecipientStatus.PENDING, 0) + counts.get(RecipientStatus.SENDING, 0),
    )
