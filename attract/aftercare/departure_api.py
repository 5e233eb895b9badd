"""REST endpoints for departures, exit-survey links and answers, and repeat purchase.

Access as everywhere: a departure of a company the reader may not see answers 404 like a
missing one; a viewer's writes answer 403."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router

from attract.aftercare import departure_selectors as selectors
from attract.aftercare import departure_services as services
from attract.aftercare import survey_services
from attract.aftercare.departure_schemas import (
    DepartureFilters,
    DepartureIn,
    DepartureOut,
    DeparturePage,
    DeparturePatch,
    DepartureSummaryOut,
    OneTimeFilters,
    OneTimePage,
    PurchasesOut,
    RepeatOut,
    SurveyLinkOut,
    SurveyOut,
)
from attract.aftercare.models import Departure
from attract.aftercare.repeat_selectors import customer_purchases, one_time_buyers, repeat_cohorts
from attract.core.access import get_record_for_user
from attract.core.permissions import name_seen_by, visible_to
from attract.people.models import Company, Person

router = Router(tags=["departures"])


def _answers(d: Departure) -> dict[str, Any]:
    return {
        "answered_at": d.answered_at,
        "reason": d.customer_reason,
        "reason_other": d.customer_reason_other,
        "could_have_done": d.customer_could_have_done,
        "would_return": d.customer_would_return,
        "may_contact": d.customer_may_contact,
    }


def _out(request: HttpRequest, d: Departure) -> dict[str, Any]:
    return {
        "id": d.pk,
        "company": {"id": d.company_id, "name": d.company.name},
        "contact": name_seen_by(request.auth, d.contact),
        "departed_on": d.departed_on,
        "customer_since": d.customer_since,
        "reason": d.reason,
        "reason_other": d.reason_other,
        "control": d.reason_control,
        "note": d.note,
        "lost_yearly_revenue": d.lost_yearly_revenue,
        "lost_yearly_profit": d.lost_yearly_profit,
        "answers": _answers(d),
        "version": d.version,
    }


def _departure(
    request: HttpRequest, pk: int, *, write: bool = False, trash: bool = False
) -> Departure:
    queryset = selectors.visible_departures(request.auth, include_trash=trash).select_related(
        "company", "contact"
    )
    return get_record_for_user(queryset, user=request.auth, pk=pk, write=write)


def _period(filters: DepartureFilters):
    end = filters.end or timezone.localdate()
    start = filters.start or end - timedelta(days=365)
    return (start, end) if start <= end else (end, start)


def _visible(model: type, actor, pk: int | None, field: str):
    if pk is None:
        return None
    record = visible_to(model.objects.all(), actor).filter(pk=pk).first()
    if record is None:
        raise ValidationError({field: f"No {field} with the id {pk}."})
    return record


@router.get("/departures", response=DeparturePage, summary="List departures in a period")
def list_departures(request: HttpRequest, filters: Query[DepartureFilters]) -> dict[str, Any]:
    start, end = _period(filters)
    queryset = selectors.with_known_reason(
        selectors.visible_departures(request.auth).filter(
            departed_on__gte=start, departed_on__lte=end
        ),
        filters.source,
    ).select_related("company", "contact")
    items = queryset.order_by("-departed_on", "-id")[
        filters.offset : filters.offset + filters.limit
    ]
    return {"count": queryset.count(), "items": [_out(request, d) for d in items]}


@router.get(
    "/departures/summary",
    response=DepartureSummaryOut,
    summary="Why customers leave: by reason beside the published figures, and by quarter",
)
def departure_summary(request: HttpRequest, filters: Query[DepartureFilters]) -> dict[str, Any]:
    start, end = _period(filters)
    figures = selectors.why_they_leave(
        user=request.auth, start=start, end=end, source=filters.source
    )
    return {
        "start": start,
        "end": end,
        "source": figures.source,
        "total": figures.total,
        "share_in_control": figures.share_in_control,
        "published_in_control": figures.published_in_control,
        "lost_yearly_revenue": figures.revenue,
        "lost_yearly_profit": figures.profit,
        "answered": figures.answered,
        "guessed": figures.guessed,
        "reasons": [r.__dict__ for r in figures.rows],
        "quarters": [
            {"quarter": q.label, "count": q.count, "in_control": q.in_control}
            for q in figures.quarters
        ],
    }


@router.post("/departures", response={201: DepartureOut}, summary="Mark a customer as departed")
def create_departure(request: HttpRequest, payload: DepartureIn):
    company = _visible(Company, request.auth, payload.company, "company")
    contact = _visible(Person, request.auth, payload.contact, "contact")
    departure = services.departure_record(
        actor=request.auth,
        company=company,
        departed_on=payload.departed_on,
        reason=payload.reason,
        reason_other=payload.reason_other,
        note=payload.note,
        contact=contact,
    )
    return 201, _out(request, _departure(request, departure.pk))


@router.get("/departures/{departure_id}", response=DepartureOut, summary="A departure")
def get_departure(request: HttpRequest, departure_id: int):
    return _out(request, _departure(request, departure_id))


@router.patch("/departures/{departure_id}", response=DepartureOut, summary="Correct a departure")
def update_departure(request: HttpRequest, departure_id: int, payload: DeparturePatch):
    departure = _departure(request, departure_id, write=True)
    fields = payload.dict(exclude_unset=True)
    version = fields.pop("version", None)
    services.departure_update(
        actor=request.auth, departure=departure, expected_version=version, **fields
    )
    return _out(request, _departure(request, departure_id))


@router.delete(
    "/departures/{departure_id}",
    response={204: None},
    summary="Move a departure recorded by mistake to the trash (the company is a customer again)",
)
def trash_departure(request: HttpRequest, departure_id: int):
    departure = _departure(request, departure_id, write=True)
    services.departure_trash(actor=request.auth, departure=departure)
    return 204, None


@router.post(
    "/departures/{departure_id}/restore",
    response=DepartureOut,
    summary="Restore a departure from the trash (the company is a former customer again)",
)
def restore_departure(request: HttpRequest, departure_id: int):
    departure = _departure(request, departure_id, write=True, trash=True)
    services.departure_restore(actor=request.auth, departure=departure)
    return _out(request, _departure(request, departure_id))


@router.post(
    "/departures/{departure_id}/survey-links",
    response={201: SurveyLinkOut},
    summary="Create the exit survey's private link (shown once)",
)
def create_survey_link(request: HttpRequest, departure_id: int):
    departure = _departure(request, departure_id, write=True)
    link, raw = survey_services.survey_link_create(actor=request.auth, departure=departure)
    url = request.build_absolute_uri(reverse("aftercare:survey", args=[raw]))
    return 201, {"url": url, "expires_at": link.expires_at}


@router.get(
    "/departures/{departure_id}/survey",
    response=SurveyOut,
    summary="The exit survey: the customer's answers and the links made",
)
def get_survey(request: HttpRequest, departure_id: int):
    departure = _departure(request, departure_id)
    links = departure.survey_links.order_by("-created_at")[:20]
    return {
        "answers": _answers(departure),
        "links": [
            {"created_at": s.created_at, "expires_at": s.expires_at, "state": s.state}
            for s in links
        ],
    }


@router.get(
    "/companies/{company_id}/purchases",
    response=PurchasesOut,
    summary="What a customer bought from us: deals won, first and second, lifetime value",
)
def company_purchases(request: HttpRequest, company_id: int):
    company = get_record_for_user(Company.objects.all(), user=request.auth, pk=company_id)
    p = customer_purchases(user=request.auth, company=company)
    return {
        "deals": p.deals, "first_on": p.first_on, "second_on": p.second_on,
        "days_to_second": p.days_to_second, "last_on": p.last_on,
        "lifetime_revenue": p.revenue, "lifetime_profit": p.profit,
    }  # fmt: skip


@router.get(
    "/repeat-purchase",
    response=RepeatOut,
    summary="The share of customers who bought more than once, by year of first purchase",
)
def repeat_purchase(request: HttpRequest):
    cohorts = repeat_cohorts(user=request.auth)
    customers = sum(c.customers for c in cohorts)
    repeat = sum(c.repeat for c in cohorts)
    return {
        "customers": customers,
        "repeat": repeat,
        "share": round(100 * repeat / customers, 1) if customers else 0.0,
        "cohorts": [
            {"year": c.year, "customers": c.customers, "repeat": c.repeat, "share": c.share}
            for c in cohorts
        ],
    }


@router.get(
    "/repeat-purchase/one-time-buyers",
    response=OneTimePage,
    summary="Customers who bought once, to care for",
)
def list_one_time_buyers(request: HttpRequest, filters: Query[OneTimeFilters]):
    queryset = one_time_buyers(user=request.auth, sort=filters.sort)
    items = queryset[filters.offset : filters.offset + filters.limit]
    return {
        "count": queryset.count(),
        "items": [
            {
                "id": c.company_id,
                "name": c.name,
                "bought_at": c.last_won,
                "profit": c.lifetime_profit,
            }
            for c in items
        ],
    }
