"""`attract engagement_refresh`: count again what the engagement pages store (each deal's last
pull, the judged past weeks, each user's goal counts per day), set-based. Needed after writing
deals or interactions in bulk, after changing ATTRACT_QUICK_REPLY_HOURS, or after a user
changed time zone; the services keep everything in step otherwise."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from attract.engagement.scheduled import engagement_refresh


class Command(BaseCommand):
    help = "Count again each deal's last pull, the weekly shares of Pull and the goal counts."

    def handle(self, *args, **options) -> None:
        # The same work the worker does every night, run here and now.
        counted = engagement_refresh.call()
        self.stdout.write(
            f"{counted['deals']} deals with a pull signal, {counted['weeks']} past weeks judged, "
            f"{counted['days']} goal counts per day, "
            f"{counted['response_days']} response-time counts."
        )
