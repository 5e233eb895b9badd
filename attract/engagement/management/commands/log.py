"""`attract log CHANNEL "Person name" --they-reached-out "what happened"`: log an interaction
from the terminal, through the same service as the web page and the API."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from attract.accounts.management.command_users import acting_user
from attract.accounts.management.terminal_output import validation_message
from attract.core.permissions import visible_to
from attract.core.search_text import search_key
from attract.engagement.models import Channel, Direction
from attract.engagement.services import interaction_log
from attract.people.models import Company, Person
from attract.pipeline.models import Deal


def _one(queryset, name: str, noun: str):
    """The single visible record with that name (or "#id"); a missing one and someone else's
    private one get the same answer."""
    if name.startswith("#") and name[1:].isdigit():
        found = list(queryset.filter(pk=int(name[1:])))
    else:
        found = list(queryset.filter(search_name=search_key(name))[:5])
    if not found:
        raise CommandError(f"No {noun} is called “{name}”.")
    if len(found) > 1:
        ids = ", ".join(f"#{r.pk}" for r in found)
        raise CommandError(f"Several {noun}s are called “{name}” ({ids}); name one by its #id.")
    return found[0]


class Command(BaseCommand):
    help = "Log a call, email, meeting, visit, message, letter or event with a person."

    def add_arguments(self, parser) -> None:
        parser.add_argument("channel", choices=Channel.values)
        parser.add_argument("name", help='The person ("Ann Lee" or "#12"); see --company.')
        direction = parser.add_mutually_exclusive_group(required=True)
        for value, label in Direction.choices:
            direction.add_argument(
                f"--{value.replace('_', '-')}", dest=value, metavar="SUMMARY", help=label
            )
        parser.add_argument("--company", action="store_true", help="NAME is a company.")
        parser.add_argument("--deal", type=int, metavar="ID", help="The deal it was about.")
        parser.add_argument("--outcome", default="", help="What came of it.")
        parser.add_argument("--needs-reply", action="store_true", help="We owe them an answer.")
        parser.add_argument("--at", default="", metavar="DATETIME", help="When (ISO 8601).")
        parser.add_argument("--as", dest="as_user", metavar="EMAIL", help="Act as this user.")

    def handle(self, *args, **options) -> None:
        user = acting_user(options["as_user"])
        direction = next(v for v in Direction.values if options.get(v) is not None)
        links: dict = {}
        if options["company"]:
            links["company"] = _one(visible_to(Company.objects, user), options["name"], "company")
        else:
            links["person"] = _one(visible_to(Person.objects, user), options["name"], "person")
        if options["deal"] is not None:
            links["deal"] = _one(visible_to(Deal.objects, user), f"#{options['deal']}", "deal")
        occurred_at = None
        if options["at"]:
            occurred_at = parse_datetime(options["at"])
            if occurred_at is None:
                raise CommandError(f"--at: “{options['at']}” is not a date and time.")
        try:
            interaction = interaction_log(
                actor=user,
                channel=options["channel"],
                direction=direction,
                summary=options[direction],
                outcome=options["outcome"],
                occurred_at=occurred_at,
                needs_reply=True if options["needs_reply"] else None,
                **links,
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc
        waiting = " It awaits our reply." if interaction.needs_reply else ""
        self.stdout.write(
            f"Logged: {interaction.get_channel_display().lower()} with "
            f"{interaction.counterpart_name}, {interaction.get_direction_display().lower()}.{waiting}"
        )
