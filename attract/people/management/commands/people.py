"""`attract people list|add`: persons from the terminal, through the same selectors and
services as the web pages and the API."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from attract.accounts.management.command_users import acting_user, user_by_email
from attract.accounts.management.terminal_output import (
    new_table,
    print_table,
    validation_message,
)
from attract.core.permissions import name_seen_by
from attract.core.phone_numbers import display_phone
from attract.people.management.company_lookup import company_by_name
from attract.people.models import Person
from attract.people.selectors import person_list_for_user
from attract.people.services import person_create


def split_full_name(full_name: str) -> tuple[str, str]:
    """'Ann Marie Lee' → ('Ann Marie', 'Lee'); a single word, e.g. '王伟', is a first name."""
    words = full_name.split()
    if len(words) < 2:
        return " ".join(words), ""
    return " ".join(words[:-1]), words[-1]


def _person_row(person: Person, user) -> list[str]:
    emails = list(person.emails.all())
    phones = list(person.phones.all())
    return [
        str(person.pk),
        person.full_name,
        # As the web list shows it to this user: someone else's private company is
        # "a private company".
        name_seen_by(user, person.company),
        emails[0].email if emails else "",
        display_phone(phones[0].number) if phones else "",
        person.owner.display_name if person.owner else "",
        ", ".join(t.name for t in person.tags.all()),
    ]


PERSON_COLUMNS = ("#", "Name", "Company", "Email", "Phone", "Owner", "Tags")


class Command(BaseCommand):
    help = "List or add persons."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="list|add")

        listing = actions.add_parser("list", help="Show persons in a table.")
        listing.add_argument("--search", default="", help="Words of the name, or an email.")
        listing.add_argument("--tag", default="", help="Only persons with this tag.")
        listing.add_argument("--owner", default="", metavar="EMAIL", help="Only this owner's.")
        listing.add_argument("--company", default="", metavar="NAME", help="Only this company's.")
        listing.add_argument("--limit", type=int, default=50, help="At most this many rows.")
        listing.add_argument("--as", dest="as_user", metavar="EMAIL", help="Act as this user.")

        adding = actions.add_parser("add", help="Add a person.")
        adding.add_argument("full_name", metavar="FULL_NAME", help='e.g. "Ann Lee"')
        adding.add_argument("--email", action="append", default=[], help="Repeat for more.")
        adding.add_argument("--phone", action="append", default=[], help="Repeat for more.")
        adding.add_argument("--company", default="", metavar="NAME", help="An existing company.")
        adding.add_argument("--title", default="", help="Job title.")
        adding.add_argument("--tag", action="append", default=[], help="Repeat for more.")
        adding.add_argument("--as", dest="as_user", metavar="EMAIL", help="Act as this user.")

    def handle(self, *args, action: str, **options) -> None:
        user = acting_user(options["as_user"])
        if action == "list":
            self._list(user, **options)
        else:
            self._add(user, **options)

    def _list(self, user, *, search, tag, owner, company, limit, **options) -> None:
        if limit < 1:
            raise CommandError("--limit must be 1 or more.")
        persons = person_list_for_user(
            user=user,
            search=search,
            tag=tag,
            owner_id=user_by_email(owner, option="--owner").pk if owner else None,
            company_id=company_by_name(user, company, option="--company").pk if company else None,
        )
        total = persons.count()
        table = new_table(*PERSON_COLUMNS)
        for person in persons[:limit]:
            table.add_row(*_person_row(person, user))
        print_table(self.stdout, table)
        shown = min(total, limit)
        self.stdout.write(f"{shown:,} of {total:,} persons shown.")

    def _add(self, user, *, full_name, email, phone, company, title, tag, **options) -> None:
        first_name, last_name = split_full_name(full_name)
        try:
            person = person_create(
                actor=user,
                first_name=first_name,
                last_name=last_name,
                job_title=title,
                company=company_by_name(user, company, option="--company") if company else None,
                emails=email,
                phones=phone,
                tags=tag,
            )
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        # Read back through the selector, so the row shows what was stored (normalised).
        stored = person_list_for_user(user=user).get(pk=person.pk)
        table = new_table(*PERSON_COLUMNS)
        table.add_row(*_person_row(stored, user))
        print_table(self.stdout, table)
        self.stdout.write(f"Added {stored.full_name} (#{stored.pk}).")
