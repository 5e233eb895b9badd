"""`attract mail …`: e-mail from the command line. Sending: `attract mail send TEMPLATE --to
ADDRESS_OR_PERSON_ID …` and `attract mail templates` (attract/mail/send_cli.py)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from attract.mail import send_cli


class Command(BaseCommand):
    help = "E-mail: send templates to persons, list templates."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="send|templates")
        send_cli.add_send_arguments(actions)

    def handle(self, *args, action, **options) -> None:
        options = {
            k: v
            for k, v in options.items()
            if k in {"template", "to", "background", "bulk", "as_user"}
        }
        if action == "templates":
            send_cli.handle_templates(self, as_user=options["as_user"])
        elif action == "send":
            send_cli.handle_send(self, **options)
