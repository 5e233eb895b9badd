"""Get honest: is each open deal Pull (the prospect reaches out or answers quickly) or Push?

A deal is Pull when, within the window, the prospect reached out, or replied to us within the
quick-reply time. The score (0–100) weighs each pull signal by its kind and how recent it is.
A seller's override, with its reason, wins over the computed verdict and is shown beside it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from attract.accounts.models import User
from attract.core.permissions import visible_to
from attract.engagement.models import Direction, Interaction, Verdict, VerdictOverride
from attract.pipeline.models import Deal, Outcome

# How much one signal says about a prospect's pull, before it fades with age.
SIGNAL_WEIGHT = {Direction.THEY_REACHED_OUT: 1.0, Direction.THEY_REPLIED: 0.7}


def window() -> timedelta:
    return timedelta(days=settings.ATTRACT_PULL_WINDOW_DAYS)


def quick_reply() -> timedelta:
    return timedelta(hours=settings.ATTRACT_QUICK_REPLY_HOURS)


def pull_signal_filter(now: datetime, *, prefix: str = "") -> Q:
    """Interactions that count as pull at `now`: inside the window, they reached out, or they
    replied within the quick-reply time."""
    p = prefix
    return Q(**{f"{p}occurred_at__gt": now - window(), f"{p}occurred_at__lte": now}) & (
        Q(**{f"{p}direction": Direction.THEY_REACHED_OUT})
        | Q(**{f"{p}direction": Direction.THEY_REPLIED, f"{p}reply_after__lte": quick_reply()})
    )


def engagement_score(signals: Iterable[Interaction], now: datetime) -> int:
    """Each signal is a chance the prospect is pulling; they combine like independent chances,
    so one fresh reach-out is 100 and several faded replies add up without passing 100."""
    doubt = 1.0
    span = window().total_seconds()
    for signal in signals:
        age = max(0.0, (now - signal.occurred_at).total_seconds())
        recency = max(0.0, 1 - age / span)
        doubt *= 1 - SIGNAL_WEIGHT.get(signal.direction, 0) * recency
    return round(100 * (1 - doubt))


@dataclass
class DealVerdict:
    computed: str
    score: int
    evidence: list[Interaction] = field(default_factory=list)
    override: VerdictOverride | None = None

    @property
    def verdict(self) -> str:
        return self.override.verdict if self.override else self.computed

    @property
    def is_pull(self) -> bool:
        return self.verdict == Verdict.PULL

    @property
    def label(self) -> str:
        return Verdict(self.verdict).label


def deal_verdicts(
    *, deal_ids: Iterable[int], now: datetime | None = None
) -> dict[int, DealVerdict]:
    """Verdicts for the given deals in two queries, whatever their number."""
    now = now or timezone.now()
    ids = list(deal_ids)
    signals: dict[int, list[Interaction]] = defaultdict(list)
    query = Interaction.objects.filter(pull_signal_filter(now), deal_id__in=ids)
    for interaction in query.select_related("person").order_by("-occurred_at"):
        signals[interaction.deal_id].append(interaction)
    overrides = {o.deal_id: o for o in VerdictOverride.objects.filter(deal_id__in=ids)}
    return {
        pk: DealVerdict(
            computed=Verdict.PULL if signals.get(pk) else Verdict.PUSH,
            score=engagement_score(signals.get(pk, []), now),
            evidence=signals.get(pk, []),
            override=overrides.get(pk),
        )
        for pk in ids
    }


def open_deals_with_pull(*, user, now: datetime | None = None) -> QuerySet[Deal]:
    """Open deals the user may see, annotated with the computed verdict and any override."""
    now = now or timezone.now()
    pulling = Exists(
        Interaction.objects.filter(pull_signal_filter(now), deal_id=OuterRef("pk")).values("id")
    )
    overridden_pull = Exists(
        VerdictOverride.objects.filter(deal_id=OuterRef("pk"), verdict=Verdict.PULL)
    )
    overridden_push = Exists(
        VerdictOverride.objects.filter(deal_id=OuterRef("pk"), verdict=Verdict.PUSH)
    )
    deals = visible_to(Deal.objects.filter(outcome=Outcome.OPEN), user)
    return deals.annotate(
        computed_pull=pulling, pull_forced=overridden_pull, push_forced=overridden_push
    )


@dataclass
class Share:
    label: str
    pull: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.pull / self.total) if self.total else 0


def _signals_on_visible_open_deals(user) -> QuerySet[Interaction]:
    """Counted from the signals' side: a window holds far fewer pull signals than there are
    open deals, so this reads an index range instead of probing every deal."""
    return Interaction.objects.filter(deal__outcome=Outcome.OPEN).filter(
        Q(deal__is_private=False) | Q(deal__owner_id=user.pk)
    )


def pull_share(*, user, now: datetime | None = None) -> tuple[Share, list[Share]]:
    """The share of Pull over all open deals, and per owner; an override counts as the seller
    set it."""
    now = now or timezone.now()
    deals = visible_to(Deal.objects.filter(outcome=Outcome.OPEN), user)
    totals = dict(
        deals.values("owner_id").annotate(n=Count("id")).order_by().values_list("owner_id", "n")
    )
    signals = _signals_on_visible_open_deals(user).filter(pull_signal_filter(now))
    pulled = defaultdict(int)
    pulled.update(
        signals.values("deal__owner_id")
        .annotate(n=Count("deal_id", distinct=True))
        .order_by()
        .values_list("deal__owner_id", "n")
    )
    overrides = list(
        VerdictOverride.objects.filter(deal__in=deals).values_list(
            "deal_id", "deal__owner_id", "verdict"
        )
    )
    with_signal = set(
        signals.filter(deal_id__in=[o[0] for o in overrides]).values_list("deal_id", flat=True)
    )
    for deal_id, owner_id, verdict in overrides:
        if verdict == Verdict.PULL and deal_id not in with_signal:
            pulled[owner_id] += 1
        elif verdict == Verdict.PUSH and deal_id in with_signal:
            pulled[owner_id] -= 1
    names = {
        u.pk: u.full_name or u.email for u in User.objects.filter(pk__in=[k for k in totals if k])
    }
    per_owner = sorted(
        (
            Share(label=names.get(owner_id, "Nobody"), pull=pulled[owner_id], total=total)
            for owner_id, total in totals.items()
        ),
        key=lambda share: share.label,
    )
    overall = Share(
        label="Everyone",
        pull=sum(s.pull for s in per_owner),
        total=sum(s.total for s in per_owner),
    )
    return overall, per_owner


def weekly_pull_share(*, user, weeks: int = 8, now: datetime | None = None) -> list[Share]:
    """How the share of Pull moved: at the end of each of the last weeks, the deals open now
    that already existed, judged on the signals known then (overrides are today's opinion, so
    they are left out of the past). Two queries, whatever the number of weeks."""
    now = now or timezone.now()
    moments = [now - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    deals = visible_to(Deal.objects.filter(outcome=Outcome.OPEN), user)
    totals = deals.aggregate(
        **{f"w{n}": Count("id", filter=Q(created_at__lte=m)) for n, m in enumerate(moments)}
    )
    signals = _signals_on_visible_open_deals(user).filter(
        occurred_at__gt=moments[0] - window(), occurred_at__lte=now
    )
    pulls = signals.aggregate(
        **{
            f"w{n}": Count(
                "deal_id",
                distinct=True,
                filter=pull_signal_filter(m) & Q(deal__created_at__lte=m),
            )
            for n, m in enumerate(moments)
        }
    )
    return [
        Share(
            label=timezone.localtime(m).strftime("%d %b"),
            pull=pulls[f"w{n}"],
            total=totals[f"w{n}"],
        )
        for n, m in enumerate(moments)
    ]
