"""The sending half of `attract mail`: `send` and `templates`, kept out of the command module
so that receiving's verbs (sync, import) join the same command without touching these."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

from attract.accounts.management.command_users import acting_user
from attract.mail.compose_sources import persons_for_mail
from attract.mail.message_log import persons_by_address
from attract.mail.models import MailTemplate
from attract.mail.send_services import MailServerError, send_prepare, send_progress, send_run
from attract.mail.send_tasks import send_enqueue


def add_send_arguments(actions) -> None:
    send = actions.add_parser("send", help="Send a template to persons (by id or address).")
    send.add_argument("template", help="The template's id or exact name.")
    send.add_argument("--to", action="append", required=True, metavar="ADDRESS_OR_PERSON_ID",
                      help="A person's id or one of their addresses; repeat for more.")  # fmt: skip
    send.add_argument("--background", action="store_true",
                      help="Leave the delivery to the worker (attract serve) and print the send's id.")  # fmt: skip
    send.add_argument("--bulk", action="store_true",
                      help="Add the unsubscribe link even for one person.")  # fmt: skip
    send.add_argument("--as", dest="as_user", metavar="EMAIL", help="Act as this user.")
    templates = actions.add_parser("templates", help="List the e-mail templates.")
    templates.add_argument("--as", dest="as_user", metavar="EMAIL", help="Act as this user.")


def _template(raw: str) -> MailTemplate:
    raw = raw.replace("\x00", "").strip()
    found = None
    if raw.isdigit() and len(raw) < 12:
        found = MailTemplate.objects.filter(pk=int(raw)).first()
    found = found or MailTemplate.objects.filter(name__iexact=raw).first()
    if found is None:
        raise CommandError(f"No template {raw!r}: see `attract mail templates`.")
    return found


def _persons(user, targets: list[str]):
    visible = persons_for_mail(user)
    ids = [int(t) for t in targets if t.strip().isdigit() and len(t.strip()) < 12]
    addresses = [t.strip() for t in targets if "@" in t]
    other = [
        t for t in targets if not (t.strip().isdigit() and len(t.strip()) < 12) and "@" not in t
    ]
    if other:
        raise CommandError(f"--to {other[0]!r} is neither a person's id nor an address.")
    by_id = {p.pk: p for p in visible.filter(pk__in=ids)}
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise CommandError(f"No person with the id {missing[0]} that you can see.")
    by_address = persons_by_address(user, addresses)
    unknown = [a for a in addresses if a.lower() not in by_address]
    if unknown:
        raise CommandError(f"No person with the address {unknown[0]}: add them first.")
    found = list(by_id.values()) + [by_address[a.lower()] for a in addresses]
    # Reload through the mail queryset, so each person's addresses are prefetched in order.
    return list(visible.filter(pk__in={p.pk for p in found}))


def handle_templates(command, *, as_user) -> None:
    acting_user(as_user)
    for template in MailTemplate.objects.order_by("name", "id"):
        command.stdout.write(f"{template.pk}\t{template.name}\t{template.subject}")


def handle_send(command, *, template, to, background, bulk, as_user) -> None:
    user = acting_user(as_user)
    chosen = _template(template)
    persons = _persons(user, to)
    try:
        send = send_prepare(
            actor=user, persons=persons, subject=chosen.subject, body=chosen.body,
            base_url=settings.ATTRACT_BASE_URL, template=chosen, bulk=bulk or None,
        )  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
    if background:
        send_enqueue(send)
        command.stdout.write(f"Send #{send.pk} queued for {send.total} person(s).")
        return
    try:
        send = send_run(send)
    except MailServerError as exc:
        raise CommandError(str(exc)) from exc
    progress = send_progress(send)
    for row in send.recipients.exclude(status="sent").select_related("person"):
        who = row.person.full_name if row.person else row.address
        command.stderr.write(f"Not sent to {who}: {row.reason}")
    command.stdout.write(f"Sent {progress.sent} of {progress.total} (send #{send.pk}).")
    if progress.sent < progress.total:
        raise CommandError(f"{progress.total - progress.sent} not sent; see above.")
