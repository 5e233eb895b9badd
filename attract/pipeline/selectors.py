"""Reads of deals: lists, the board, one deal's stage history, long maybes and the question
bank. Each runs a fixed number of queries, whatever the number of deals. Forecast figures
live in `forecasting.py`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import connections
from django.db.models import Case, Count, F, Q, QuerySet, Sum, When
from django.db.models.expressions import RawSQL
from django.utils import timezone

from attract.accounts.models import User
from attract.core.permissions import visible_to
from attract.core.search_text import search_key
from attract.core.trigram_index import (
    MANY_MATCHES,
    any_of_query,
    counts_capped,
    indexed_words,
    match_query,
)
from attract.core.unindexed import Unindexed
from attract.people.models import Company, Person
from attract.people.name_index import COMPANY_NAMES
from attract.pipeline.models import (
    DEFAULT_STAGE_SETTINGS,
    STAGE_ORDER,
    Deal,
    Outcome,
    Stage,
    StageMove,
    StageSetting,
    ToughQuestion,
)
from attract.pipeline.title_index import DEAL_TITLES

CLOSED_OUTCOMES = (Outcome.WON, Outcome.LOST, Outcome.REFERRED_OUT)
# The deal lists' sorts, each an order an index can walk for the open list (deal_board_idx,
# deal_forecast_idx, deal_oldest_idx, deal_closed_idx and those of pipeline migration 0009);
# the id breaks ties so that pages never overlap. "revenue", "days" and "closed" start from
# the biggest, the longest and the newest; their "-" forms reverse that.
OPEN_DEAL_SORTS = {
    "stage": ("stage", "position", "id"),
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    "close": ("expected_close_date", "id"),
    "-close": ("-expected_close_date", "-id"),
    "days": ("stage_entered_at", "id"),  # longest in its stage first
    "-days": ("-stage_entered_at", "-id"),
    "revenue": ("-revenue", "-id"),
    "-revenue": ("revenue", "id"),
}
CLOSED_DEAL_SORTS = {
    "closed": ("-closed_at", "-id"),  # the newest close first
    "-closed": ("closed_at", "id"),
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    "revenue": ("-revenue", "-id"),
    "-revenue": ("revenue", "id"),
}


def deal_sorts(*, closed: bool) -> dict[str, tuple[str, ...]]:
    return CLOSED_DEAL_SORTS if closed else OPEN_DEAL_SORTS


# A list page counts its matches. Up to a few thousand, fetching them one by one through a
# trigram index is quick; beyond, even counting a word's matches in the index costs more
# than most of a page, so the search reads the table with LIKE instead (its cost bounded by
# the table's size, whatever the word).
MANY_MATCHES_TO_COUNT = 2_000
ZERO = Decimal("0")


def stage_settings() -> dict[str, StageSetting]:
    """Every stage's setting, in stage order; a missing row reads as the default."""
    found = {s.stage: s for s in StageSetting.objects.all()}
    result = {}
    for stage in STAGE_ORDER:
        if stage not in found:
            probability, stale = DEFAULT_STAGE_SETTINGS[stage]
            found[stage] = StageSetting(
                stage=stage, probability=probability, stale_after_days=stale
            )
        result[stage] = found[stage]
    return result


def _search_words(search: str) -> list[tuple[str, str]]:
    """Each word typed (at most five), case-folded as typed and in its search form (accents
    removed): a title is stored as typed, so "café" must find "Café" by its accent too."""
    words = []
    for word in (search or "").casefold().split():
        key = search_key(word)
        if key:
            words.append((word, key))
    return words[:5]


def _titles_or_companies_containing(
    qs: QuerySet[Deal], user: User, search: str, *, first_rows: bool = False
) -> tuple[QuerySet[Deal], bool]:
    """Deals whose title, or the name of a company the user may see, holds each word.

    On SQLite the rarest word of three characters or more is found through the trigram
    indexes of titles and company names (see core.trigram_index) and the other words are
    checked with LIKE on the rows it finds: "deal 4242" starts from the few deals holding
    "4242", not from every deal holding "deal". When even the rarest word is common, every
    word is checked with LIKE while the table is read (or, when only the first rows are
    wanted, while the list is walked in its order). On PostgreSQL LIKE reads the pg_trgm indexes. Also says whether a trigram
    index is where the search starts."""
    company_seen = Q(company__is_private=False) | Q(company__owner_id=user.pk)
    words = _search_words(search)
    connection = connections[qs.db]
    indexed = set(indexed_words(connection, [w for pair in words for w in pair]))
    lookups = [pair for pair in words if set(pair) <= indexed]
    driver = None
    most = MANY_MATCHES if first_rows else MANY_MATCHES_TO_COUNT
    if lookups:
        counts = counts_capped(
            connection,
            [
                lookup
                for word, key in lookups
                for lookup in (
                    (DEAL_TITLES, any_of_query({word, key})),
                    (COMPANY_NAMES, match_query([key])),
                )
            ],
            most,
        )
        found = {pair: counts[2 * n] + counts[2 * n + 1] for n, pair in enumerate(lookups)}
        driver = min(lookups, key=found.__getitem__)
        if found[driver] > most:
            driver = None
    for word, key in words:
        if (word, key) == driver:
            # The SQL is constant; the words go in as parameters.
            titled = RawSQL(DEAL_TITLES.matching_rows, [any_of_query({word, key})])  # noqa: S611
            named = RawSQL(COMPANY_NAMES.matching_rows, [match_query([key])])  # noqa: S611
            seen = Q(is_private=False) | Q(owner_id=user.pk)
            companies = Company.all_objects.filter(seen, pk__in=named).values("pk")
            qs = qs.filter(Q(pk__in=titled) | Q(company_id__in=companies))
        else:
            title = Q()
            for variant in {word, key}:
                title |= Q(title__icontains=variant)
            qs = qs.filter(title | (company_seen & Q(company__search_name__contains=key)))
    return qs, driver is not None


def deal_list_for_user(
    *,
    user: User,
    outcome: str | None = Outcome.OPEN,
    closed: bool = False,
    stage: str = "",
    owner_id: int | None = None,
    tag: str = "",
    company_id: int | None = None,
    contact_id: int | None = None,
    search: str = "",
    first_rows: bool = False,
    sort: str = "",
) -> QuerySet[Deal]:
    """Deals the user may see, with company, contact and owner joined and tags prefetched.
    `closed=True` lists won, lost and referred-out deals, newest close first; `sort` is a key
    of deal_sorts() (the board's order, or the newest close, by default). `first_rows`: the
    caller reads only the first rows, never a count (the global search)."""
    qs = visible_to(Deal.objects.all(), user)
    qs, searched = _titles_or_companies_containing(qs, user, search, first_rows=first_rows)

    def equal(qs: QuerySet[Deal], field: str, lookup: str, value) -> QuerySet[Deal]:
        # A search that starts from its index must stay the planner's start: an equality on
        # an indexed column looks narrower to SQLite without statistics, and starting there
        # it would read every open deal to check each against the search.
        if not searched:
            return qs.filter(**{f"{field}{lookup}": value})
        return qs.alias(**{f"_{field}_as_is": Unindexed(field)}).filter(
            **{f"_{field}_as_is{lookup}": value}
        )

    if closed:
        qs = equal(qs, "outcome", "__in", CLOSED_OUTCOMES if not outcome else [outcome])
    elif outcome:
        qs = equal(qs, "outcome", "", outcome)
    if stage:
        qs = equal(qs, "stage", "", stage)
    if owner_id:
        qs = equal(qs, "owner_id", "", owner_id)
    if tag:
        qs = qs.filter(tags__name__iexact=tag)
    # Narrowing by a company or contact, or finding deals by their company's name, goes
    # through those the user may see: else the filter would tell which deals a private
    # company of someone else has.
    company_seen = Q(company__is_private=False) | Q(company__owner_id=user.pk)
    if company_id:
        qs = qs.filter(company_seen, company_id=company_id)
    if contact_id:
        qs = qs.filter(Q(contact__is_private=False) | Q(contact__owner_id=user.pk))
        qs = qs.filter(contact_id=contact_id)
    sorts = deal_sorts(closed=closed)
    order = sorts.get(sort) or next(iter(sorts.values()))
    return (
        qs.select_related("company", "contact", "owner").prefetch_related("tags").order_by(*order)
    )


def deals_of_record(
    *, user: User, company: Company | None = None, person: Person | None = None, limit: int = 8
) -> tuple[list[Deal], bool]:
    """The deals of one company, or those a person is the main contact of, for their page:
    open ones first (soonest expected close first), then the closed ones, newest first;
    and whether there are more than `limit` (one query: one row more than shown is read)."""
    qs = visible_to(Deal.objects.all(), user)
    qs = qs.filter(company=company) if company is not None else qs.filter(contact=person)
    ordered = qs.select_related("owner").order_by(
        Case(When(outcome=Outcome.OPEN, then=0), default=1),
        F("expected_close_date").asc(nulls_last=True),
        F("closed_at").desc(nulls_last=True),
        "-id",
    )
    deals = list(ordered[: limit + 1])
    return deals[:limit], len(deals) > limit


def deal_detail_queryset(*, include_trash: bool = False) -> QuerySet[Deal]:
    base = Deal.all_objects if include_trash else Deal.objects
    return base.select_related(
        "company", "contact", "owner", "created_by", "updated_by"
    ).prefetch_related("tags")


@dataclass
class BoardColumn:
    stage: str
    label: str
    probability: int
    stale_after_days: int
    enforce_entry_criteria: bool = True
    count: int = 0
    total: Decimal = ZERO
    cards: list[Deal] = field(default_factory=list)

    @property
    def weighted_total(self) -> Decimal:
        return (self.total * self.probability / 100).quantize(Decimal("0.01"))

    @property
    def hidden_count(self) -> int:
        return max(0, self.count - len(self.cards))


@dataclass
class Board:
    columns: list[BoardColumn]

    @property
    def count(self) -> int:
        return sum(c.count for c in self.columns)

    @property
    def total(self) -> Decimal:
        return sum((c.total for c in self.columns), ZERO)

    @property
    def weighted_total(self) -> Decimal:
        return sum((c.weighted_total for c in self.columns), ZERO)


def _is_long_maybe(deal: Deal, setting: StageSetting, now: datetime) -> bool:
    return deal.stage_entered_at < now - timedelta(days=setting.stale_after_days)


def deal_board(
    *,
    user: User,
    owner_id: int | None = None,
    tag: str = "",
    cards_per_stage: int = 50,
    now: datetime | None = None,
) -> Board:
    """The five columns of open deals: count, total and weighted total of each, and its first
    cards in board order. Three queries, however many deals there are."""
    now = now or timezone.now()
    settings = stage_settings()
    base = visible_to(Deal.objects.filter(outcome=Outcome.OPEN), user)
    if owner_id:
        base = base.filter(owner_id=owner_id)
    if tag:
        base = base.filter(tags__name__iexact=tag)
    columns = {
        stage: BoardColumn(
            stage=stage,
            label=Stage(stage).label,
            probability=settings[stage].probability,
            stale_after_days=settings[stage].stale_after_days,
            enforce_entry_criteria=settings[stage].enforce_entry_criteria,
        )
        for stage in STAGE_ORDER
    }
    for row in base.order_by().values("stage").annotate(n=Count("id"), total=Sum("revenue")):
        column = columns[row["stage"]]
        column.count, column.total = row["n"], row["total"] or ZERO
    # Every column's first cards in one query: each column's own page (walking the board
    # index in order and stopping) glued with UNION ALL, the cards read by those ids. Django
    # refuses a LIMIT inside a compound statement on SQLite, so the glue is written here; the
    # pages' SQL and parameters are Django's own.
    if cards_per_stage > 0:
        parts, params = [], []
        for n, stage in enumerate(STAGE_ORDER):
            page = base.filter(stage=stage).order_by("position", "id")[:cards_per_stage]
            sql, page_params = page.values("id").query.sql_with_params()
            parts.append(f"SELECT id FROM ({sql}) AS column_{n}")  # noqa: S608
            params.extend(page_params)
        ids = RawSQL(" UNION ALL ".join(parts), params)  # noqa: S611
        cards = Deal.objects.filter(pk__in=ids).select_related("company", "owner")
        for card in sorted(cards, key=lambda card: (card.position, card.pk)):
            card.is_long_maybe = _is_long_maybe(card, settings[card.stage], now)
            columns[card.stage].cards.append(card)
    return Board(columns=list(columns.values()))


@dataclass
class StageVisit:
    move: StageMove
    ended_at: datetime | None  # None: the deal is still there

    @property
    def duration(self) -> timedelta:
        return (self.ended_at or timezone.now()) - self.move.moved_at


def deal_stage_history(*, deal: Deal) -> tuple[list[StageVisit], dict[str, timedelta]]:
    """Each move with how long the deal stayed after it, and the total time per stage."""
    moves = list(deal.moves.select_related("moved_by").order_by("moved_at", "id"))
    visits = []
    for index, move in enumerate(moves):
        ended = moves[index + 1].moved_at if index + 1 < len(moves) else deal.closed_at
        visits.append(StageVisit(move=move, ended_at=ended))
    per_stage: dict[str, timedelta] = {}
    for visit in visits:
        stage = visit.move.to_stage
        per_stage[stage] = per_stage.get(stage, timedelta()) + visit.duration
    return visits, {s: per_stage[s] for s in STAGE_ORDER if s in per_stage}


def long_maybe_filter(settings: dict[str, StageSetting], now: datetime) -> Q:
    condition = Q(pk__in=[])
    for stage, setting in settings.items():
        cutoff = now - timedelta(days=setting.stale_after_days)
        condition |= Q(stage=stage, stage_entered_at__lt=cutoff)
    return condition


def long_maybes_for_user(
    *,
    user: User,
    owner_id: int | None = None,
    now: datetime | None = None,
    settings: dict[str, StageSetting] | None = None,
) -> QuerySet[Deal]:
    """Open deals that have sat in their stage longer than the stage allows, oldest first
    (`settings`: the stage settings, when the caller read them already)."""
    now = now or timezone.now()
    qs = visible_to(Deal.objects.filter(outcome=Outcome.OPEN), user)
    if owner_id:
        qs = qs.filter(owner_id=owner_id)
    return (
        qs.filter(long_maybe_filter(settings or stage_settings(), now))
        .select_related("company", "owner", "contact")
        .order_by("stage_entered_at", "id")
    )


def tough_questions(*, include_retired: bool = False) -> QuerySet[ToughQuestion]:
    qs = ToughQuestion.objects.all()
    if not include_retired:
        qs = qs.filter(is_active=True)
    return qs.order_by("position", "id")


def deal_owner_choices() -> QuerySet[User]:
    return User.objects.filter(is_active=True).order_by("full_name", "email")
