"""Do the chances deserve trust? For closed deals, the chance the forecast gave them against how
often such deals were won, and the Brier score, for the learned chances and for the configured
ones side by side.

Each closed deal is scored at every stage it reached (while it stood there, the forecast gave
it that stage's chance), against its outcome: won 1, lost 0. The learned chance a deal gets is
the one learned from the deals closed *before* it (in the order they closed), as the forecast
would have shown it then; scoring a deal with chances learned from itself would flatter them.
The Brier score is the mean of (chance − outcome)²: 0 is perfect, 0.25 is what a constant 50%
scores, lower is better.

One query reads the closed deals' furthest stage and outcome in closing order (two small
columns, through the closed-deals index); the rest is counting.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from attract.pipeline.forecasting import PRIOR_WEIGHT
from attract.pipeline.models import STAGE_ORDER, Deal, Outcome
from attract.pipeline.selectors import stage_settings

BIN_COUNT = 10  # 0–10%, 10–20%, … 90–100%


@dataclass
class CalibrationBin:
    low: int  # percent
    high: int
    count: int = 0  # forecasts in this bin (a deal counts once per stage it reached)
    chance_sum: float = 0.0  # the chances given, summed (percent)
    won: int = 0

    @property
    def label(self) -> str:
        return f"{self.low}–{self.high}%"

    @property
    def mean_chance(self) -> float | None:
        return self.chance_sum / self.count if self.count else None

    @property
    def won_share(self) -> float | None:
        return 100 * self.won / self.count if self.count else None


@dataclass
class Calibration:
    """The learned chances' record; `configured_brier` scores the configured percentages on
    the same forecasts, for comparison."""

    deals: int = 0  # closed deals (won or lost) scored
    forecasts: int = 0  # (deal, stage reached) pairs scored: the Brier score's sample
    brier: float | None = None
    configured_brier: float | None = None
    bins: list[CalibrationBin] = field(default_factory=list)

    @property
    def occupied_bins(self) -> list[CalibrationBin]:
        return [b for b in self.bins if b.count]


def _learned(won: int, reached: int, configured: int) -> float:
    """The same blend as LearnedChance.learned, in percent."""
    return 100 * (won + PRIOR_WEIGHT * configured / 100) / (reached + PRIOR_WEIGHT)


def _bin_index(chance: float) -> int:
    return min(BIN_COUNT - 1, int(chance * BIN_COUNT / 100))


def forecast_calibration() -> Calibration:
    """Over every closed deal (as the learned chances are learned from every closed deal)."""
    configured = [stage_settings()[stage].probability for stage in STAGE_ORDER]
    step = 100 // BIN_COUNT
    result = Calibration(
        bins=[CalibrationBin(low=i * step, high=(i + 1) * step) for i in range(BIN_COUNT)]
    )
    reached = [0] * len(STAGE_ORDER)
    won = [0] * len(STAGE_ORDER)
    squared = configured_squared = 0.0
    rows = (
        Deal.objects.filter(outcome__in=[Outcome.WON, Outcome.LOST])
        .order_by("closed_at", "id")
        .values_list("furthest_stage_index", "outcome")
    )
    for furthest, outcome in rows.iterator(chunk_size=5000):
        is_won = outcome == Outcome.WON
        hit = 1.0 if is_won else 0.0
        result.deals += 1
        for index in range(furthest + 1):
            chance = _learned(won[index], reached[index], configured[index])
            squared += (chance / 100 - hit) ** 2
            configured_squared += (configured[index] / 100 - hit) ** 2
            box = result.bins[_bin_index(chance)]
            box.count += 1
            box.chance_sum += chance
            box.won += is_won
        # Learned from now on: this deal counts for the deals that close after it.
        for index in range(furthest + 1):
            reached[index] += 1
            won[index] += is_won
        result.forecasts += furthest + 1
    if result.forecasts:
        result.brier = squared / result.forecasts
        result.configured_brier = configured_squared / result.forecasts
    return result
