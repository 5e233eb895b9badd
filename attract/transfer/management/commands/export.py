"""`attract export persons|companies|all FILE`: a CSV of a list, a vCard file of persons, or
the whole installation as one zip for `attract restore`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from attract.accounts.management.command_users import acting_user
from attract.people.selectors import company_list_for_user, person_list_for_user
from attract.transfer.archive import full_export
from attract.transfer.exporting import (
    company_rows,
    csv_lines,
    hide_private_companies,
    person_rows,
)
from attract.transfer.vcards import persons_vcards


class Command(BaseCommand):
    help = "Export persons or companies as CSV (persons also as vCard), or everything as a zip."

    def add_arguments(self, parser) -> None:
        parser.add_argument("what", choices=["persons", "companies", "all"])
        parser.add_argument("file")
        parser.add_argument("--search", default="")
        parser.add_argument("--vcard", choices=["3.0", "4.0"], help="Persons as vCards.")
        parser.add_argument("--as", dest="as_user", metavar="EMAIL")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if path.exists():
            raise CommandError(f"{path} already exists; choose a new file name.")
        user = acting_user(options["as_user"])
        if options["what"] == "all":
            if user.role != "owner":
                raise CommandError("Only the owner of the installation may export everything.")
            count = full_export(path, exporter=user)
            self.stdout.write(
                f"{count} records written to {path}. Of the private thank-you notes it holds "
                f"{user.email}'s only."
            )
            return
        if options["what"] == "persons":
            persons = person_list_for_user(user=user, search=options["search"])
            if options["vcard"]:
                with open(path, "w", encoding="utf-8", newline="") as handle:
                    cards = persons_vcards(
                        hide_private_companies(persons, user), version=options["vcard"]
                    )
                    for card in cards:
                        handle.write(card)
                self.stdout.write(f"Persons written to {path}.")
                return
            rows = person_rows(persons, user=user)
        else:
            rows = company_rows(company_list_for_user(user=user, search=options["search"]))
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            handle.writelines(csv_lines(rows))
        self.stdout.write(f"Written to {path}.")
