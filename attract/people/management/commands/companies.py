"""`attract companies list`: companies in a table, through the same selector as the web page."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from attract.accounts.management.command_users import acting_user, user_by_email
from attract.accounts.management.terminal_output import new_table, print_table
from attract.people.models import Relationship
from attract.people.selectors import company_list_for_user


class Command(BaseCommand):
    help = "List companies."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="list")
        listing = actions.add_parser("list", help="Show companies in a table.")
        listing.add_argument("--search", default="", help="Words of the name.")
        listing.add_argument("--tag", default="", help="Only companies with this tag.")
        listing.add_argument("--owner", default="", metavar="EMAIL", help="Only this owner's.")
        listing.add_argument(
            "--relationship", default="", choices=[r.value for r in Relationship], help="Filter."
        )
        listing.add_argument("--limit", type=int, default=50, help="At most this many rows.")
        listing.add_argument("--as", dest="as_user", metavar="EMAIL", help="Act as this user.")

    def handle(self, *args, search, tag, owner, relationship, limit, as_user, **options) -> None:
        if limit < 1:
            raise CommandError("--limit must be 1 or more.")
        user = acting_user(as_user)
        companies = company_list_for_user(
            user=user,
            search=search,
            tag=tag,
            relationship=relationship,
            owner_id=user_by_email(owner, option="--owner").pk if owner else None,
        )
        total = companies.count()
        table = new_table("#", "Name", "Relationship", "Industry", "City", "Owner", "Tags")
        for company in companies[:limit]:
            table.add_row(
                str(company.pk),
                company.name,
                company.get_relationship_display(),
                company.industry,
                company.city,
                company.owner.display_name if company.owner else "",
                ", ".join(t.name for t in company.tags.all()),
            )
        print_table(self.stdout, table)
        self.stdout.write(f"{min(total, limit):,} of {total:,} companies shown.")
