"""`attract care`: the customers at risk (most valuable first, with the evidence) and the
care steps due; `attract care done STEP`: do a step (logs the interaction); `attract care
events|offers|ideas`: the events for customers, the offers and who took them, the ideas from
customers. Through the same selectors and services as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from attract.accounts.management.command_users import acting_user
from attract.accounts.management.terminal_output import new_table, print_table
from attract.aftercare import care_plan_services as plans
from attract.aftercare import care_selectors as selectors
from attract.aftercare import customer_love_selectors as love
from attract.aftercare.models import CareStep
from attract.core.permissions import can_view_record


class Command(BaseCommand):
    help = "Customers at risk and care steps due; `care done STEP` does a step."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "action",
            nargs="?",
            default="list",
            choices=["list", "done", "events", "offers", "ideas"],
        )
        parser.add_argument("step", nargs="?", type=int, help="The step's number (for done).")
        parser.add_argument("--summary", default="", help="What came of the step.")
        parser.add_argument("--everyone", action="store_true", help="Steps due for everyone.")
        parser.add_argument("--limit", type=int, default=20, help="At most this many rows.")
        parser.add_argument("--as", dest="as_user", metavar="EMAIL", help="Act as this user.")

    def handle(self, *args, action, step, summary, everyone, limit, as_user, **options) -> None:
        user = acting_user(as_user)
        if limit < 1:
            raise CommandError("--limit must be 1 or more.")
        if action == "done":
            self._done(user, step, summary.replace("\x00", ""))
            return
        if action in ("events", "offers", "ideas"):
            getattr(self, f"_{action}")(user, limit)
            return
        total = selectors.at_risk_queryset(user).count()
        table = new_table("Customer", "Profit", "Why")
        for row in selectors.at_risk(user, limit=limit):
            table.add_row(str(row.customer), f"{row.care.profit:,.2f}",
                          "; ".join(e.text for e in row.evidence))  # fmt: skip
        self.stdout.write("Customers who may feel ignored (most valuable first):")
        print_table(self.stdout, table)
        self.stdout.write(f"{min(total, limit):,} of {total:,} customers at risk shown.")
        steps = selectors.steps_due(user, everyone=everyone, limit=limit)
        table = new_table("Step", "Due", "What", "Customer", "Who")
        for s in steps:
            table.add_row(str(s.pk), s.due_on.isoformat(), s.title, str(s.care.customer),
                          s.assignee.display_name if s.assignee else "—")  # fmt: skip
        self.stdout.write("Care steps due:")
        print_table(self.stdout, table)
        if steps:
            self.stdout.write('Do one: attract care done STEP --summary "what came of it"')

    def _done(self, user, pk: int | None, summary: str) -> None:
        if pk is None:
            raise CommandError("Say which step: attract care done STEP.")
        step = CareStep.objects.select_related("care__company", "care__person").filter(pk=pk)
        step = step.first()
        if step is None or not can_view_record(user, step.care.customer):
            raise CommandError(f"No care step {pk}.")
        try:
            step = plans.care_step_done(actor=user, step=step, summary=summary)
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError(" ".join(messages)) from exc
        when = timezone.localtime(step.done_at).strftime("%Y-%m-%d %H:%M")
        self.stdout.write(f"Done: {step.title} with {step.care.customer} ({when}), logged.")

    def _events(self, user, limit: int) -> None:
        table = new_table("Event", "Kind", "Held on", "Invited", "Came")
        for e in love.event_list(user)[:limit]:
            table.add_row(e.title, e.get_kind_display(), e.held_on.isoformat(), str(e.invited),
                          str(e.came_count))  # fmt: skip
        self.stdout.write("Events for customers (newest first):")
        print_table(self.stdout, table)

    def _offers(self, user, limit: int) -> None:
        table = new_table("Offered", "To", "Taken", "Declined")
        for row in love.offer_takers(user)[:limit]:
            table.add_row(row["what"], str(row["offered"]), str(row["taken"]),
                          str(row["declined"]))  # fmt: skip
        self.stdout.write("Offers to customers, and who took them:")
        print_table(self.stdout, table)

    def _ideas(self, user, limit: int) -> None:
        table = new_table("Idea", "Status", "Inspired by")
        for idea in love.idea_list(user)[:limit]:
            names = [str(c) for c in idea.inspired_companies + idea.inspired_persons]
            table.add_row(idea.title, idea.get_status_display(), ", ".join(names) or "—")
        self.stdout.write("Ideas from customers (newest first):")
        print_table(self.stdout, table)
