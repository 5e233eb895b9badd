"""`attract mail …`: e-mail from a shell. Receiving: `attract mail sync|import FILE|unmatched`;
sending: `attract mail send TEMPLATE --to ADDRESS_OR_PERSON_ID …` and `attract mail templates`
(their verbs live in attract/mail/send_cli.py)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from attract.accounts.models import Role, User
from attract.mail import inbound_selectors, send_cli
from attract.mail.inbound_files import mail_import
from attract.mail.mailbox_sync import mailbox_sync
from attract.mail.models import Mailbox


class Command(BaseCommand):
    help = (
        "Mail: read the connected mailboxes now, import an .eml/.mbox file, list unmatched "
        "senders; send templates to persons, list templates."
    )

    def add_arguments(self, parser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        sync = verbs.add_parser("sync", help="Read new mail from the connected mailboxes now.")
        sync.add_argument("--user", default=None, help="Only this user's mailbox (e-mail).")
        sync.add_argument("--limit", type=int, default=None, help="At most this many per folder.")
        imports = verbs.add_parser("import", help="Log the messages of an .eml or .mbox file.")
        imports.add_argument("file")
        unmatched = verbs.add_parser("unmatched", help="Addresses that match no person yet.")
        for sub in (imports, unmatched):
            sub.add_argument("--as", dest="as_email", default=None, help="Act as this user.")
        send_cli.add_send_arguments(verbs)

    def handle(self, *args, verb: str, **options) -> None:
        if verb == "templates":
            send_cli.handle_templates(self, as_user=options["as_user"])
            return
        if verb == "send":
            wanted = {"template", "to", "background", "bulk", "as_user"}
            send_cli.handle_send(self, **{k: v for k, v in options.items() if k in wanted})
            return
        try:
            getattr(self, f"_{verb}")(**options)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

    def _actor(self, email: str | None) -> User:
        users = User.objects.filter(is_active=True)
        user = (
            users.filter(email__iexact=email).first()
            if email
            else users.filter(role=Role.OWNER).order_by("pk").first()
        )
        if user is None:
            raise CommandError(f"No active user {email}." if email else "No owner yet.")
        return user

    def _sync(self, *, user: str | None, limit: int | None, **options) -> None:
        mailboxes = Mailbox.objects.filter(is_active=True, user__is_active=True).select_related(
            "user"
        )
        if user:
            mailboxes = mailboxes.filter(user__email__iexact=user)
        failed = 0
        for mailbox in mailboxes:
            report = mailbox_sync(mailbox=mailbox, limit=limit)
            self.stdout.write(f"{mailbox.user.email} ({mailbox}): {report.summary()}")
            if mailbox.last_error:
                failed += 1
                self.stdout.write(f"  error: {mailbox.last_error}")
        if not mailboxes:
            self.stdout.write("No mailbox is connected.")
        if failed:
            raise CommandError(f"{failed} mailbox(es) could not be read; see the errors above.")

    def _import(self, *, file: str, as_email: str | None, **options) -> None:
        actor = self._actor(as_email)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {file}.")
        with path.open("rb") as stream:
            report = mail_import(actor=actor, stream=stream)
        self.stdout.write(report.summary())
        for problem in report.problems[:20]:
            self.stdout.write(f"  {problem}")

    def _unmatched(self, *, as_email: str | None, **options) -> None:
        actor = self._actor(as_email)
        rows = inbound_selectors.unmatched_waiting_for(user=actor)[:200]
        for row in rows:
            flag = " SUSPICIOUS" if row.suspicious else ""
            self.stdout.write(
                f"{row.pk}\t{row.address}\t{row.name}\t{row.message_count} message(s)\t"
                f"{row.last_seen_at:%Y-%m-%d}{flag}"
            )
