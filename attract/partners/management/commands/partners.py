"""`attract partners list`: partners with their alliance step and referrals both ways,
through the same selector as the web page; `attract partners recount`: every partner's
stored referral figures counted again (after a bulk write that bypassed the receivers)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from attract.accounts.management.command_users import acting_user
from attract.accounts.management.terminal_output import new_table, print_table
from attract.partners import partner_figures
from attract.partners.models import Step
from attract.partners.selectors import PARTNER_SORTS, partner_list_for_user

STEPS = dict(Step.choices)


class Command(BaseCommand):
    help = "List partners."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="list|recount")
        actions.add_parser("recount", help="Count every partner's referral figures again.")
        listing = actions.add_parser("list", help="Show partners in a table.")
        listing.add_argument("--search", default="", help="Words of the name.")
        listing.add_argument("--sort", default="name", choices=sorted(PARTNER_SORTS))
        listing.add_argument("--limit", type=int, default=50, help="At most this many rows.")
        listing.add_argument("--as", dest="as_user", metavar="EMAIL", help="Act as this user.")

    def handle(self, *args, action, **options) -> None:
        if action == "recount":
            changed = partner_figures.recount_all()
            self.stdout.write(f"{changed:,} partner{'s' if changed != 1 else ''} recounted.")
            return
        self._list(**options)

    def _list(self, *, search, sort, limit, as_user, **options) -> None:
        if limit < 1:
            raise CommandError("--limit must be 1 or more.")
        user = acting_user(as_user)
        partners = partner_list_for_user(user=user, search=search.replace("\x00", ""), sort=sort)
        total = partners.count()
        table = new_table("#", "Name", "Alliance", "Out", "Out value", "In", "In value")
        for partner in partners[:limit]:
            table.add_row(
                str(partner.pk),
                str(partner),
                STEPS.get(partner.current_step or "", "—"),
                str(partner.out_count),
                f"{partner.out_value:,.2f}",
                str(partner.in_count),
                f"{partner.in_value:,.2f}",
            )
        print_table(self.stdout, table)
        self.stdout.write(f"{min(total, limit):,} of {total:,} partners shown.")
