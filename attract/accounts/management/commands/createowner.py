"""`attract createowner`: create the installation's owner from a terminal or a script."""

from __future__ import annotations

import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from attract.accounts.management.terminal_output import validation_message
from attract.accounts.services import owner_create


class Command(BaseCommand):
    help = "Create the owner account (the first user, who manages the team)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--email", required=True, help="The owner's sign-in address.")
        parser.add_argument("--name", default="", help="The owner's full name.")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from standard input (first line), e.g. from a secret store.",
        )

    def handle(self, *args, email: str, name: str, password_stdin: bool, **options) -> None:
        password = self._read_password() if password_stdin else self._ask_password()
        try:
            owner = owner_create(email=email, password=password, full_name=name)
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc
        self.stdout.write(f"Created the owner {owner.email}. Sign in with `attract serve`.")

    def _read_password(self) -> str:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("--password-stdin was given, but standard input held no password.")
        return password

    def _ask_password(self) -> str:
        if not sys.stdin.isatty():
            raise CommandError(
                "No terminal to ask for a password: pass it on standard input with "
                "--password-stdin."
            )
        try:
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
        except (EOFError, KeyboardInterrupt) as exc:
            raise CommandError("Cancelled; no owner was created.") from exc
        if first != second:
            raise CommandError("The two passwords differ; no owner was created.")
        if not first:
            raise CommandError("Enter a password; no owner was created.")
        return first
