"""REST endpoints for interactions, tasks, goals and Push/Pull verdicts, at /api/v1/."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from attract.core.access import get_record_for_user
from attract.core.permissions import visible_to
from attract.engagement import services
from attract.engagement.goals import goal_progress
from attract.engagement.models import Task
from attract.engagement.pushpull import deal_verdicts
from attract.engagement.responses import (
    AWAITING_PAGE_SIZE,
    awaiting_reply,
    cursor_of,
    parse_cursor,
    response_stats,
)
from attract.engagement.selectors import (
    interaction_timeline,
    interactions_visible_to,
    task_list_for_user,
)
from attract.people.models import Company, Person
from attract.people.schemas import MAX_OFFSET
from attract.pipeline.models import Deal, Outcome

router = Router(tags=["engagement"])


class InteractionIn(Schema):
    channel: str
    direction: str
    summary: str
    outcome: str = ""
    person: int | None = None
    company: int | None = None
    deal: int | None = None
    occurred_at: datetime | None = None
    needs_reply: bool | None = None


class InteractionOut(Schema):
    id: int
    channel: str
    direction: str
    summary: str
    outcome: str
    person: int | None
    company: int | None
    deal: int | None
    occurred_at: datetime
    needs_reply: bool
    answered_at: datetime | None
    version: int


class TaskIn(Schema):
    title: str
    due_at: datetime | None = None
    person: int | None = None
    company: int | None = None
    deal: int | None = None


class TaskOut(Schema):
    id: int
    title: str
    due_at: datetime
    person: int | None
    company: int | None
    deal: int | None
    done: bool
    overdue: bool
    version: int


class GoalIn(Schema):
    target: int


class GoalOut(Schema):
    kind: str
    label: str
    period: str
    target: int
    today: int
    this_week: int
    streak: int
    met: bool


class VerdictOut(Schema):
    deal: int
    title: str
    verdict: str
    computed: str
    score: int
    override_reason: str | None
    evidence: list[int]


class OverrideIn(Schema):
    verdict: str
    reason: str


def _visible(model, request: HttpRequest, pk: int | None, field: str):
    if pk is None:
        return None
    record = visible_to(model.objects.all(), request.auth).filter(pk=pk).first()
    if record is None:
        raise ValidationError({field: f"No {field} with the id {pk}."})
    return record


def _links(request: HttpRequest, payload) -> dict:
    return {
        "person": _visible(Person, request, payload.person, "person"),
        "company": _visible(Company, request, payload.company, "company"),
        "deal": _visible(Deal, request, payload.deal, "deal"),
    }


def interaction_out(i) -> dict:
    return {
        **{f: getattr(i, f) for f in ("id", "channel", "direction", "summary", "outcome")},
        **{f: getattr(i, f) for f in ("occurred_at", "needs_reply", "answered_at")},
        "person": i.person_id,
        "company": i.company_id,
        "deal": i.deal_id,
        "version": i.version,
    }


def task_out(t: Task) -> dict:
    return {
        "id": t.pk,
        "title": t.title,
        "due_at": t.due_at,
        "person": t.person_id,
        "company": t.company_id,
        "deal": t.deal_id,
        "done": t.is_done,
        "overdue": t.is_overdue,
        "version": t.version,
    }


@router.post("/interactions", response={201: InteractionOut}, summary="Log an interaction")
def interaction_create(request: HttpRequest, payload: InteractionIn):
    fields = payload.dict(exclude={"person", "company", "deal"})
    interaction = services.interaction_log(actor=request.auth, **fields, **_links(request, payload))
    return Status(201, interaction_out(interaction))


@router.get("/interactions", response=list[InteractionOut], summary="A timeline")
def interaction_list(
    request: HttpRequest,
    person: int | None = None,
    company: int | None = None,
    deal: int | None = None,
):
    found = TaskIn(title="", person=person, company=company, deal=deal)
    links = {k: v for k, v in _links(request, found).items() if v}
    if len(links) != 1:
        raise ValidationError({"person": "Give exactly one of person, company or deal."})
    return [interaction_out(i) for i in interaction_timeline(user=request.auth, **links)]


@router.get(
    "/interactions/awaiting-reply",
    response=list[InteractionOut],
    summary="Messages waiting for our answer, oldest first",
    description="A page of at most `limit`; when more follow, the `Link` header names the next "
    'page (`rel="next"`, with `after` = the position of the last row). Every page costs the '
    "same, however deep.",
)
def interaction_awaiting(
    request: HttpRequest,
    response: HttpResponse,
    after: str | None = Query(None, max_length=40, description="Opaque position from `Link`."),
    limit: int = Query(AWAITING_PAGE_SIZE, ge=1, le=200),
):
    try:
        position = parse_cursor(after)
    except ValueError as exc:
        raise ValidationError({"after": str(exc)}) from exc
    rows = awaiting_reply(user=request.auth, limit=limit + 1, after=position)
    if len(rows) > limit:
        following = urlencode({"after": cursor_of(rows[limit - 1]), "limit": limit})
        response["Link"] = f'<{request.path}?{following}>; rel="next"'
    return [interaction_out(w.interaction) for w in rows[:limit]]


class ResponseTimeOut(Schema):
    user: int
    user_label: str
    answered: int
    median_hours: float
    p90_hours: float
    meets_target: bool


@router.get(
    "/response-times",
    response=list[ResponseTimeOut],
    summary="Median and 90th percentile of working hours to answer, per user, last 30 days",
)
def response_times(request: HttpRequest):
    return [
        ResponseTimeOut(
            user=s.user_id,
            user_label=s.user_label,
            answered=s.answered,
            median_hours=s.median_hours,
            p90_hours=s.p90_hours,
            meets_target=s.meets_target,
        )
        for s in response_stats()
    ]


VERSION = Field(None, ge=1, description="The version you read; 409 if it changed since.")


class InteractionPatch(Schema):
    version: int | None = VERSION
    channel: str | None = None
    direction: str | None = None
    summary: str | None = None
    outcome: str | None = None
    occurred_at: datetime | None = None


def _interaction(request: HttpRequest, pk: int, *, include_trash: bool = False):
    rows = interactions_visible_to(request.auth, include_trash=include_trash)
    return get_object_or_404(rows.select_related("person", "company", "deal"), pk=pk)


@router.patch("/interactions/{pk}", response=InteractionOut, summary="Correct an interaction")
def interaction_edit(request: HttpRequest, pk: int, payload: InteractionPatch):
    fields = payload.dict()
    interaction = services.interaction_edit(
        actor=request.auth,
        interaction=_interaction(request, pk),
        expected_version=fields.pop("version"),
        **fields,
    )
    return interaction_out(interaction)


@router.post(
    "/interactions/{pk}/restore",
    response=InteractionOut,
    summary="Restore an interaction from the trash",
)
def interaction_restore(request: HttpRequest, pk: int):
    interaction = _interaction(request, pk, include_trash=True)
    services.interaction_restore(actor=request.auth, interaction=interaction)
    return interaction_out(interaction)


@router.delete(
    "/interactions/{pk}", response={204: None}, summary="Move an interaction to the trash"
)
def interaction_delete(request: HttpRequest, pk: int):
    services.interaction_delete(actor=request.auth, interaction=_interaction(request, pk))
    return Status(204, None)


class TaskFilter(Schema):
    include_done: bool = Field(False, description="Open and done (else `state`)")
    scope: Literal["mine", "all"] = Field("mine", description="all: every task you may see")
    state: Literal["open", "done", "all"] = "open"
    due: Literal["overdue", "today", "week"] | None = None
    person: int | None = Field(None, ge=1, le=2**31 - 1, description="Only tasks about them")
    sort: Literal["due", "-due", "title", "-title"] = "due"
    limit: int = Field(200, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get("/tasks", response=list[TaskOut], summary="Tasks, filtered as on the tasks page")
def task_list(request: HttpRequest, filters: Query[TaskFilter]):
    rows = task_list_for_user(
        user=request.auth,
        scope=filters.scope,
        state="all" if filters.include_done else filters.state,
        due=filters.due or "",
        person_id=filters.person,
        sort=filters.sort,
    )
    return [task_out(t) for t in rows[filters.offset : filters.offset + filters.limit]]


@router.post("/tasks", response={201: TaskOut})
def task_create(request: HttpRequest, payload: TaskIn):
    task = services.task_create(
        actor=request.auth, title=payload.title, due_at=payload.due_at, **_links(request, payload)
    )
    return Status(201, task_out(task))


def _task(request: HttpRequest, pk: int) -> Task:
    return get_object_or_404(Task, pk=pk, assignee=request.auth)


class TaskPatch(Schema):
    version: int | None = VERSION
    title: str | None = None
    due_at: datetime | None = None


@router.patch("/tasks/{pk}", response=TaskOut, summary="Change a task's title or due time")
def task_edit(request: HttpRequest, pk: int, payload: TaskPatch):
    fields = payload.dict(exclude_unset=True)
    task = services.task_update(
        actor=request.auth,
        task=_task(request, pk),
        expected_version=fields.pop("version", None),
        **fields,
    )
    return task_out(task)


@router.post("/tasks/{pk}/done", response=TaskOut)
def task_done(request: HttpRequest, pk: int):
    return task_out(services.task_complete(actor=request.auth, task=_task(request, pk)))


@router.post("/tasks/{pk}/undo", response=TaskOut)
def task_undo(request: HttpRequest, pk: int):
    return task_out(services.task_reopen(actor=request.auth, task=_task(request, pk)))


def _goals(request: HttpRequest) -> list[dict]:
    return [{**vars(p), "met": p.met} for p in goal_progress(user=request.auth)]


@router.get("/goals", response=list[GoalOut], summary="My goals and today's progress")
def goal_list(request: HttpRequest):
    return _goals(request)


@router.put("/goals/{kind}", response=list[GoalOut])
def goal_update(request: HttpRequest, kind: str, payload: GoalIn):
    services.goal_set(actor=request.auth, kind=kind, target=payload.target)
    return _goals(request)


def _verdict_out(deal: Deal, seen) -> dict:
    return {
        "deal": deal.pk,
        "title": deal.title,
        "verdict": seen.verdict,
        "computed": seen.computed,
        "score": seen.score,
        "override_reason": seen.override.reason if seen.override else None,
        "evidence": [i.pk for i in seen.evidence],
    }


@router.get("/push-pull", response=list[VerdictOut], summary="Push/Pull of open deals")
def verdict_list(
    request: HttpRequest,
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    open_deals = visible_to(Deal.objects.filter(outcome=Outcome.OPEN), request.auth)
    deals = list(open_deals.order_by("id")[offset : offset + limit])
    verdicts = deal_verdicts(deal_ids=[d.pk for d in deals])
    return [_verdict_out(d, verdicts[d.pk]) for d in deals]


@router.put("/deals/{pk}/push-pull", response=VerdictOut, summary="Override a verdict")
def verdict_override(request: HttpRequest, pk: int, payload: OverrideIn):
    deal = get_record_for_user(Deal.objects.all(), user=request.auth, pk=pk, write=True)
    services.verdict_override_set(
        actor=request.auth, deal=deal, verdict=payload.verdict, reason=payload.reason
    )
    return _verdict_out(deal, deal_verdicts(deal_ids=[deal.pk])[deal.pk])
