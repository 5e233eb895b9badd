"""Template tags the people and pipeline pages load to show engagement: the timeline card with
quick-log, and the Push/Pull badge on board cards."""

from __future__ import annotations

from django import template

from attract.engagement.pushpull import deal_verdicts
from attract.engagement.timeline import timeline_context

register = template.Library()


@register.inclusion_tag("engagement/partials/_timeline.html", takes_context=True)
def engagement_timeline(context, kind: str, record) -> dict:
    return timeline_context(user=context["request"].user, kind=kind, record=record)


@register.inclusion_tag("engagement/partials/_badge.html", takes_context=True)
def push_pull_badge(context, deal) -> dict:
    """The verdicts of every card on the board are read once, on the first card, and kept on
    the board object, so the board's query count does not grow with its cards."""
    board = context.get("board")
    verdicts = getattr(board, "engagement_verdicts", None)
    if verdicts is None:
        ids = [card.pk for column in getattr(board, "columns", []) for card in column.cards]
        verdicts = deal_verdicts(deal_ids=ids or [deal.pk])
        if board is not None:
            board.engagement_verdicts = verdicts
    return {"verdict": verdicts.get(deal.pk)}
