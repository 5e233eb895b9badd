"""`attract purchases`: who buys again, through the same selectors as the web page and the
API — the share of customers who bought more than once by the year they first bought
(`cohorts`), the one-time buyers to care for (`one-time`), and `recount` to count every
customer's stored purchases again after a bulk import of deals."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from attract.accounts.management.command_users import acting_user
from attract.accounts.management.terminal_output import new_table, print_table
from attract.aftercare.repeat_selectors import ONE_TIME_SORTS, one_time_buyers, repeat_cohorts


class Command(BaseCommand):
    help = "Who buys again: cohorts, one-time buyers, and recounting the stored figures."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="cohorts|one-time|recount"
        )
        cohorts = actions.add_parser("cohorts", help="Share who bought again, by first year.")
        cohorts.add_argument("--as", dest="as_user", metavar="EMAIL", help="Act as this user.")
        once = actions.add_parser("one-time", help="Customers who bought once, to care for.")
        once.add_argument("--sort", default="recent", choices=sorted(ONE_TIME_SORTS))
        once.add_argument("--limit", type=int, default=25, help="At most this many rows.")
        once.add_argument("--as", dest="as_user", metavar="EMAIL", help="Act as this user.")
        actions.add_parser(
            "recount", help="Count every customer's purchases again (after a bulk import)."
        )

    def handle(self, *args, action, **options) -> None:
        if action == "recount":
            from attract.aftercare.purchase_summary import departures_copied, recount_all

            changed = recount_all()
            departures_copied()
            self.stdout.write(
                f"{changed} purchase summar{'y' if changed == 1 else 'ies'} corrected."
            )
            return
        user = acting_user(options["as_user"])
        if action == "cohorts":
            cohorts = repeat_cohorts(user=user)
            table = new_table("First bought", "Customers", "Bought again", "Share")
            for c in cohorts:
                table.add_row(str(c.year), f"{c.customers:,}", f"{c.repeat:,}", f"{c.share:.1f}%")
            print_table(self.stdout, table)
            customers = sum(c.customers for c in cohorts)
            repeat = sum(c.repeat for c in cohorts)
            share = 100 * repeat / customers if customers else 0.0
            self.stdout.write(f"{repeat:,} of {customers:,} customers bought again ({share:.1f}%).")
            return
        if options["limit"] < 1:
            raise CommandError("--limit must be 1 or more.")
        rows = one_time_buyers(user=user, sort=options["sort"])
        table = new_table("#", "Customer", "Bought on", "Profit")
        for row in rows[: options["limit"]]:
            table.add_row(
                str(row.company_id),
                row.name,
                timezone.localdate(row.last_at).isoformat(),
                f"{row.profit:,.2f}",
            )
        print_table(self.stdout, table)
