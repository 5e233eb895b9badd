"""Reads of partners: the list with each partner's referral figures, one partner's page, and
what may be referred to them. Every read is narrowed to what the user may see: a partner
that is someone else's private record, or that is a company or person the user cannot see,
does not exist for them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from attract.accounts.models import User
from attract.attraction.models import Plan
from attract.attraction.selectors import active_expectations, active_qualities
from attract.core.permissions import can_view_record
from attract.core.search_text import search_key
from attract.partners.models import (
    STEP_ORDER,
    AllianceStep,
    DefinitionLine,
    Direction,
    Partner,
    Referral,
)

PARTNER_SORTS = {
    "name": ("_name", "id"),
    "-name": ("-_name", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "referred_out": ("-out_count", "_name", "id"),
    "referred_in": ("-in_count", "_name", "id"),
}


def visible_partners(user: User, *, include_trash: bool = False) -> QuerySet[Partner]:
    manager = Partner.all_objects if include_trash else Partner.objects
    mine = Q(owner_id=user.pk)
    return manager.filter(Q(is_private=False) | mine).filter(
        Q(company__isnull=True) | Q(company__is_private=False) | Q(company__owner_id=user.pk),
        Q(person__isnull=True) | Q(person__is_private=False) | Q(person__owner_id=user.pk),
    )


# Whose outcome a referral's own figures give: a deal referred in tells its own (won or not,
# its revenue and cost); every other referral carries what we recorded of it.
_BY_DEAL = Q(direction=Direction.IN, deal__isnull=False)
_DEAL_WON = _BY_DEAL & Q(deal__outcome="won")
MONEY = DecimalField(max_digits=16, decimal_places=2)
ZERO = Value(Decimal("0"), output_field=MONEY)
FIGURE_NAMES = ("count", "value", "customers", "won_revenue", "won_profit")


def live_referral_figures(ids: list[int]) -> dict[tuple[int, str], dict[str, Any]]:
    """Per partner and direction: referrals, their value, how many became customers, the
    revenue and profit won, the last date — one grouped query for any number of partners."""
    rows = (
        Referral.objects.filter(partner_id__in=ids)
        .values("partner_id", "direction")
        .annotate(
            count=Count("pk"),
            value=Sum("value"),
            last=Max("referred_on"),
            customers=Count("pk", filter=_DEAL_WON | (~_BY_DEAL & Q(became_customer=True))),
            won_revenue=Sum(
                Case(
                    When(_DEAL_WON, then=F("deal__revenue")),
                    When(_BY_DEAL, then=ZERO),
                    default=F("won_revenue"),
                    output_field=MONEY,
                )
            ),
            won_profit=Sum(
                Case(
                    When(_DEAL_WON, then=F("deal__revenue") - F("deal__cost")),
                    When(_BY_DEAL, then=ZERO),
                    default=F("won_profit"),
                    output_field=MONEY,
                )
            ),
        )
        .order_by()
    )
    return {(row["partner_id"], row["direction"]): row for row in rows}


def figures_of(partner_id: int, figures: dict) -> dict[str, Any]:
    """One partner's figures from live_referral_figures' answer, by field name (out_count,
    in_won_profit, …, last_referred_on), zero where there are no referrals that way."""
    found: dict[str, Any] = {}
    last = []
    for prefix, direction in (("out", Direction.OUT), ("in", Direction.IN)):
        row = figures.get((partner_id, direction), {})
        for name in FIGURE_NAMES:
            default = 0 if name in ("count", "customers") else Decimal("0")
            found[f"{prefix}_{name}"] = row.get(name) or default
        if row.get("last"):
            last.append(row["last"])
    found["last_referred_on"] = max(last, default=None)
    return found


def attach_referral_figures(partners: list[Partner]) -> list[Partner]:
    """Set on each partner, for referrals given (out_…) and received (in_…): count, value,
    customers, won_revenue, won_profit; and the balance (received minus given) and the date
    of the last referral. Team totals: others' private referrals count, never named."""
    figures = live_referral_figures([p.pk for p in partners])
    for partner in partners:
        for name, value in figures_of(partner.pk, figures).items():
            setattr(partner, name, value)
    return with_balance(partners)


def with_balance(partners: list[Partner]) -> list[Partner]:
    """The balance (received minus given) and the API's first names, from the figures the
    partners hold: stored (partner_figures.py) or just counted (attach_referral_figures)."""
    for partner in partners:
        partner.balance = partner.in_count - partner.out_count
        # Earlier names, kept for the API's first fields.
        partner.in_won_count, partner.in_won_value = partner.in_customers, partner.in_won_revenue
    return partners


def with_figures(queryset: QuerySet[Partner]) -> QuerySet[Partner]:
    """Where each alliance stands; the referral figures come from attach_referral_figures."""
    latest_step = AllianceStep.objects.filter(partner=OuterRef("pk")).order_by("-reached_on", "-id")
    return queryset.annotate(
        current_step=Subquery(latest_step.values("step")[:1]),
        current_step_since=Subquery(latest_step.values("reached_on")[:1]),
    )


class PartnerRows(Sequence):
    """The partner list in pages whose alliance step is looked up for that page only.

    SQLite computes a row's columns before sorting, so one query that sorts and annotates
    would look up the step of every partner. Here the sort reads only the name (or the
    stored count it sorts by), a page of ids is taken, and their rows come in one more query
    with the referral figures each partner holds (partner_figures.py): two queries per page
    (and the count), whatever the number of partners or referrals."""

    ordered = True  # what Paginator asks of a list: the order is the queryset's, with the id

    def __init__(self, queryset: QuerySet[Partner]) -> None:
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, int):
            return self[key : key + 1][0]
        ids = list(self.queryset.values_list("pk", flat=True)[key])
        rows = with_figures(
            Partner.all_objects.filter(pk__in=ids).select_related("company", "person", "owner")
        ).in_bulk(ids)
        return with_balance([rows[pk] for pk in ids if pk in rows])

    def __iter__(self) -> Iterator[Partner]:
        return iter(self[0:None])


def partner_list_for_user(*, user: User, search: str = "", sort: str = "name") -> PartnerRows:
    qs = visible_partners(user).annotate(
        _name=Coalesce("company__search_name", "person__search_name")
    )
    for term in search_key(search).split()[:5]:
        qs = qs.filter(_name__contains=term)
    return PartnerRows(qs.order_by(*PARTNER_SORTS.get(sort, PARTNER_SORTS["name"])))


def partner_choices(user: User, *, limit: int = 500) -> list[tuple[int, str]]:
    """(id, name) of the partners to choose from in a form, by name: plain tuples, because
    building 500 model instances costs ten times the query."""
    qs = visible_partners(user).annotate(
        _name=Coalesce("company__search_name", "person__search_name")
    )
    rows = qs.order_by("_name", "id").values_list(
        "pk", "company__name", "person__first_name", "person__last_name"
    )[:limit]
    return [
        (pk, company or " ".join(p for p in (first, last) if p))
        for pk, company, first, last in rows
    ]


def partner_detail_queryset(user: User) -> QuerySet[Partner]:
    return with_figures(
        visible_partners(user, include_trash=True).select_related(
            "company", "person", "owner", "created_by", "updated_by"
        )
    )


def partner_lines(partner: Partner) -> list[DefinitionLine]:
    return list(partner.lines.filter(removed_at__isnull=True))


@dataclass(frozen=True)
class PlanSides:
    qualities: list
    expectations: list


def our_plan_sides() -> PlanSides:
    """Our plan's side 1 (qualities of our perfect customer) and side 3 (what they may expect
    of us), shown beside the partner's own definition."""
    plan = Plan.objects.order_by("pk").first()
    if plan is None:
        return PlanSides([], [])
    return PlanSides(list(active_qualities(plan)), list(active_expectations(plan)))


@dataclass(frozen=True)
class AllianceStanding:
    steps: list  # (value, label, AllianceStep | None), in the alliance's order
    current: AllianceStep | None
    days_there: int | None


def alliance_standing(partner: Partner, today: date | None = None) -> AllianceStanding:
    """Where the alliance stands (the furthest step reached) and for how many days."""
    today = today or timezone.localdate()
    reached = {s.step: s for s in partner.steps.all()}
    labels = dict(AllianceStep._meta.get_field("step").choices)
    steps = [(value, labels[value], reached.get(value)) for value in STEP_ORDER]
    current = next((s for _, _, s in reversed(steps) if s is not None), None)
    days = (today - current.reached_on).days if current else None
    return AllianceStanding(steps, current, days)


REFERRALS_A_PAGE = 20


def partner_referrals(
    partner: Partner, *, user: User, limit: int = REFERRALS_A_PAGE, offset: int = 0
) -> list[Referral]:
    """The latest referrals (from `offset`), each with `subject_visible`: a referral of
    someone else's private record shows "a private contact" and neither its reason nor its
    link."""
    referrals = list(
        Referral.objects.filter(partner=partner)
        .select_related("deal", "person", "company", "created_by")
        .order_by("-referred_on", "-id")[offset : offset + limit]
    )
    for referral in referrals:
        referral.subject_visible = can_view_record(user, referral.subject)
        describe_outcome(referral)
    return referrals


OUTCOME_LABELS = {
    "won": "Won (the deal)",
    "open": "Deal still open",
    "not_won": "Deal not won",
    "customer_out": "Became their customer",
    "customer_in": "Became our customer",
    "no": "Did not buy",
    "unknown": "Not known yet",
}


def describe_outcome(referral: Referral) -> Referral:
    """`outcome_key`, `outcome_label`, and the revenue and profit won (None when nothing was
    won): a deal referred in tells its own; any other referral what we recorded."""
    revenue = profit = None
    if referral.direction == Direction.IN and referral.deal_id is not None:
        deal = referral.deal
        key = {"won": "won", "open": "open"}.get(deal.outcome, "not_won")
        if key == "won":
            revenue, profit = deal.revenue, deal.revenue - deal.cost
    elif referral.became_customer:
        key = "customer_out" if referral.direction == Direction.OUT else "customer_in"
        revenue, profit = referral.won_revenue, referral.won_profit
    else:
        key = "unknown" if referral.became_customer is None else "no"
    referral.outcome_key, referral.outcome_label = key, OUTCOME_LABELS[key]
    referral.outcome_revenue, referral.outcome_profit = revenue, profit
    return referral
