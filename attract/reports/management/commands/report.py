"""`attract report NAME --from 2026-01-01 --to 2026-06-30 [--owner EMAIL] [--tag T] [--csv]`:
a report's figures in the terminal, or as CSV (to standard output, or --output FILE)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from attract.accounts.management.command_users import acting_user
from attract.reports.filters import parse_filters
from attract.reports.registry import REPORTS, report_named
from attract.reports.templatetags.report_values import format_value
from attract.reports.views import write_csv


class Command(BaseCommand):
    help = "Print a report's figures, or write them as CSV."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help=f"One of: {', '.join(REPORTS)}.")
        parser.add_argument("--from", dest="start", default="", help="First day, 2026-01-01.")
        parser.add_argument("--to", dest="end", default="", help="Last day, 2026-06-30.")
        parser.add_argument("--owner", default="", help="Only this owner's deals (e-mail).")
        parser.add_argument("--tag", default="", help="Only deals with this tag.")
        parser.add_argument("--csv", action="store_true", help="Write CSV instead of a table.")
        parser.add_argument("--output", default="", help="With --csv: write to this file.")
        parser.add_argument("--as", dest="as_user", metavar="EMAIL", help="Act as this user.")

    def handle(self, *args, name, start, end, owner, tag, csv, output, as_user, **options):
        report = report_named(name)
        if report is None:
            raise CommandError(f"No report named “{name}”. Reports: {', '.join(REPORTS)}.")
        user = acting_user(as_user)
        try:
            filters = parse_filters({"from": start, "to": end, "owner": owner, "tag": tag})
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        figures = report.figures(user=user, filters=filters)
        if csv:
            if output:
                with open(output, "w", newline="", encoding="utf-8") as stream:
                    write_csv(stream, figures)
                self.stdout.write(f"Wrote {len(figures.rows)} rows to {output}.")
            else:
                write_csv(self.stdout, figures)
            return
        self.stdout.write(f"{figures.title} — {filters.describe()}")
        for note in figures.notes:
            self.stdout.write(f"! {note}")
        cells = [
            [format_value(row.get(c.key), c.unit) for c in figures.columns] for row in figures.rows
        ]
        widths = [
            max([len(c.label)] + [len(line[i]) for line in cells])
            for i, c in enumerate(figures.columns)
        ]
        self.stdout.write(
            "  ".join(c.label.ljust(w) for c, w in zip(figures.columns, widths, strict=True))
        )
        for line in cells:
            self.stdout.write("  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)))
