"""`attract survey link CUSTOMER`: a private exit-survey link for a departed customer (the
company's id or exact name), printed once to be passed on."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from attract.accounts.management.command_users import acting_user
from attract.aftercare.departure_selectors import visible_departures
from attract.aftercare.survey_services import survey_link_create, survey_link_email


class Command(BaseCommand):
    help = "Exit surveys: create a private link for a departed customer."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="link")
        link = actions.add_parser("link", help="Create a survey link (shown once).")
        link.add_argument("customer", help="The company's id or exact name.")
        link.add_argument("--base-url", default="http://localhost:8000",
                          help="The address customers reach Attract at.")  # fmt: skip
        link.add_argument("--email", action="store_true", help="E-mail it to the contact.")
        link.add_argument("--as", dest="as_user", metavar="EMAIL", help="Act as this user.")

    def handle(self, *args, customer, base_url, email, as_user, **options) -> None:
        user = acting_user(as_user)
        customer = customer.replace("\x00", "").strip()
        departures = visible_departures(user).select_related("company", "contact")
        if customer.isdigit():
            departures = departures.filter(company_id=int(customer))
        else:
            departures = departures.filter(company__name__iexact=customer)
        departure = departures.order_by("-departed_on", "-id").first()
        if departure is None:
            raise CommandError(f"No departed customer {customer!r} that you can see.")
        try:
            link, raw = survey_link_create(actor=user, departure=departure)
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        url = base_url.rstrip("/") + reverse("aftercare:survey", args=[raw])
        self.stdout.write(f"Exit survey for {departure.company.name} (works once, until "
                          f"{link.expires_at:%Y-%m-%d}):\n{url}")  # fmt: skip
        if email:
            address = departure.contact.emails.first() if departure.contact else None
            if address is None:
                raise CommandError("No contact with an e-mail address on this departure.")
            if not survey_link_email(link=link, url=url, to=address.email):
                raise CommandError("The mail server refused the e-mail; pass the link on yourself.")
            self.stdout.write(f"E-mailed to {address.email}.")
