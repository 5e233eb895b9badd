"""`attract today`: the Today page in the terminal, from the same selectors."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from attract.accounts.management.command_users import acting_user
from attract.accounts.management.terminal_output import new_table, print_table
from attract.engagement.today import today_for_user


class Command(BaseCommand):
    help = "Your day: awaiting our reply, tasks due, goals, Push deals and long maybes."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--as", dest="as_user", metavar="EMAIL", help="Act as this user.")

    def handle(self, *args, as_user: str | None, **options) -> None:
        user = acting_user(as_user)
        today = today_for_user(user=user)
        table = new_table("Goal", "Progress", "Streak", title="Goals")
        for g in today.goals:
            when = "today" if g.period == "day" else "this week"
            mark = " ✓" if g.met else ""
            table.add_row(
                g.label,
                f"{g.current} / {g.target} {when}{mark}",
                f"{g.streak} {g.streak_unit}{'s' if g.streak != 1 else ''}",
            )
        print_table(self.stdout, table)
        table = new_table("From", "What", "Waiting (working h)", title="Awaiting our reply")
        for w in today.awaiting:
            over = " (over target)" if w.over_target else ""
            i = w.interaction
            table.add_row(
                i.counterpart_name,
                f"{i.get_channel_display()}: {i.summary}",
                f"{w.working_hours:.1f}{over}",
            )
        print_table(self.stdout, table)
        table = new_table("Task", "About", "Due", title="Tasks due")
        for t in today.tasks:
            due = t.due_at.strftime("%a %d %b %H:%M") + (" (overdue)" if t.is_overdue else "")
            table.add_row(f"#{t.pk} {t.title}", str(t.subject), due)
        print_table(self.stdout, table)
        table = new_table(
            "Deal", "Stage", "Days in stage", title="Push deals: give them a reason to hear from us"
        )
        for d in today.push_deals:
            table.add_row(f"#{d.pk} {d.title}", d.get_stage_display(), str(d.days_in_stage))
        print_table(self.stdout, table)
        table = new_table("Deal", "Stage", "Days in stage", title="Long maybes")
        for d in today.long_maybes:
            table.add_row(f"#{d.pk} {d.title}", d.get_stage_display(), str(d.days_in_stage))
        print_table(self.stdout, table)
