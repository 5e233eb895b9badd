"""`attract departures`: why customers left over a period, by reason beside the published
figures, and the latest departures — through the same selectors as the web page."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from attract.accounts.management.command_users import acting_user
from attract.accounts.management.terminal_output import new_table, print_table
from attract.aftercare.departure_selectors import SOURCES, visible_departures, why_they_leave


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{option}: write the date as YYYY-MM-DD.") from exc


class Command(BaseCommand):
    help = "Why customers left: by reason beside the published figures, and the latest."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--start", help="From this day (YYYY-MM-DD; default a year ago).")
        parser.add_argument("--end", help="Until this day (YYYY-MM-DD; default today).")
        parser.add_argument("--source", default="all", choices=sorted(SOURCES))
        parser.add_argument("--limit", type=int, default=20, help="Latest departures shown.")
        parser.add_argument("--as", dest="as_user", metavar="EMAIL", help="Act as this user.")

    def handle(self, *args, start, end, source, limit, as_user, **options) -> None:
        if limit < 0:
            raise CommandError("--limit must be 0 or more.")
        user = acting_user(as_user)
        end_day = _day(end, "--end") if end else timezone.localdate()
        start_day = _day(start, "--start") if start else end_day - timedelta(days=365)
        figures = why_they_leave(user=user, start=start_day, end=end_day, source=source)
        table = new_table("Reason", "Control", "Ours", "Share", "Published", "Lost profit/yr")
        for row in figures.rows:
            table.add_row(
                row.label,
                row.control or "—",
                str(row.count),
                f"{row.share:.1f}%",
                f"{row.published}%" if row.published is not None else "—",
                f"{row.profit:,.2f}",
            )
        print_table(self.stdout, table)
        self.stdout.write(
            f"{figures.total:,} left between {start_day} and {end_day}; "
            f"{figures.share_in_control:.1f}% for reasons in our control "
            f"(published: {figures.published_in_control}%)."
        )
        if not limit:
            return
        latest = (
            visible_departures(user)
            .filter(departed_on__gte=start_day, departed_on__lte=end_day)
            .select_related("company")[:limit]
        )
        table = new_table("#", "Customer", "Left on", "Our guess", "Their answer")
        for d in latest:
            table.add_row(str(d.pk), d.company.name, str(d.departed_on), d.reason_label,
                          d.customer_reason_label or "—")  # fmt: skip
        print_table(self.stdout, table)
