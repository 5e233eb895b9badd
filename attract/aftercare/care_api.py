"""REST endpoints of care after the sale: plans and steps, the at-risk list and the steps
due, a customer's care, promises (with the conservative suggestion), a deal's expectations
and experiences. Someone else's private customer answers 404; a viewer's writes 403."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router

from attract.accounts.models import User
from attract.aftercare import care_plan_services as plans
from attract.aftercare import care_selectors as selectors
from attract.aftercare import experience_services, promise_services
from attract.aftercare.care_schemas import (
    CareAtRiskPage,
    CareAtRiskQuery,
    CareCustomerCareOut,
    CareCustomerKind,
    CareExpectationIn,
    CareExpectationOut,
    CareExperienceCreated,
    CareExperienceIn,
    CareExperienceOut,
    CareExperiencePatch,
    CarePersonDateIn,
    CarePersonDateOut,
    CarePlanIn,
    CarePlanOut,
    CarePlanPatch,
    CarePlanStepIn,
    CarePlanStepOut,
    CarePlanStepPatch,
    CarePromiseIn,
    CarePromiseOut,
    CarePromiseRecordIn,
    CareStepDoneIn,
    CareStepOut,
    CareSuggestionOut,
    CareSuggestionQuery,
)
from attract.aftercare.models import (
    CarePlan,
    CarePlanStep,
    CareStep,
    DealExpectation,
    Experience,
    Promise,
)
from attract.core.access import get_record_for_user
from attract.core.permissions import can_view_record, visible_to
from attract.people.models import Company, Person, Tag
from attract.pipeline.models import Deal

router = Router(tags=["care"])


def _ref(care_or_record) -> dict:
    customer = getattr(care_or_record, "customer", care_or_record)
    if isinstance(customer, Company):
        return {"company": customer.pk, "person": None, "name": customer.name}
    return {"company": None, "person": customer.pk, "name": str(customer)}


def _step_out(step: CareStep, today, with_customer: bool = False) -> dict:
    out = {
        "id": step.pk, "title": step.title, "due_on": step.due_on, "state": step.state(today),
        "channel": step.channel, "assignee_id": step.assignee_id,
        "by_business_owner": step.by_business_owner, "done_at": step.done_at,
        "interaction_id": step.interaction_id, "task_id": step.task_id,
    }  # fmt: skip
    if with_customer:
        out["customer"] = _ref(step.care)
    return out


def _visible(model, actor: User, pk: int | None, field: str):
    if pk is None:
        return None
    record = visible_to(model.objects.all(), actor).filter(pk=pk).first()
    if record is None:
        raise ValidationError({field: f"No {field} with the id {pk}."})
    return record


# --- Plans ----------------------------------------------------------------------------------


def _plan(pk: int, *, trash: bool = False) -> CarePlan:
    manager = CarePlan.all_objects if trash else CarePlan.objects
    plan = manager.filter(pk=pk).prefetch_related("steps").first()
    if plan is None:
        raise Http404
    return plan


def _plan_fields(payload) -> dict[str, Any]:
    fields = payload.dict(exclude_unset=True)
    fields.pop("version", None)
    if "tag" in fields and fields["tag"] is not None:
        tag = Tag.objects.filter(pk=fields["tag"]).first()
        if tag is None:
            raise ValidationError({"tag": f"No tag with the id {fields['tag']}."})
        fields["tag"] = tag
    for name in ("relationship", "size", "description"):
        if name in fields and fields[name] is None:
            fields[name] = ""
    return fields


@router.get(
    "/care-plans", response=list[CarePlanOut], summary="Care plans, in the order they apply"
)
def list_plans(request: HttpRequest):
    return list(CarePlan.objects.prefetch_related("steps"))


@router.post("/care-plans", response={201: CarePlanOut}, summary="Make a care plan")
def create_plan(request: HttpRequest, payload: CarePlanIn):
    fields = _plan_fields(payload)
    plan = plans.care_plan_create(actor=request.auth, name=fields.pop("name"), **fields)
    return _plan(plan.pk)


@router.get("/care-plans/{plan_id}", response=CarePlanOut, summary="A care plan")
def get_plan(request: HttpRequest, plan_id: int):
    return _plan(plan_id, trash=True)


@router.patch("/care-plans/{plan_id}", response=CarePlanOut, summary="Change a care plan")
def update_plan(request: HttpRequest, plan_id: int, payload: CarePlanPatch):
    plans.care_plan_update(actor=request.auth, plan=_plan(plan_id), expected_version=payload.version,
                           **_plan_fields(payload))  # fmt: skip
    return _plan(plan_id)


@router.delete(
    "/care-plans/{plan_id}",
    response={204: None},
    summary="Move a care plan to the trash (its customers keep their steps)",
)
def trash_plan(request: HttpRequest, plan_id: int):
    plans.care_plan_trash(actor=request.auth, plan=_plan(plan_id))


@router.post("/care-plans/{plan_id}/restore", response=CarePlanOut, summary="Restore a care plan")
def restore_plan(request: HttpRequest, plan_id: int):
    plans.care_plan_restore(actor=request.auth, plan=_plan(plan_id, trash=True))
    return _plan(plan_id)


@router.post("/care-plans/{plan_id}/steps", response={201: CarePlanStepOut}, summary="Add a step")
def add_plan_step(request: HttpRequest, plan_id: int, payload: CarePlanStepIn):
    fields = payload.dict()
    if fields["user"] is not None:
        user = User.objects.filter(pk=fields["user"], is_active=True).first()
        if user is None:
            raise ValidationError({"user": f"No active team member has the id {fields['user']}."})
        fields["user"] = user
    step = plans.care_plan_step_add(actor=request.auth, plan=_plan(plan_id),
                                    title=fields.pop("title"), **fields)  # fmt: skip
    return step


@router.patch(
    "/care-plan-steps/{step_id}",
    response=CarePlanStepOut,
    summary="Change a step (what is to come follows; what was done stays; 409 if stale)",
)
def update_plan_step(request: HttpRequest, step_id: int, payload: CarePlanStepPatch):
    step = CarePlanStep.objects.filter(pk=step_id, removed_at__isnull=True).first()
    if step is None or step.plan.in_trash:
        raise Http404
    fields = payload.dict(exclude_unset=True)
    version = fields.pop("version", None)
    if fields.get("user") is not None:
        user = User.objects.filter(pk=fields["user"], is_active=True).first()
        if user is None:
            raise ValidationError({"user": f"No active team member has the id {fields['user']}."})
        fields["user"] = user
    for name in ("title", "day", "repeat_months", "doer", "channel"):
        if name in fields and fields[name] is None:
            raise ValidationError({name: "This field cannot be empty."})
    return plans.care_plan_step_update(
        actor=request.auth, step=step, expected_version=version, **fields
    )


@router.delete(
    "/care-plan-steps/{step_id}",
    response={204: None},
    summary="Take a step off its plan (what was done stays)",
)
def remove_plan_step(request: HttpRequest, step_id: int):
    step = CarePlanStep.objects.filter(pk=step_id, removed_at__isnull=True).first()
    if step is None:
        raise Http404
    plans.care_plan_step_remove(actor=request.auth, step=step)


# --- Customers ------------------------------------------------------------------------------


@router.get("/care/at-risk", response=CareAtRiskPage, summary="Customers at risk, by profit")
def at_risk(request: HttpRequest, filters: Query[CareAtRiskQuery]):
    queryset = selectors.at_risk_queryset(request.auth)
    rows = selectors._with_evidence(queryset[filters.offset : filters.offset + filters.limit])
    items = [
        {"customer": _ref(row.care), "profit": row.care.profit, "risk": row.care.risk,
         "plan": row.care.plan.name if row.care.plan else None,
         "evidence": [{"text": e.text, "tone": e.tone} for e in row.evidence]}
        for row in rows
    ]  # fmt: skip
    return {"count": queryset.count(), "items": items}


@router.get("/care/steps-due", response=list[CareStepOut], summary="Your care steps due")
def steps_due(request: HttpRequest):
    today = timezone.localdate()
    return [_step_out(s, today, True) for s in selectors.steps_due(request.auth, today=today)]


@router.post("/care/steps/{step_id}/done", response=CareStepOut, summary="Do a care step")
def step_done(request: HttpRequest, step_id: int, payload: CareStepDoneIn):
    step = CareStep.objects.select_related("care__company", "care__person").filter(pk=step_id)
    step = step.first()
    if step is None or not can_view_record(request.auth, step.care.customer):
        raise Http404
    step = plans.care_step_done(actor=request.auth, step=step, summary=payload.summary,
                                channel=payload.channel)  # fmt: skip
    return _step_out(step, timezone.localdate(), True)


def _customer(request: HttpRequest, kind: str, pk: int, *, write: bool = False):
    model = Company if kind == "companies" else Person
    return get_record_for_user(model.objects.all(), user=request.auth, pk=pk, write=write)


@router.get(
    "/care/{kind}/{customer_id}",
    response=CareCustomerCareOut,
    summary="A customer's care and signal",
)
def customer_care(request: HttpRequest, kind: CareCustomerKind, customer_id: int):
    customer = _customer(request, kind, customer_id)
    today = timezone.localdate()
    view = selectors.customer_care(request.auth, customer, today=today)
    care = view.care
    steps = list(care.steps.order_by("due_on", "id")[:500]) if care else []
    return {
        "plan": care.plan.name if care and care.plan else None,
        "started_on": care.started_on if care else None,
        "risk": care.risk if care else 0,
        "evidence": [{"text": e.text, "tone": e.tone} for e in view.evidence],
        "steps": [_step_out(s, today) for s in steps],
    }


# --- Promises and expectations --------------------------------------------------------------


def _promise(request: HttpRequest, pk: int) -> Promise:
    promise = Promise.objects.select_related("company", "person").filter(pk=pk).first()
    if promise is None or not can_view_record(request.auth, promise.customer):
        raise Http404
    return promise


@router.get("/promises", response=list[CarePromiseOut], summary="A customer's promises")
def list_promises(request: HttpRequest, company: int | None = None, person: int | None = None):
    if (company is None) == (person is None):
        raise ValidationError({"company": "Give a company or a person (one of the two)."})
    customer = _visible(Company, request.auth, company, "company") or _visible(
        Person, request.auth, person, "person"
    )
    key = "company" if isinstance(customer, Company) else "person"
    return list(Promise.objects.filter(**{key: customer}).order_by("-due_on", "-id")[:500])


@router.post("/promises", response={201: CarePromiseOut}, summary="Record a promise to a customer")
def create_promise(request: HttpRequest, payload: CarePromiseIn):
    fields = payload.dict()
    company = _visible(Company, request.auth, fields.pop("company"), "company")
    person = _visible(Person, request.auth, fields.pop("person"), "person")
    promise = promise_services.promise_create(actor=request.auth, company=company, person=person,
                                              **fields)  # fmt: skip
    return promise


@router.get("/promises/suggestion", response=CareSuggestionOut,
            summary="What history says we can promise (met in 90% of cases)")  # fmt: skip
def suggestion(request: HttpRequest, query: Query[CareSuggestionQuery]):
    found = promise_services.promise_suggestion(metric=query.metric, unit=query.unit,
                                                better=query.better)  # fmt: skip
    return {"metric": found.metric, "unit": found.unit, "better": found.better,
            "value": found.value, "cases": found.cases, "kept": found.kept,
            "kept_share": found.kept_share,
            "stricter": found.is_stricter(query.promised)}  # fmt: skip


@router.get("/promises/{promise_id}", response=CarePromiseOut, summary="A promise")
def get_promise(request: HttpRequest, promise_id: int):
    return _promise(request, promise_id)


@router.post(
    "/promises/{promise_id}/record",
    response=CarePromiseOut,
    summary="Record what actually happened: kept or broken",
)
def record_promise(request: HttpRequest, promise_id: int, payload: CarePromiseRecordIn):
    fields = payload.dict()
    version = fields.pop("version")
    return promise_services.promise_record(actor=request.auth, promise=_promise(request, promise_id),
                                           expected_version=version, **fields)  # fmt: skip


def _deal(request: HttpRequest, pk: int, *, write: bool = False) -> Deal:
    return get_record_for_user(Deal.objects.all(), user=request.auth, pk=pk, write=write)


@router.get("/deals/{deal_id}/expectations", response=list[CareExpectationOut],
            summary="A deal's expectations")  # fmt: skip
def list_expectations(request: HttpRequest, deal_id: int):
    return list(DealExpectation.objects.filter(deal=_deal(request, deal_id)).order_by("id"))


@router.post("/deals/{deal_id}/expectations", response={201: CareExpectationOut},
             summary="Record an expectation the customer stated")  # fmt: skip
def add_expectation(request: HttpRequest, deal_id: int, payload: CareExpectationIn):
    fields = payload.dict()
    expectation = promise_services.deal_expectation_add(
        actor=request.auth, deal=_deal(request, deal_id, write=True),
        their_words=fields.pop("their_words"), **fields,
    )  # fmt: skip
    return expectation


@router.delete("/expectations/{expectation_id}", response={204: None},
               summary="Remove an expectation (not one already promised)")  # fmt: skip
def delete_expectation(request: HttpRequest, expectation_id: int):
    expectation = DealExpectation.objects.select_related("deal").filter(pk=expectation_id).first()
    if expectation is None or not can_view_record(request.auth, expectation.deal):
        raise Http404
    promise_services.deal_expectation_delete(actor=request.auth, expectation=expectation)


# --- Experiences ----------------------------------------------------------------------------


@router.post("/experiences", response={201: CareExperienceCreated}, summary="Record an experience")
def create_experience(request: HttpRequest, payload: CareExperienceIn):
    fields = {k: v for k, v in payload.dict().items() if v is not None}
    company = _visible(Company, request.auth, fields.pop("company", None), "company")
    person = _visible(Person, request.auth, fields.pop("person", None), "person")
    experience, note = experience_services.experience_record(
        actor=request.auth, company=company, person=person, what=fields.pop("what"),
        feeling=fields.pop("feeling"), **fields,
    )  # fmt: skip
    experience.note = note
    return experience


@router.patch("/experiences/{experience_id}", response=CareExperienceOut,
              summary="Change an experience (set right, what we did...)")  # fmt: skip
def update_experience(request: HttpRequest, experience_id: int, payload: CareExperiencePatch):
    experience = Experience.objects.select_related("company", "person").filter(pk=experience_id)
    experience = experience.first()
    if experience is None or not can_view_record(request.auth, experience.customer):
        raise Http404
    fields = payload.dict(exclude_unset=True)
    version = fields.pop("version", None)
    for name in ("what_we_did", "policy_broken"):
        if name in fields and fields[name] is None:
            fields[name] = ""
    return experience_services.experience_update(
        actor=request.auth, experience=experience, expected_version=version, **fields
    )


# --- Persons' own dates ---------------------------------------------------------------------


@router.get("/persons/{person_id}/dates", response=list[CarePersonDateOut],
            summary="A person's own dates (birthday...)")  # fmt: skip
def list_person_dates(request: HttpRequest, person_id: int):
    from attract.aftercare.models import PersonDate

    return list(PersonDate.objects.filter(person=_customer(request, "persons", person_id)))


@router.post("/persons/{person_id}/dates", response={201: CarePersonDateOut},
             summary="Add a date to remember for a person")  # fmt: skip
def add_person_date(request: HttpRequest, person_id: int, payload: CarePersonDateIn):
    from attract.aftercare.customer_dates import person_date_add

    person = _customer(request, "persons", person_id, write=True)
    return person_date_add(actor=request.auth, person=person, **payload.dict())


@router.delete("/person-dates/{date_id}", response={204: None}, summary="Remove a person's date")
def remove_person_date(request: HttpRequest, date_id: int):
    from attract.aftercare.customer_dates import person_date_remove
    from attract.aftercare.models import PersonDate

    record = PersonDate.objects.select_related("person").filter(pk=date_id).first()
    if record is None or not can_view_record(request.auth, record.person):
        raise Http404
    person_date_remove(actor=request.auth, record=record)
