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
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
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


def _referral_figure(direction: str, figure: str) -> Subquery:
    """Count or total value of one partner's referrals in one direction, as a subquery: one
    query for the whole page, whatever its length."""
    rows = Referral.objects.filter(partner=OuterRef("pk"), direction=direction).values("partner")
    if figure == "count":
        return Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField())
    return Subquery(
        rows.annotate(total=Sum("value")).values("total"),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )


def _won_from_referrals() -> tuple[Subquery, Subquery]:
    """Referrals in whose deal we won: how many, and the revenue won."""
    rows = Referral.objects.filter(
        partner=OuterRef("pk"), direction=Direction.IN, deal__outcome="won"
    ).values("partner")
    return (
        Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
        Subquery(
            rows.annotate(total=Sum("deal__revenue")).values("total"),
            output_field=DecimalField(max_digits=16, decimal_places=2),
        ),
    )


def with_figures(queryset: QuerySet[Partner]) -> QuerySet[Partner]:
    zero = Value(Decimal("0"), output_field=DecimalField(max_digits=16, decimal_places=2))
    latest_step = AllianceStep.objects.filter(partner=OuterRef("pk")).order_by("-reached_on", "-id")
    won_count, won_value = _won_from_referrals()
    last = Referral.objects.filter(partner=OuterRef("pk")).order_by("-referred_on")
    return queryset.annotate(
        in_won_count=Coalesce(won_count, 0),
        in_won_value=Coalesce(won_value, zero),
        last_referred_on=Subquery(last.values("referred_on")[:1]),
        out_count=Coalesce(_referral_figure(Direction.OUT, "count"), 0),
        in_count=Coalesce(_referral_figure(Direction.IN, "count"), 0),
        out_value=Coalesce(_referral_figure(Direction.OUT, "value"), zero),
        in_value=Coalesce(_referral_figure(Direction.IN, "value"), zero),
        current_step=Subquery(latest_step.values("step")[:1]),
        current_step_since=Subquery(latest_step.values("reached_on")[:1]),
    )


class PartnerRows(Sequence):
    """The partner list in pages whose referral figures are computed for that page only.

    Six correlated subqueries per row are cheap for fifty rows, but SQLite computes a row's
    columns before sorting, so one query that sorts and annotates would compute them for
    every partner. Here the sort reads only the name (or the one count it sorts by), a page
    of ids is taken, and their figures come in one more query: two queries per page (and the
    count), whatever the number of partners."""

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
        return [rows[pk] for pk in ids if pk in rows]

    def __iter__(self) -> Iterator[Partner]:
        return iter(self[0:None])


def partner_list_for_user(*, user: User, search: str = "", sort: str = "name") -> PartnerRows:
    qs = visible_partners(user).annotate(
        _name=Coalesce("company__search_name", "person__search_name")
    )
    for term in search_key(search).split()[:5]:
        qs = qs.filter(_name__contains=term)
    if sort in ("referred_out", "referred_in"):
        direction = Direction.OUT if sort == "referred_out" else Direction.IN
        key = "out_count" if direction == Direction.OUT else "in_count"
        qs = qs.annotate(**{key: Coalesce(_referral_figure(direction, "count"), 0)})
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


def partner_referrals(partner: Partner, *, user: User, limit: int = 50) -> list[Referral]:
    """The latest referrals, each with `subject_visible`: a referral of someone else's
    private record shows "a private contact" and neither its reason nor its link."""
    referrals = list(
        Referral.objects.filter(partner=partner)
        .select_related("deal", "person", "company", "created_by")
        .order_by("-referred_on", "-id")[:limit]
    )
    for referral in referrals:
        referral.subject_visible = can_view_record(user, referral.subject)
    return referrals
