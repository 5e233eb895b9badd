"""Reads of the attraction plan.

Fit has two forms. `with_fit`/`fit_for` compute it from the assessments (subquery
annotations): the detail pages, the API and the tests use that arithmetic. Lists use the
stored FitScore that fitting.py keeps equal to it, so that 100,000 companies sort by fit
through an index, in the same few queries for 3 rows or 3,000."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from attract.accounts.models import User
from attract.attraction.models import (
    GOOD_FIT,
    POOR_FIT,
    Answer,
    Assessment,
    Better,
    Complaint,
    Expectation,
    FitScore,
    Plan,
    PlanRevision,
    Quality,
    Requirement,
    ThankYouNote,
    TickQuestion,
    Trait,
)
from attract.attraction.statement_phrasing import attraction_statement
from attract.core.permissions import visible_to
from attract.people.models import Company, Person, Relationship
from attract.people.selectors import ScoreOrdered, Unindexed
from attract.pipeline.models import Deal, Outcome


def active_qualities(plan: Plan) -> QuerySet[Quality]:
    return plan.qualities.filter(removed_at__isnull=True)


def active_questions(plan: Plan) -> QuerySet[TickQuestion]:
    return plan.questions.filter(removed_at__isnull=True)


def active_expectations(plan: Plan) -> QuerySet[Expectation]:
    return plan.expectations.filter(removed_at__isnull=True)


def _points() -> Case:
    return Case(
        When(answer=Answer.YES, then=F("quality__weight") * 2),
        When(answer=Answer.PARTLY, then=F("quality__weight")),
        default=Value(0),
        output_field=IntegerField(),
    )


def _assessment_totals(subject: str, total: Any) -> Subquery:
    """One number per subject over its counted assessments (active qualities, not unknown)."""
    rows = (
        Assessment.objects.filter(
            **{subject: OuterRef("pk")},
            quality__removed_at__isnull=True,
        )
        .exclude(answer=Answer.UNKNOWN)
        .values(subject)
        .annotate(total=total)
        .values("total")
    )
    return Subquery(rows, output_field=IntegerField())


def _mismatches(subject: str) -> Subquery:
    rows = (
        Requirement.objects.filter(
            **{subject: OuterRef("pk")}, expectation__removed_at__isnull=True
        )
        .filter(
            Q(expectation__better=Better.LOWER, value__lt=F("expectation__value"))
            | Q(expectation__better=Better.HIGHER, value__gt=F("expectation__value"))
        )
        .values(subject)
        .annotate(total=Count("id"))
        .values("total")
    )
    return Subquery(rows, output_field=IntegerField())


def with_fit(queryset: QuerySet, subject: str) -> QuerySet:
    """Annotate companies (subject="company") or persons ("person") with
    fit_weight (sum of weights of counted answers), fit_assessed (how many), fit_score (0–100,
    None when nothing is assessed) and fit_mismatches (requirements stricter than our
    commitments). Yes counts fully, partly half, no nothing; unknown and removed qualities
    are not counted at all."""
    weight = Coalesce(_assessment_totals(subject, Sum("quality__weight")), 0)
    points = Coalesce(_assessment_totals(subject, Sum(_points())), 0)
    queryset = queryset.annotate(
        fit_weight=weight,
        fit_points=points,
        fit_assessed=Coalesce(_assessment_totals(subject, Count("id")), 0),
        fit_mismatches=Coalesce(_mismatches(subject), 0),
    )
    # Rounded half up in integers: round(100·p / 2w) = (100·p + w) // 2w.
    return queryset.annotate(
        fit_score=Case(
            When(fit_weight=0, then=Value(None)),
            default=ExpressionWrapper(
                (F("fit_points") * 100 + F("fit_weight")) / (F("fit_weight") * 2),
                output_field=IntegerField(),
            ),
            output_field=IntegerField(),
        )
    )


@dataclass
class Fit:
    score: int | None
    assessed: int
    qualities: int
    mismatches: list[Requirement]

    @property
    def share_assessed(self) -> int:
        return round(100 * self.assessed / self.qualities) if self.qualities else 0

    @property
    def is_poor(self) -> bool:
        return bool(self.mismatches) or (self.score is not None and self.score < POOR_FIT)


def fit_for(
    *,
    company: Company | None = None,
    person: Person | None = None,
    qualities: int | None = None,
    requirements: list[Requirement] | None = None,
) -> Fit:
    """The fit of one company or person, with the requirements that do not match. A caller
    that already holds the active qualities' count or the requirements passes them in."""
    subject, record = ("company", company) if company is not None else ("person", person)
    model = Company if subject == "company" else Person
    row = with_fit(model.all_objects.filter(pk=record.pk), subject).values(
        "fit_score", "fit_assessed"
    )[0]
    if requirements is None:
        requirements = requirements_for(**{subject: record})
    if qualities is None:
        qualities = Quality.objects.filter(removed_at__isnull=True).count()
    return Fit(
        score=row["fit_score"],
        assessed=row["fit_assessed"],
        qualities=qualities,
        mismatches=[r for r in requirements if r.mismatch_reason],
    )


def assessments_for(*, company: Company | None = None, person: Person | None = None) -> dict:
    """{quality id: answer} for one subject."""
    rows = Assessment.objects.filter(company=company, person=person)
    return dict(rows.values_list("quality_id", "answer"))


def requirements_for(
    *, company: Company | None = None, person: Person | None = None
) -> list[Requirement]:
    return list(
        Requirement.objects.filter(
            company=company, person=person, expectation__removed_at__isnull=True
        ).select_related("expectation")
    )


def plan_with_sides() -> Plan:
    from attract.attraction.services import plan_get

    return plan_get()


def perfect_customer_count(actor: User | None = None) -> int:
    """Customers whose fit is good: the current count beside the perfect number."""
    companies = Company.objects.filter(relationship=Relationship.CUSTOMER)
    if actor is not None:
        companies = visible_to(companies, actor)
    return companies.filter(fit__score__gte=GOOD_FIT).count()


def composed_statement(plan: Plan, *, limit: int = 3) -> str:
    """'I am in the process of attracting customers who …' from the highest-weighted
    qualities, as one grammatical sentence (statement_phrasing.py)."""
    return attraction_statement([q.text for q in active_qualities(plan)[:limit]])


def statement_for(plan: Plan) -> str:
    return plan.statement or composed_statement(plan)


def revisions(plan: Plan) -> QuerySet[PlanRevision]:
    return plan.revisions.select_related("created_by")


def revision_compare(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """What changed between two snapshots: qualities added, removed or re-weighted,
    expectations added or removed, and the perfect number."""
    old_q = {q["text"]: q["weight"] for q in old.get("qualities", [])}
    new_q = {q["text"]: q["weight"] for q in new.get("qualities", [])}
    old_e = {e["commitment"] for e in old.get("expectations", [])}
    new_e = {e["commitment"] for e in new.get("expectations", [])}
    return {
        "qualities_added": [(t, w) for t, w in new_q.items() if t not in old_q],
        "qualities_removed": [(t, w) for t, w in old_q.items() if t not in new_q],
        "weights_changed": [
            (t, old_q[t], w) for t, w in new_q.items() if t in old_q and old_q[t] != w
        ],
        "expectations_added": sorted(new_e - old_e),
        "expectations_removed": sorted(old_e - new_e),
        "perfect_number": (old.get("perfect_number"), new.get("perfect_number")),
    }


def complaints_for(actor: User) -> QuerySet[Complaint]:
    # Complaints are the team's journal; the person or company shown is hidden by the
    # template when the reader may not see it.
    return Complaint.objects.select_related("company", "person", "quality", "created_by")


def traits() -> QuerySet[Trait]:
    return Trait.objects.select_related("quality", "created_by")


def thank_you_notes_for(actor: User) -> QuerySet[ThankYouNote]:
    """The only door to thank-you notes: the author's own, for everyone including admins."""
    return ThankYouNote.objects.filter(author_id=actor.pk)


@dataclass
class LearningRow:
    quality: Quality
    had: dict[str, Any]
    had_not: dict[str, Any]


def _group(row: dict[str, Any] | None) -> dict[str, Any]:
    row = row or {}
    companies = row.get("companies", 0)
    closed = row.get("closed", 0)
    won = row.get("won", 0)
    ever = row.get("ever_customers", 0)
    profit = row.get("profit") or Decimal("0")
    return {
        "companies": companies,
        "closed": closed,
        "won_share": round(100 * won / closed) if closed else None,
        "profit_per_customer": (profit / companies).quantize(Decimal("0.01"))
        if companies
        else None,
        "ever_customers": ever,
        "still_share": round(100 * row.get("still", 0) / ever) if ever else None,
    }


def learning_table(actor: User) -> list[LearningRow]:
    """For each quality: companies assessed yes (had it) against those assessed no (did not),
    with share of closed deals won, won profit per company, and the share of customers past
    and present who are still customers. Partly and unknown are left out of both groups."""
    plan = plan_with_sides()
    qualities = list(active_qualities(plan))
    deals_ok = Q(company__deals__deleted_at__isnull=True)
    closed = Q(company__deals__outcome__in=[Outcome.WON, Outcome.LOST, Outcome.REFERRED_OUT])
    won = Q(company__deals__outcome=Outcome.WON)
    companies = visible_to(Company.objects.all(), actor).values("pk")
    rows = (
        Assessment.objects.filter(
            quality__in=[q.pk for q in qualities],
            company__in=companies,
            answer__in=[Answer.YES, Answer.NO],
        )
        .values("quality_id", "answer")
        .annotate(
            companies=Count("company", distinct=True),
            closed=Count("company__deals", filter=deals_ok & closed),
            won=Count("company__deals", filter=deals_ok & won),
            profit=Sum(
                F("company__deals__revenue") - F("company__deals__cost"),
                filter=deals_ok & won,
                output_field=DecimalField(max_digits=16, decimal_places=2),
            ),
            ever_customers=Count(
                "company",
                distinct=True,
                filter=Q(
                    company__relationship__in=[
                        Relationship.CUSTOMER,
                        Relationship.FORMER_CUSTOMER,
                    ]
                ),
            ),
            still=Count(
                "company", distinct=True, filter=Q(company__relationship=Relationship.CUSTOMER)
            ),
        )
    )
    by_key = {(r["quality_id"], r["answer"]): r for r in rows}
    return [
        LearningRow(
            quality=q,
            had=_group(by_key.get((q.pk, Answer.YES))),
            had_not=_group(by_key.get((q.pk, Answer.NO))),
        )
        for q in qualities
    ]


FIT_SORTS = {"fit": "best first", "-fit": "poorest first", "name": "by name"}


def companies_by_fit(
    *, user: User, relationship: str = "", sort: str = "fit"
) -> QuerySet[Company] | ScoreOrdered:
    """Companies the user may see with their stored fit (`company.fit`, absent when nothing is
    assessed), best first: the page's rows come through the index on the score."""
    companies = visible_to(Company.objects.all(), user)
    if relationship:
        # Walk the fit index and check the relationship row by row (see Unindexed).
        companies = companies.alias(relationship_as_is=Unindexed("relationship")).filter(
            relationship_as_is=relationship
        )
    companies = companies.select_related("owner", "fit")
    if sort == "name":
        return companies.order_by("search_name", "id")
    return ScoreOrdered(
        companies, "fit__score", descending=sort != "-fit", then=("search_name", "id")
    )


def stored_fit(record: Company | Person | None) -> FitScore | None:
    """The stored fit a list row was read with (select_related("fit")), or None."""
    if record is None:
        return None
    try:
        return record.fit
    except FitScore.DoesNotExist:
        return None


def mismatch_reasons(
    *, company_ids: list[int] = (), person_ids: list[int] = ()
) -> dict[tuple[str, int], list[str]]:
    """{("company", id) or ("person", id): the reasons of its mismatches}, in one query."""
    if not company_ids and not person_ids:
        return {}
    requirements = (
        Requirement.objects.filter(
            Q(company_id__in=company_ids) | Q(person_id__in=person_ids),
            expectation__removed_at__isnull=True,
        )
        .filter(
            Q(expectation__better=Better.LOWER, value__lt=F("expectation__value"))
            | Q(expectation__better=Better.HIGHER, value__gt=F("expectation__value"))
        )
        .select_related("expectation")
        .order_by("id")
    )
    reasons: dict[tuple[str, int], list[str]] = {}
    for requirement in requirements:
        key = (
            ("company", requirement.company_id)
            if requirement.company_id
            else ("person", requirement.person_id)
        )
        reasons.setdefault(key, []).append(requirement.mismatch_reason)
    return reasons


@dataclass
class ListFit:
    """What a list row, a card or a badge shows of a fit: the stored figures and the
    reasons of the mismatches."""

    score: int | None
    mismatches: int
    reasons: list[str]
    whose: str = ""  # on a deal: whose fit it is (the company's, or the main contact's)

    @property
    def is_poor(self) -> bool:
        return bool(self.mismatches) or (self.score is not None and self.score < POOR_FIT)

    @property
    def is_good(self) -> bool:
        return not self.mismatches and self.score is not None and self.score >= GOOD_FIT


def list_fits(records: list, subject: str) -> dict[int, ListFit]:
    """{pk: ListFit} for the rows of a list read with select_related("fit"): one query for
    the mismatch reasons, and only when a row has a mismatch."""
    fits = {record.pk: stored_fit(record) for record in records}
    with_mismatches = [pk for pk, fit in fits.items() if fit is not None and fit.mismatches]
    reasons = mismatch_reasons(**{f"{subject}_ids": with_mismatches}) if with_mismatches else {}
    return {
        pk: ListFit(
            score=fit.score if fit else None,
            mismatches=fit.mismatches if fit else 0,
            reasons=reasons.get((subject, pk), []),
        )
        for pk, fit in fits.items()
    }


def deal_fits(deals: list[Deal]) -> dict[int, ListFit]:
    """The fit of each deal: its company's, or its main contact's when it has no company.
    Two queries at most whatever the number of deals (stored fits, then mismatch reasons)."""
    company_ids = {d.company_id for d in deals if d.company_id}
    person_ids = {d.contact_id for d in deals if not d.company_id and d.contact_id}
    stored = {}
    if company_ids or person_ids:
        rows = FitScore.objects.filter(Q(company_id__in=company_ids) | Q(person_id__in=person_ids))
        for row in rows:
            key = ("company", row.company_id) if row.company_id else ("person", row.person_id)
            stored[key] = row
    with_mismatches = [key for key, row in stored.items() if row.mismatches]
    reasons = (
        mismatch_reasons(
            company_ids=[pk for kind, pk in with_mismatches if kind == "company"],
            person_ids=[pk for kind, pk in with_mismatches if kind == "person"],
        )
        if with_mismatches
        else {}
    )
    fits = {}
    for deal in deals:
        if deal.company_id:
            key, whose = ("company", deal.company_id), "company"
        elif deal.contact_id:
            key, whose = ("person", deal.contact_id), "main contact"
        else:
            continue
        row = stored.get(key)
        fits[deal.pk] = ListFit(
            score=row.score if row else None,
            mismatches=row.mismatches if row else 0,
            reasons=reasons.get(key, []),
            whose=whose,
        )
    return fits
