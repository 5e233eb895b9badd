"""`attract refer deal:12 PARTNER_ID --reason "…"`: refer a deal, person or company to a
partner (an open deal leaves the board as "referred out"), or `--in` to record that the
partner referred it to us. The same service and checks as the web page and the API."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from attract.accounts.management.command_users import acting_user
from attract.core.permissions import visible_to
from attract.partners import services
from attract.partners.selectors import visible_partners
from attract.people.models import Company, Person
from attract.pipeline.models import Deal

SUBJECTS = {"deal": Deal, "person": Person, "company": Company}


def _number(text: str, what: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 2**31:
        raise CommandError(f"{what} must be a number, as shown by the lists.")
    return int(text)


class Command(BaseCommand):
    help = "Refer a deal, person or company to a partner, or record one they referred to us."

    def add_arguments(self, parser) -> None:
        parser.add_argument("subject", metavar="deal:ID|person:ID|company:ID")
        parser.add_argument("partner", metavar="PARTNER_ID")
        parser.add_argument("--reason", default="", help="Why this partner.")
        parser.add_argument(
            "--value", default=None, help="Its value (the deal's revenue if left out)."
        )
        parser.add_argument(
            "--in", dest="came_in", action="store_true", help="They referred it to us."
        )
        parser.add_argument("--as", dest="as_user", metavar="EMAIL", help="Act as this user.")

    def handle(self, *args, subject, partner, reason, value, came_in, as_user, **options) -> None:
        user = acting_user(as_user)
        kind, _, raw = subject.partition(":")
        model = SUBJECTS.get(kind)
        if model is None:
            raise CommandError("Name the subject as deal:ID, person:ID or company:ID.")
        # Someone else's private record and a missing one get the same answer.
        record = visible_to(model.objects.all(), user).filter(pk=_number(raw, kind)).first()
        if record is None:
            raise CommandError(f"No {kind} with the id {raw}.")
        chosen = visible_partners(user).filter(pk=_number(partner, "PARTNER_ID")).first()
        if chosen is None:
            raise CommandError(f"No partner with the id {partner} (see `attract partners list`).")
        try:
            referral = services.referral_create(
                actor=user, partner=chosen, direction="in" if came_in else "out",
                reason=reason, value=value, **{kind: record},
            )  # fmt: skip
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        arrow = "from" if came_in else "to"
        self.stdout.write(f"Referral recorded: {record} {arrow} {chosen} ({referral.value:,.2f}).")
