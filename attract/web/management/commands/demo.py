"""`attract demo --seed N`: load a realistic sample business to explore or to demonstrate."""

from __future__ import annotations

import secrets
import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from attract.accounts.management.terminal_output import (
    new_table,
    print_table,
    validation_message,
)
from attract.accounts.models import Role, User
from attract.accounts.services import owner_create
from attract.web.demo import demo_load, installation_record_counts

DEMO_OWNER_EMAIL = "owner@example.com"


class Command(BaseCommand):
    help = "Load a deterministic sample business: a team, companies and persons, and more."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--seed", type=int, default=1, help="The same seed gives the same sample (default 1)."
        )
        parser.add_argument(
            "--add",
            action="store_true",
            help="Add the sample even though the installation already holds records.",
        )

    def handle(self, *args, seed: int, add: bool, **options) -> None:
        existing = installation_record_counts()
        if any(existing.values()) and not add:
            held = " and ".join(f"{count:,} {what}" for what, count in existing.items())
            raise CommandError(
                f"This installation already holds {held}; sample data would mix with them. "
                "Run `attract demo --add` to add the sample anyway."
            )
        started = time.perf_counter()
        owner, owner_password = self._owner()
        summary = demo_load(owner=owner, seed=seed)
        seconds = time.perf_counter() - started

        self.stdout.write(f"Loaded the sample business (seed {seed}) in {seconds:.1f} s.")
        counts = new_table("Sample data", "Rows")
        counts.columns[1].justify = "right"
        for what, count in summary.counts.items():
            counts.add_row(what.capitalize(), f"{count:,}")
        print_table(self.stdout, counts)

        team = new_table("Email", "Role", "Password", title="Sign in as")
        team.add_row(owner.email, owner.get_role_display(), owner_password or "(unchanged)")
        for mate in summary.team:
            team.add_row(
                mate.user.email, mate.user.get_role_display(), mate.password or "(unchanged)"
            )
        print_table(self.stdout, team)
        if owner_password or any(m.password for m in summary.team):
            self.stdout.write("Passwords are shown once; change them under Settings.")

    def _owner(self) -> tuple[User, str | None]:
        """The installation's owner, or a new demo owner with a printed password."""
        owner = User.objects.filter(role=Role.OWNER, is_active=True).order_by("pk").first()
        if owner is not None:
            return owner, None
        password = secrets.token_urlsafe(12)
        try:
            owner = owner_create(
                email=DEMO_OWNER_EMAIL, password=password, full_name="Olivia Owner"
            )
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc
        return owner, password
