"""Get honest: is each open deal Pull (the prospect reaches out or answers quickly) or Push?

A deal is Pull when, within the window, the prospect reached out, or replied to us within the
quick-reply time. The score (0–100) weighs each pull signal by its kind and how recent it is.
A seller's override, with its reason, wins over the computed verdict and is shown beside it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DurationField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from attract.accounts.models import User
from attract.core.permissions import visible_to
from attract.core.unindexed import Unindexed
from attract.engagement.models import (
    DealSignal,
    Direction,
    Interaction,
    PullShareWeek,
    Verdict,
    VerdictOverride,
)
from attract.pipeline.models import Deal, Outcome

# How much one signal says about a prospect's pull, before it fades with age.
SIGNAL_WEIGHT = {Direction.THEY_REACHED_OUT: 1.0, Direction.THEY_REPLIED: 0.7}


def window() -> timedelta:
    return timedelta(days=settings.ATTRACT_PULL_WINDOW_DAYS)


def quick_reply() -> timedelta:
    return timedelta(hours=settings.ATTRACT_QUICK_REPLY_HOURS)


def pull_kind_filter(*, prefix: str = "") -> Q:
    """Interactions that are pull signals, whenever they happened: they reached out, or they
    replied within the quick-reply time."""
    p = prefix
    return Q(**{f"{p}direction": Direction.THEY_REACHED_OUT}) | Q(
        **{f"{p}direction": Direction.THEY_REPLIED, f"{p}reply_after__lte": quick_reply()}
    )


def pull_signal_filter(now: datetime, *, prefix: str = "") -> Q:
    """Interactions that count as pull at `now`: a pull signal inside the window."""
    p = prefix
    return Q(
        **{f"{p}occurred_at__gt": now - window(), f"{p}occurred_at__lte": now}
    ) & pull_kind_filter(prefix=prefix)


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
    # These deals' interactions of the window, read from the (deal, occurred_at) index: a
    # handful per deal. SQLite without statistics otherwise starts from the signals' index
    # (direction, occurred_at) and reads every pull signal of the last 30 days of every deal
    # (69–82 ms at 10,000,000 interactions) to keep the few of these deals; so the direction
    # and reply delay are compared as they are (Unindexed), after the deal's rows are found.
    query = (
        Interaction.objects.filter(
            deal_id__in=ids, occurred_at__gt=now - window(), occurred_at__lte=now
        )
        .alias(
            _direction_as_is=Unindexed("direction"),
            _reply_after_as_is=Unindexed("reply_after", output_field=DurationField()),
        )
        .filter(
            Q(_direction_as_is=Direction.THEY_REACHED_OUT)
            | Q(_direction_as_is=Direction.THEY_REPLIED, _reply_after_as_is__lte=quick_reply())
        )
    )
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


def _pull_now(now: datetime) -> Case:
    """Whether a deal is Pull at `now`, as SQL: the seller's override, else a stored pull signal
    inside the window. Read from one row per deal, never from the interactions."""
    return Case(
        When(verdict_override__verdict=Verdict.PULL, then=Value(True)),
        When(verdict_override__verdict=Verdict.PUSH, then=Value(False)),
        When(engagement_signal__last_pull_at__gt=now - window(), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def open_deals_with_pull(*, user, now: datetime | None = None) -> QuerySet[Deal]:
    """Open deals the user may see, annotated with `is_pull` (the verdict, override included)."""
    now = now or timezone.now()
    deals = visible_to(Deal.objects.filter(outcome=Outcome.OPEN), user)
    return deals.annotate(is_pull=_pull_now(now))


@dataclass
class Share:
    label: str
    pull: int
    total: int
    owner_id: int | None = None

    @property
    def percent(self) -> int:
        return round(100 * self.pull / self.total) if self.total else 0


def pull_share(*, user, now: datetime | None = None) -> tuple[Share, list[Share]]:
    """The share of Pull over all open deals, and per owner; an override counts as the seller
    set it. Open deals are counted from the deals' covering index, pulling ones from the stored
    signals' index, overrides (a handful) one by one: no interaction is read."""
    now = now or timezone.now()
    cutoff = now - window()
    deals = visible_to(Deal.objects.filter(outcome=Outcome.OPEN), user)
    totals = dict(
        deals.values("owner_id").annotate(n=Count("id")).order_by().values_list("owner_id", "n")
    )
    pulled = defaultdict(int)
    pulled.update(
        DealSignal.objects.filter(is_open=True, last_pull_at__gt=cutoff)
        .filter(Q(is_private=False) | Q(owner_id=user.pk))
        .values("owner_id")
        .annotate(n=Count("deal_id"))
        .order_by()
        .values_list("owner_id", "n")
    )
    # Read from the overrides' side (a handful), each joined to its deal by key, and sorted
    # out here: a condition on the deals would make the database start from the deals.
    overrides = VerdictOverride.objects.values_list(
        "deal__owner_id",
        "deal__is_private",
        "deal__outcome",
        "deal__deleted_at",
        "verdict",
        "deal__engagement_signal__last_pull_at",
    )
    for owner_id, private, outcome, deleted_at, verdict, last_pull_at in overrides:
        if outcome != Outcome.OPEN or deleted_at or (private and owner_id != user.pk):
            continue
        pulling = last_pull_at is not None and last_pull_at > cutoff
        if verdict == Verdict.PULL and not pulling:
            pulled[owner_id] += 1
        elif verdict == Verdict.PUSH and pulling:
            pulled[owner_id] -= 1
    names = {
        u.pk: u.full_name or u.email for u in User.objects.filter(pk__in=[k for k in totals if k])
    }
    per_owner = sorted(
        (
            Share(label=names.get(owner, "Nobody"), pull=pulled[owner], total=n, owner_id=owner)
            for owner, n in totals.items()
        ),
        key=lambda share: share.label,
    )
    overall = Share(
        label="Everyone",
        pull=sum(s.pull for s in per_owner),
        total=sum(s.total for s in per_owner),
    )
    return overall, per_owner


# -- The stored signal: kept in step with the interactions and the deals -------------------


def _is_open_now() -> Case:
    return Case(
        When(outcome=Outcome.OPEN, deleted_at__isnull=True, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def _latest_pull() -> QuerySet:
    """Per deal, the moment of its latest pull signal, as a subquery of the deals."""
    return (
        Interaction.objects.filter(pull_kind_filter(), deal_id=OuterRef("pk"))
        .order_by()
        .values("deal_id")
        .annotate(at=Max("occurred_at"))
        .values("at")
    )


def _signal_rows(deals: QuerySet[Deal]) -> QuerySet:
    """(deal, last pull, owner, private, open) of the deals that ever pulled."""
    return (
        deals.annotate(pulled_at=Subquery(_latest_pull()), open_now=_is_open_now())
        .filter(pulled_at__isnull=False)
        .order_by()
        .values_list("pk", "owner_id", "is_private", "pulled_at", "open_now")
    )


def refresh_deal_signals(deal_ids: Iterable[int | None]) -> None:
    """Recompute the stored signal of these deals from their interactions (indexed by deal):
    called whenever an interaction of theirs is logged, edited or deleted."""
    ids = {pk for pk in deal_ids if pk}
    if not ids:
        return
    rows = list(_signal_rows(Deal.all_objects.filter(pk__in=ids)))
    with transaction.atomic():
        DealSignal.objects.filter(deal_id__in=ids).delete()
        DealSignal.objects.bulk_create(
            DealSignal(
                deal_id=pk,
                owner_id=owner_id,
                is_private=private,
                last_pull_at=at,
                is_open=bool(open_now),
            )
            for pk, owner_id, private, at, open_now in rows
        )


def copy_deal_fields(deal: Deal) -> None:
    """A deal was saved: its owner, privacy or openness may have changed."""
    DealSignal.objects.filter(deal_id=deal.pk).update(
        owner_id=deal.owner_id,
        is_private=deal.is_private,
        is_open=deal.outcome == Outcome.OPEN and deal.deleted_at is None,
    )


def refresh_all_deal_signals() -> int:
    """Recompute every stored signal in one set-based statement (after a bulk import, or when
    the quick-reply time changed). Returns the number of deals with a pull signal."""
    sql, params = _signal_rows(Deal.all_objects.all()).query.sql_with_params()
    # The table name is ours and quoted; the values travel as parameters.
    table = connection.ops.quote_name(DealSignal._meta.db_table)
    columns = "deal_id, owner_id, is_private, last_pull_at, is_open"
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Right after a bulk import the planner's statistics may predate every row
            # (autovacuum is late, or off), and the latest-pull subquery then runs as a scan
            # of all interactions per deal: minutes instead of seconds at a million rows.
            tables = (Interaction._meta.db_table, Deal._meta.db_table)
            cursor.execute("ANALYZE " + ", ".join(map(connection.ops.quote_name, tables)))
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)  # noqa: S608
    return DealSignal.objects.count()


def forget_weeks_touched_by(*moments: datetime | None) -> None:
    """A pull signal at t counts for every week ending in [t, t + window): those stored weeks
    are judged again on the next visit."""
    q = Q()
    for at in filter(None, moments):
        q |= Q(week_end__gte=at, week_end__lt=at + window())
    if q:
        PullShareWeek.objects.filter(q).delete()


# -- Week by week --------------------------------------------------------------------------


def past_week_ends(now: datetime, count: int) -> list[datetime]:
    """The ends (Monday 00:00, local time) of the last `count` completed weeks, oldest first."""
    zone = timezone.get_current_timezone()
    today = timezone.localtime(now, zone).date()
    monday = today - timedelta(days=today.weekday())
    return [
        datetime.combine(monday - timedelta(weeks=back), time.min, zone)
        for back in range(count - 1, -1, -1)
    ]


def judge_week(end: datetime) -> list[list]:
    """The share of Pull at a past moment: the deals open then, judged on the signals known then
    (overrides are today's opinion, so the past leaves them out). Per owner and privacy."""
    open_then = Q(created_at__lte=end) & (Q(outcome=Outcome.OPEN) | Q(closed_at__gt=end))
    totals = (
        Deal.objects.filter(open_then)
        .values("owner_id", "is_private")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("owner_id", "is_private", "n")
    )
    pulled = dict(
        (((owner, private), n))
        for owner, private, n in Interaction.objects.filter(
            pull_signal_filter(end),
            deal__deleted_at__isnull=True,
            deal__created_at__lte=end,
        )
        .filter(Q(deal__outcome=Outcome.OPEN) | Q(deal__closed_at__gt=end))
        .values("deal__owner_id", "deal__is_private")
        .annotate(n=Count("deal_id", distinct=True))
        .order_by()
        .values_list("deal__owner_id", "deal__is_private", "n")
    )
    return [
        [owner, bool(private), pulled.get((owner, private), 0), n] for owner, private, n in totals
    ]


def _stored_weeks(ends: list[datetime]) -> dict[datetime, list]:
    """The judged weeks, judging (once) those not stored yet."""
    stored = dict(PullShareWeek.objects.filter(week_end__in=ends).values_list("week_end", "counts"))
    missing = [end for end in ends if end not in stored]
    if missing:
        judged = [PullShareWeek(week_end=end, counts=judge_week(end)) for end in missing]
        PullShareWeek.objects.bulk_create(judged, ignore_conflicts=True)
        stored.update({w.week_end: w.counts for w in judged})
    return stored


def fill_past_weeks(*, weeks: int = 8, now: datetime | None = None) -> int:
    """Judge and store the past weeks the review shows; returns how many were missing."""
    ends = past_week_ends(now or timezone.now(), weeks - 1)
    before = PullShareWeek.objects.filter(week_end__in=ends).count()
    _stored_weeks(ends)
    return len(ends) - before


def weekly_pull_share(
    *, user, weeks: int = 8, now: datetime | None = None, current: Share | None = None
) -> list[Share]:
    """How the share of Pull moved: the stored share at the end of each past week, then now
    (`current`, when the caller has it already). Past weeks are judged once and kept."""
    now = now or timezone.now()
    ends = past_week_ends(now, weeks - 1)
    stored = _stored_weeks(ends)
    shares = []
    for end in ends:
        seen = [row for row in stored[end] if not row[1] or row[0] == user.pk]
        shares.append(
            Share(
                label=(timezone.localtime(end) - timedelta(days=1)).strftime("%d %b"),
                pull=sum(row[2] for row in seen),
                total=sum(row[3] for row in seen),
            )
        )
    current = current or pull_share(user=user, now=now)[0]
    shares.append(Share(label="Now", pull=current.pull, total=current.total))
    return shares
