"""The chance each stage gave at a moment in the past: the configured percentage from the
stage settings' history, and the learned counts (won, reached) from the deals closed before
it. The forecast check and its monthly snapshots both read them."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Case, Count, IntegerField, Value, When

from attract.pipeline.models import DEFAULT_STAGE_SETTINGS, STAGE_ORDER, Deal, Outcome, StageSetting


def configured_chances_at(moments: list[datetime]) -> list[dict[str, int]]:
    """The configured percentage of each stage at each moment, from the settings' history (a
    stage with no change recorded before the moment has its default)."""
    changes = list(
        StageSetting.history.order_by("history_date", "history_id").values_list(
            "stage", "probability", "history_date"
        )
    )
    found = []
    for moment in moments:
        chances = {stage: DEFAULT_STAGE_SETTINGS[stage][0] for stage in STAGE_ORDER}
        for stage, probability, changed_at in changes:
            if changed_at < moment and stage in chances:
                chances[stage] = probability
        found.append(chances)
    return found


def learned_chances_at(moments: list[datetime]) -> list[list[int]]:
    """The learned counts [won, reached] of each stage at each moment, from the deals closed
    before it: one grouped count of the closed deals by the first moment they precede, their
    furthest stage and outcome, added up moment by moment here."""
    if not moments:
        return []
    ordered = sorted(set(moments))
    bucket = Case(
        *(When(closed_at__lt=moment, then=Value(i)) for i, moment in enumerate(ordered)),
        default=Value(len(ordered)),
        output_field=IntegerField(),
    )
    # Every closed deal the business has (as the forecast page learns from), not one user's.
    rows = (
        Deal.objects.filter(outcome__in=[Outcome.WON, Outcome.LOST], closed_at__lt=ordered[-1])
        .annotate(bucket=bucket)
        .values("bucket", "furthest_stage_index", "outcome")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("bucket", "furthest_stage_index", "outcome", "n")
    )
    stages = len(STAGE_ORDER)
    fresh = [[[0, 0] for _ in range(stages)] for _ in ordered]  # closed in each bucket
    for b, furthest, outcome, n in rows:
        for index in range(stages):
            if furthest >= index:
                fresh[b][index][1] += n
                if outcome == Outcome.WON:
                    fresh[b][index][0] += n
    so_far, at_moment = [[0, 0] for _ in range(stages)], {}
    for i, moment in enumerate(ordered):
        for index in range(stages):
            so_far[index][0] += fresh[i][index][0]
            so_far[index][1] += fresh[i][index][1]
        at_moment[moment] = [list(pair) for pair in so_far]
    return [at_moment[moment][index] for moment in moments for index in range(stages)]
