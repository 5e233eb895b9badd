"""`attract backup FILE`: a consistent copy of the SQLite database, safe while the app runs."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from attract.transfer.archive import sqlite_backup


class Command(BaseCommand):
    help = "Copy the live SQLite database to a file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", nargs="?")

    def handle(self, *args, **options) -> None:
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        path = Path(options["file"] or f"attract-backup-{stamp}.sqlite3")
        try:
            sqlite_backup(path)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Backup written to {path}.")
