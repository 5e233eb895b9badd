"""`attract testimonials`: testimonials and case studies through the same selectors as the web
pages — the lists (`list`, `cases`), the export for a website (`export`, CSV on standard
output: consent decides the name, those kept for ourselves are left out), and the HTML
snippet of one (`snippet ID`, `case-snippet ID`), refused when the customer did not consent
to publication."""

from __future__ import annotations

import csv

from django.core.management.base import BaseCommand, CommandError

from attract.accounts.management.command_users import acting_user
from attract.accounts.management.terminal_output import new_table, print_table
from attract.aftercare import testimonial_selectors as selectors
from attract.aftercare.models import Consent


def _short(text: str, size: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


class Command(BaseCommand):
    help = "Testimonials and case studies: list, export for a website, HTML snippets."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="list|cases|export|snippet|case-snippet"
        )
        for name, text in (("list", "Testimonials, newest first."), ("cases", "Case studies.")):
            listing = actions.add_parser(name, help=text)
            listing.add_argument("--limit", type=int, default=50, help="At most this many rows.")
            listing.add_argument("--as", dest="as_user", metavar="EMAIL", help="Act as this user.")
        export = actions.add_parser("export", help="The publishable testimonials as CSV.")
        export.add_argument("--as", dest="as_user", metavar="EMAIL", help="Act as this user.")
        for name in ("snippet", "case-snippet"):
            one = actions.add_parser(name, help="The HTML a website pastes in.")
            one.add_argument("id", type=int)
            one.add_argument("--as", dest="as_user", metavar="EMAIL", help="Act as this user.")

    def handle(self, *args, action, as_user=None, **options) -> None:
        user = acting_user(as_user)
        if action in ("list", "cases"):
            if options["limit"] < 1:
                raise CommandError("--limit must be 1 or more.")
            self._list(user, action, options["limit"])
        elif action == "export":
            writer = csv.writer(self.stdout)
            for row in selectors.export_rows(user):
                writer.writerow(row)
        else:
            self._snippet(user, action, options["id"])

    def _list(self, user, action: str, limit: int) -> None:
        if action == "list":
            table = new_table("#", "Said on", "Customer", "Consent", "Published", "Words")
            for t in selectors.visible_testimonials(user).order_by("-said_on", "-id")[:limit]:
                table.add_row(str(t.pk), t.said_on.isoformat(), t.company.name,
                              t.get_consent_display(), "yes" if t.published_at else "no",
                              _short(t.words))  # fmt: skip
        else:
            table = new_table("#", "Title", "Customer", "Consent", "Published")
            for c in selectors.visible_case_studies(user).order_by("-id")[:limit]:
                table.add_row(str(c.pk), _short(c.title), c.company.name,
                              c.get_consent_display(), "yes" if c.published_at else "no")  # fmt: skip
        print_table(self.stdout, table)

    def _snippet(self, user, action: str, pk: int) -> None:
        case = action == "case-snippet"
        records = (
            selectors.visible_case_studies(user) if case else selectors.visible_testimonials(user)
        )
        record = records.filter(pk=pk).first()
        kind = "case study" if case else "testimonial"
        if record is None:
            raise CommandError(f"No {kind} with the id {pk}.")
        if record.consent == Consent.NONE:
            raise CommandError(
                f"The customer has not consented to publishing this {kind}: it stays with us."
            )
        snippet = (
            selectors.case_study_snippet(record) if case else selectors.testimonial_snippet(record)
        )
        self.stdout.write(snippet)
