"""`attract pipeline`: the board summary and the forecast as tables, from the same selectors
as the web pages."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from attract.accounts.management.command_users import acting_user, user_by_email
from attract.accounts.management.terminal_output import new_table, print_table
from attract.pipeline.calibration import forecast_calibration
from attract.pipeline.forecasting import decision_times, forecast_by_month, profit_ranking
from attract.pipeline.selectors import deal_board


def _money(value) -> str:
    return f"{value:,.2f}"


class Command(BaseCommand):
    help = "Show the pipeline: stages with their totals, the forecast and the profit ranking."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--owner", default="", metavar="EMAIL", help="Only this owner's deals.")
        parser.add_argument("--tag", default="", help="Only deals with this tag.")
        parser.add_argument("--as", dest="as_user", metavar="EMAIL", help="Act as this user.")

    def handle(self, *args, owner: str, tag: str, as_user: str | None, **options) -> None:
        user = acting_user(as_user)
        owner_id = user_by_email(owner, option="--owner").pk if owner else None
        board = deal_board(user=user, owner_id=owner_id, tag=tag, cards_per_stage=0)

        stages = new_table("Stage", "Chance", "Deals", "Total", "Weighted", title="Pipeline")
        for column in board.columns:
            stages.add_row(
                column.label,
                f"{column.probability}%",
                str(column.count),
                _money(column.total),
                _money(column.weighted_total),
            )
        stages.add_row(
            "All open", "", str(board.count), _money(board.total), _money(board.weighted_total)
        )
        print_table(self.stdout, stages)

        forecast = forecast_by_month(user=user, owner_id=owner_id)
        months = new_table(
            "Close month",
            "Deals",
            "Revenue",
            "Weighted (configured)",
            "Weighted (learned)",
            title="Forecast",
        )
        for month in [*forecast.months, forecast.totals]:
            label = month.month.strftime("%Y-%m") if month.month else "No date"
            if month is forecast.totals:
                label = "Total"
            months.add_row(
                label,
                str(month.count),
                _money(month.revenue),
                _money(month.weighted_configured),
                _money(month.weighted_learned),
            )
        print_table(self.stdout, months)

        chances = new_table("Stage", "Configured", "Learned", "Sample", title="Learned chances")
        for chance in forecast.chances.values():
            chances.add_row(
                chance.label,
                f"{chance.configured}%",
                f"{chance.learned:.0f}%",
                f"{chance.won} won of {chance.reached}"
                + (" (small sample)" if chance.is_small_sample else ""),
            )
        print_table(self.stdout, chances)

        self._calibration()

        ranking = new_table("Owner", "Profit won", "Revenue won", "Deals", title="Profit ranking")
        for row in profit_ranking(user=user):
            ranking.add_row(
                row.owner.display_name if row.owner else "Nobody",
                _money(row.profit),
                _money(row.revenue),
                str(row.won),
            )
        print_table(self.stdout, ranking)

        times = decision_times(user=user)
        to_no = f"{times.to_no.days} days" if times.to_no is not None else "—"
        to_yes = f"{times.to_yes.days} days" if times.to_yes is not None else "—"
        self.stdout.write(f"Median time to a no: {to_no}. Median time to a yes: {to_yes}.")

    def _calibration(self) -> None:
        result = forecast_calibration()
        if not result.forecasts:
            self.stdout.write("Calibration: no closed deal yet.")
            return
        table = new_table("Chance given", "Forecasts", "Mean chance", "Won", title="Calibration")
        for band in result.occupied_bins:
            table.add_row(
                band.label, str(band.count), f"{band.mean_chance:.1f}%", f"{band.won_share:.1f}%"
            )
        print_table(self.stdout, table)
        self.stdout.write(
            f"Brier score: {result.brier:.3f} learned, {result.configured_brier:.3f} configured "
            f"({result.forecasts} forecasts of {result.deals} closed deals; 0 is perfect)."
        )
