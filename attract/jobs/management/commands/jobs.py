"""`attract jobs list [--state failed]` and `attract jobs retry ID`: the queue from a shell."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from rich.console import Console
from rich.table import Table

from attract.accounts.models import Role, User
from attract.jobs import selectors
from attract.jobs.services import job_retry, require_job_manager, retention_set


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


class Command(BaseCommand):
    help = "List background tasks by state, or try a failed one again."

    def add_arguments(self, parser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        listing = verbs.add_parser("list", help="Tasks in one state, newest first.")
        listing.add_argument("--state", choices=selectors.STATES, default="failed")
        listing.add_argument("--limit", type=int, default=50)
        retry = verbs.add_parser("retry", help="Run a failed task again now.")
        retry.add_argument("job_id")
        keep = verbs.add_parser(
            "retention", help="Show or set (owner) the days finished work is kept."
        )
        keep.add_argument("days", nargs="?", type=int)
        for sub in (listing, retry, keep):
            sub.add_argument("--as", dest="as_email", default=None, help="Act as this user.")

    def handle(self, *args, verb: str, as_email: str | None, **options) -> None:
        actor = self._actor(as_email)
        if verb == "list":
            self._list(actor, options["state"], options["limit"])
        elif verb == "retention":
            self._retention(actor, options["days"])
        else:
            self._retry(actor, options["job_id"])

    def _retention(self, actor: User, days: int | None) -> None:
        if days is not None:
            try:
                retention_set(actor=actor, days=days)
            except (PermissionDenied, ValidationError) as exc:
                messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                raise CommandError(" ".join(messages)) from exc
        self.stdout.write(f"Finished work is kept for {selectors.retention_days()} days.")

    def _actor(self, email: str | None) -> User:
        users = User.objects.filter(is_active=True)
        user = (
            users.filter(email__iexact=email).first()
            if email
            else users.filter(role=Role.OWNER).order_by("pk").first()
        )
        if user is None:
            raise CommandError(f"No active user {email}." if email else "No owner yet.")
        return user

    def _list(self, actor: User, state: str, limit: int) -> None:
        try:
            require_job_manager(actor)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        if limit < 1:
            raise CommandError("--limit must be at least 1.")
        counts = selectors.job_counts()
        self.stdout.write("  ".join(f"{name}: {counts[name]}" for name in selectors.STATES))
        table = Table("ID", "Task", "Attempts", "Queued", "Finished", "Last error")
        for row in selectors.job_list(state=state)[:limit]:
            job = selectors.JobView.of(row)
            table.add_row(
                job.id,
                job.name,
                str(job.attempts),
                _when(job.enqueued_at),
                _when(job.finished_at),
                job.error[:80],
            )
        Console(file=self.stdout, width=160).print(table)

    def _retry(self, actor: User, job_id: str) -> None:
        try:
            row = job_retry(actor=actor, job_id=job_id)
        except DBTaskResult.DoesNotExist as exc:
            raise CommandError(f"No task has the id {job_id}.") from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Task {row.pk} is queued again.")
