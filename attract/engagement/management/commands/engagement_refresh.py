"""`attract engagement_refresh`: count again what the engagement pages store (each deal's last
pull, the judged past weeks, each user's goal counts per day), set-based. Needed after writing
deals or interactions in bulk, after changing ATTRACT_QUICK_REPLY_HOURS, or after a user
changed time zone; the services keep everything in step otherwise."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from attract.engagement.goals import refresh_all_goal_days
from attract.engagement.models import PullShareWeek
from attract.engagement.pushpull import fill_past_weeks, refresh_all_deal_signals


class Command(BaseCommand):
    help = "Count again each deal's last pull, the weekly shares of Pull and the goal counts."

    def handle(self, *args, **options) -> None:
        deals = refresh_all_deal_signals()
        PullShareWeek.objects.all().delete()
        weeks = fill_past_weeks()
        days = refresh_all_goal_days()
        self.stdout.write(
            f"{deals} deals with a pull signal, {weeks} past weeks judged, "
            f"{days} goal counts per day."
        )
