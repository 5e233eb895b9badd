"""Entry criteria of the five stages, and the two refusals a move can meet.

Criteria are cumulative: jumping from Attention straight to Action must satisfy every gate
on the way, so skipping a stage never skips its question.
"""

from __future__ import annotations

from collections.abc import Callable

from attract.pipeline.models import (
    SENT_QUOTE_STATUSES,
    STAGE_ORDER,
    Deal,
    Stage,
    StageSetting,
    stage_index,
)


def _needs_pain(deal: Deal) -> list[str]:
    if (deal.pain or "").strip():
        return []
    return ["the customer's pain, described in their own words (needed for Interest)"]


def _needs_both_parts_of_conviction(deal: Deal) -> list[str]:
    missing = []
    if not deal.conviction_problem_acknowledged:
        missing.append("the customer acknowledges the problem (needed for Desire)")
    if not deal.conviction_we_are_the_ones:
        missing.append("the customer believes we are the ones to solve it (needed for Desire)")
    return missing


def _needs_a_sent_quote(deal: Deal) -> list[str]:
    if deal.pk and deal.quotes.filter(status__in=SENT_QUOTE_STATUSES).exists():
        return []
    return ["a sent quote (needed for Action)"]


GATES: dict[str, Callable[[Deal], list[str]]] = {
    Stage.INTEREST: _needs_pain,
    Stage.DESIRE: _needs_both_parts_of_conviction,
    Stage.ACTION: _needs_a_sent_quote,
}

GATE_DESCRIPTIONS: dict[str, str] = {
    Stage.ATTENTION: "None: the prospect is willing to listen.",
    Stage.INTEREST: "Needs the customer's pain, in their own words.",
    Stage.CONVICTION: "None: a two-way dialogue has shown what matters to them.",
    Stage.DESIRE: "Needs both parts of Conviction: they acknowledge the problem, and believe "
    "we are the ones to solve it.",
    Stage.ACTION: "Needs a sent quote.",
}


def missing_criteria(
    deal: Deal, target: str, settings: dict[str, StageSetting] | None = None
) -> list[str]:
    """What still has to hold before the deal may move forward to `target` (empty: nothing).
    A stage whose criteria an admin switched off asks for nothing."""
    if settings is None:
        from attract.pipeline.selectors import stage_settings

        settings = stage_settings()
    start = stage_index(deal.stage) + 1 if deal.pk else 1
    missing: list[str] = []
    for stage in STAGE_ORDER[start : stage_index(target) + 1]:
        check = GATES.get(stage)
        if check is not None and settings[stage].enforce_entry_criteria:
            missing.extend(check(deal))
    return missing


class StageGateRefused(Exception):
    """A forward move whose entry criteria do not hold. `missing` lists each unmet one."""

    def __init__(self, *, deal: Deal, stage: str, missing: list[str]) -> None:
        self.deal = deal
        self.stage = stage
        self.missing = missing
        label = Stage(stage).label
        super().__init__(
            f"“{deal.title}” cannot move to {label} yet. Missing: {'; '.join(missing)}."
        )
