"""Care drawn on other apps' pages: the care card of a customer (company or person page),
the three most urgent customers on Today, and a deal's expectations (deal page)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from attract.aftercare import care_selectors
from attract.aftercare.care_forms import (
    ExpectationForm,
    ExperienceForm,
    PromiseForm,
    StepDoneForm,
)
from attract.aftercare.models import DealExpectation
from attract.aftercare.promise_services import promise_suggestion, side_three_for
from attract.core.permissions import can_change_record
from attract.people.models import Company
from attract.pipeline.models import Outcome

register = template.Library()


@register.inclusion_tag("aftercare/partials/_care_card.html", takes_context=True)
def care_card(context, record) -> dict:
    user = context["request"].user
    kind = "company" if isinstance(record, Company) else "person"
    view = care_selectors.customer_care(user, record)
    suggestions: dict = {}  # one read per kind of promise, however many promises
    for promise in view.promises:
        promise.row_suggestion = None
        if promise.is_measurable and promise.outcome == "open":
            key = (promise.metric.lower(), promise.unit.lower(), promise.better)
            if key not in suggestions:
                suggestions[key] = promise_suggestion(
                    metric=promise.metric, unit=promise.unit, better=promise.better
                )
            promise.row_suggestion = suggestions[key]
    from attract.aftercare.models import PersonDate

    person_dates = list(PersonDate.objects.filter(person=record)) if kind == "person" else []
    return {
        "request": context["request"],
        "record": record,
        "kind": kind,
        "view": view,
        "person_dates": person_dates,
        "can_change": can_change_record(user, record) and not record.in_trash,
        "done_form": StepDoneForm(),
        "promise_form": PromiseForm(auto_id="promise_%s"),
        "experience_form": ExperienceForm(
            auto_id="experience_%s", initial={"happened_on": timezone.localdate()}
        ),
        "csrf_token": context.get("csrf_token"),
        "today": timezone.localdate(),
    }


@register.inclusion_tag("aftercare/partials/_care_today.html", takes_context=True)
def care_today(context) -> dict:
    user = context["request"].user
    from attract.aftercare.customer_dates import dates_ahead

    return {
        "urgent": care_selectors.most_urgent(user),
        "dates": dates_ahead(user, limit=6),
        "request": context["request"],
    }


@register.inclusion_tag("aftercare/partials/_deal_expectations.html", takes_context=True)
def deal_expectations(context, deal) -> dict:
    user = context["request"].user
    expectations = list(
        DealExpectation.objects.filter(deal=deal).select_related("promise").order_by("id")
    )
    for expectation in expectations:
        expectation.suggestion = (
            promise_suggestion(
                metric=expectation.metric, unit=expectation.unit, better=expectation.better
            )
            if expectation.value is not None
            else None
        )
        expectation.side_three = side_three_for(expectation.metric, expectation.unit)
        expectation.stricter = bool(
            expectation.suggestion and expectation.suggestion.is_stricter(expectation.value)
        )
    return {
        "request": context["request"],
        "deal": deal,
        "expectations": expectations,
        "can_change": can_change_record(user, deal) and not deal.in_trash,
        "is_open": deal.outcome == Outcome.OPEN,
        "form": ExpectationForm(auto_id="expectation_%s"),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def stricter(suggestion, promised) -> bool:
    return bool(suggestion) and suggestion.is_stricter(promised)
