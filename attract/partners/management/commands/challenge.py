"""`attract challenge start|today|status [--met PERSON_ID]`: the 21-day challenge from the
terminal, with the same rules as its page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from attract.accounts.management.command_users import acting_user
from attract.core.permissions import name_seen_by, visible_to
from attract.partners import challenge as rules
from attract.people.models import Person

MARKS = {"met": "■", "missed": "·", "today": "□", "to_come": " "}


class Command(BaseCommand):
    help = "The 21-day challenge: meet a new potential collaborator every day."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["start", "today", "status"])
        parser.add_argument("--met", metavar="PERSON_ID", help="today: who you met.")
        parser.add_argument("--note", default="", help="today: what you talked about.")
        parser.add_argument("--as", dest="as_user", metavar="EMAIL", help="Act as this user.")

    def handle(self, *args, action, met, note, as_user, **options) -> None:
        user = acting_user(as_user)
        try:
            if action == "start":
                rules.challenge_start(actor=user)
            elif action == "today" and met:
                person = None
                if met.isdigit() and int(met) < 2**31:
                    person = visible_to(Person.objects, user).filter(pk=int(met)).first()
                if person is None:
                    raise CommandError(f"No person with the id {met}.")
                rules.challenge_meet(actor=user, person=person, note=note)
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError(" ".join(messages)) from exc
        latest = rules.latest_challenge(user)
        if latest is None:
            self.stdout.write("No challenge yet: `attract challenge start`.")
            return
        status = rules.challenge_status(latest, user=user)
        if action == "today":
            if not status.running:
                self.stdout.write("No challenge is running: `attract challenge start`.")
            elif status.today_met:
                met_today = next(
                    d for d in status.days if d.state == "met" and d.day == rules.local_today(user)
                )
                self.stdout.write(
                    f"Today counts: you met {name_seen_by(user, met_today.meeting.person)}."
                )
            else:
                self.stdout.write(
                    "Today: meet or speak with a new potential collaborator (--met PERSON_ID)."
                )
        grid = "".join(MARKS[d.state] for d in status.days)
        self.stdout.write(f"[{grid}] {status.met} of 21 met, streak {status.streak}, "
                          f"{len(status.referrals)} referrals from them.")  # fmt: skip
