"""`attract webhooks list|add URL [--event NAME…]|test ID`: webhooks from a shell."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from attract.accounts.models import Role, User
from attract.webhooks import selectors, services
from attract.webhooks.dispatch import record_attempt, send
from attract.webhooks.models import Subscription


class Command(BaseCommand):
    help = "List webhook subscriptions, add one, or send one a ping now."

    def add_arguments(self, parser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        listing = verbs.add_parser("list", help="Every subscription with its state.")
        add = verbs.add_parser("add", help="Subscribe a URL; prints its secret once.")
        add.add_argument("url")
        add.add_argument("--event", action="append", default=[], help="Repeatable; none: all.")
        add.add_argument("--description", default="")
        test = verbs.add_parser("test", help="Send a ping now and print the answer.")
        test.add_argument("id", type=int)
        for sub in (listing, add, test):
            sub.add_argument("--as", dest="as_email", default=None, help="Act as this user.")

    def handle(self, *args, verb: str, as_email: str | None, **options) -> None:
        actor = self._actor(as_email)
        try:
            services.require_webhook_manager(actor)
            getattr(self, f"_{verb}")(actor, **options)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

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

    def _list(self, actor: User, **options) -> None:
        table = Table("ID", "URL", "Events", "State", "Waiting", "Failed")
        for sub in selectors.subscription_list():
            state = "on" if sub.is_active else f"off: {sub.disabled_reason}"
            events = ", ".join(sub.events) or "every event"
            table.add_row(str(sub.pk), sub.url, events, state, str(sub.pending), str(sub.failed))
        Console(file=self.stdout, width=160).print(table)

    def _add(self, actor: User, *, url: str, event: list[str], description: str, **options) -> None:
        subscription, secret = services.subscription_create(
            actor=actor, url=url, events=event, description=description
        )
        self.stdout.write(f"Webhook {subscription.pk} sends to {subscription.url}.")
        self.stdout.write(f"Signing secret (shown once): {secret}")

    def _test(self, actor: User, *, id: int, **options) -> None:
        subscription = Subscription.objects.filter(pk=id, deleted_at__isnull=True).first()
        if subscription is None:
            raise CommandError(f"No webhook has the id {id}.")
        delivery = services.subscription_ping(actor=actor, subscription=subscription)
        # A shell waits for its answer, so the ping goes now rather than through the worker.
        outcome = send(subscription, delivery)
        record_attempt(subscription, delivery, outcome)
        answer = f"HTTP {outcome.status_code}" if outcome.status_code else outcome.error
        self.stdout.write(f"Ping {delivery.message_id}: {answer} in {outcome.duration_ms} ms.")
        if not outcome.accepted:
            raise CommandError("The receiver did not accept the ping.")
