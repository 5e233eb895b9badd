"""`attract initiatives list`: joint initiatives ranked by what they brought (won profit,
then won revenue, then people), through the same selector as the web page and the API."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from attract.accounts.management.command_users import acting_user
from attract.accounts.management.terminal_output import new_table, print_table
from attract.partners.initiative_selectors import INITIATIVE_SORTS, initiative_list_for_user
from attract.partners.models import InitiativeKind


class Command(BaseCommand):
    help = "List joint initiatives with what they brought."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="list|recount")
        actions.add_parser(
            "recount",
            help="Count what every initiative brought again (after a bulk import of deals).",
        )
        listing = actions.add_parser("list", help="Show initiatives in a table, best first.")
        listing.add_argument("--search", default="", help="Words of the title or topic.")
        listing.add_argument("--kind", default="", choices=["", *InitiativeKind.values])
        listing.add_argument("--sort", default="brought", choices=sorted(INITIATIVE_SORTS))
        listing.add_argument("--limit", type=int, default=50, help="At most this many rows.")
        listing.add_argument("--as", dest="as_user", metavar="EMAIL", help="Act as this user.")

    def handle(self, *args, action, **options) -> None:
        if action == "recount":
            from attract.partners.figures import recount_all

            changed = recount_all()
            self.stdout.write(f"{changed} initiative(s) had their figures corrected.")
            return
        self._list(**options)

    def _list(self, *, search, kind, sort, limit, as_user, **options) -> None:
        if limit < 1:
            raise CommandError("--limit must be 1 or more.")
        user = acting_user(as_user)
        rows = initiative_list_for_user(
            user=user, search=search.replace("\x00", ""), kind=kind, sort=sort
        )
        total = rows.count()
        table = new_table(
            "#", "Date", "Initiative", "Partners", "Our role", "People", "Deals", "Won", "Profit"
        )
        for row in rows[:limit]:
            table.add_row(
                str(row.pk),
                row.held_on.isoformat(),
                row.title,
                ", ".join(str(p) for p in row.partners.all()),
                row.get_our_role_display(),
                str(row.people_count),
                str(row.deal_count),
                f"{row.won_revenue:,.2f}",
                f"{row.won_profit:,.2f}",
            )
        print_table(self.stdout, table)
        self.stdout.write(f"{min(total, limit):,} of {total:,} initiatives shown.")
