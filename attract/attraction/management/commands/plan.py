"""`attract plan show`: the Strategic Attraction Plan in the terminal, from the same
selectors as the plan page. `attract plan refit`: recompute every stored fit score (after
bulk inserts that went around the services)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from attract.accounts.management.command_users import acting_user
from attract.accounts.management.terminal_output import new_table, print_table
from attract.attraction import selectors
from attract.attraction.services import fit_scores_rebuild, plan_get


class Command(BaseCommand):
    help = "Show the Strategic Attraction Plan (`attract plan show`) or refit every fit score."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "action",
            choices=["show", "refit"],
            help="show: print the plan; refit: recompute every stored fit score",
        )
        parser.add_argument("--as", dest="as_user", metavar="EMAIL", help="Act as this user.")

    def handle(self, *args, action: str, as_user: str | None, **options) -> None:
        if action == "refit":
            count = fit_scores_rebuild()
            self.stdout.write(f"Fit scores recomputed: {count} companies and persons have one.")
            return
        if action != "show":
            raise CommandError(f"Unknown action {action}.")
        user = acting_user(as_user)
        plan = plan_get()
        statement = selectors.statement_for(plan)
        if statement:
            self.stdout.write(statement)
        self.stdout.write(
            f"Perfect customers: {selectors.perfect_customer_count(user)} "
            f"of {plan.perfect_number} this year"
        )
        qualities = new_table("Quality", "Weight", title="1. Qualities of my perfect customer")
        for quality in selectors.active_qualities(plan):
            qualities.add_row(quality.text, str(quality.weight))
        print_table(self.stdout, qualities)
        questions = new_table("Question", "Answer", title="2. What makes them tick")
        for question in selectors.active_questions(plan):
            questions.add_row(question.text, question.answer or "—")
        print_table(self.stdout, questions)
        expectations = new_table("Category", "What they can expect", title="3. What they expect")
        for item in selectors.active_expectations(plan):
            expectations.add_row(item.get_category_display(), item.commitment)
        print_table(self.stdout, expectations)
