"""`attract restore FILE`: rebuild an empty installation from `attract export all`."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from attract.transfer.archive import notes_owner, restore


class Command(BaseCommand):
    help = "Load a full export into a new, empty installation."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            count = restore(path)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"{count} records restored from {path}.")
        if author := notes_owner(path):
            self.stdout.write(
                f"Private thank-you notes: only {author}'s are in this export; the other "
                "members' notes stay private and were not exported."
            )
