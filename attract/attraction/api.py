"""REST endpoints for the attraction plan, its journal, traits, private thank-you notes and
fit, mounted at /api/v1/. Plan edits answer 403 to anyone but the owner and admins;
thank-you notes exist only for their author (anyone else gets 404)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from attract.attraction import selectors, services
from attract.attraction.models import (
    Complaint,
    Expectation,
    Quality,
    ThankYouNote,
    TickQuestion,
    Trait,
)
from attract.attraction.schemas import (
    AssessmentIn,
    ComplaintIn,
    ComplaintOut,
    ExpectationIn,
    ExpectationOut,
    ExpectationPatch,
    FitOut,
    PlanOut,
    PlanPatch,
    QualityIn,
    QualityOut,
    QualityPatch,
    QuestionIn,
    QuestionOut,
    QuestionPatch,
    RequirementIn,
    RevisionIn,
    RevisionOut,
    ThankYouNoteIn,
    ThankYouNoteOut,
    TraitIn,
    TraitOut,
    TurnIntoQualityIn,
    WeightIn,
)
from attract.core.access import get_record_for_user
from attract.core.permissions import visible_or_none, visible_to
from attract.people.models import Company, Person
from attract.people.selectors import company_detail_queryset, person_detail_queryset

router = Router(tags=["attraction plan"])


def _get(model: type[Model], pk: int, **filters) -> Model:
    record = model.objects.filter(pk=pk, **filters).first()
    if record is None:
        raise Http404
    return record


def _edit(payload: Schema) -> dict[str, Any]:
    """The fields a PATCH names, with its version as the services' expected_version."""
    fields = payload.dict(exclude_unset=True)
    fields["expected_version"] = fields.pop("version", None)
    return fields


def _quality_out(q: Quality) -> dict:
    return {
        "id": q.pk,
        "text": q.text,
        "weight": q.weight,
        "active": q.is_active,
        "version": q.version,
    }


def _expectation_out(e: Expectation) -> dict:
    return {
        "id": e.pk,
        "category": e.category,
        "text": e.text,
        "metric": e.metric,
        "value": e.value,
        "unit": e.unit,
        "better": e.better,
        "commitment": e.commitment,
        "version": e.version,
    }


def _plan_out(request: HttpRequest) -> dict:
    plan = services.plan_get()
    return {
        "version": plan.version,
        "perfect_number": plan.perfect_number,
        "perfect_customers_now": selectors.perfect_customer_count(request.auth),
        "statement": selectors.statement_for(plan),
        "qualities": [_quality_out(q) for q in selectors.active_qualities(plan)],
        "questions": list(selectors.active_questions(plan)),
        "expectations": [_expectation_out(e) for e in selectors.active_expectations(plan)],
    }


@router.get("/plan", response=PlanOut, summary="The attraction plan with its three sides")
def plan_show(request: HttpRequest):
    return _plan_out(request)


@router.patch("/plan", response=PlanOut, summary="Change the perfect number or the statement")
def plan_patch(request: HttpRequest, payload: PlanPatch):
    services.plan_update(actor=request.auth, **_edit(payload))
    return _plan_out(request)


@router.get("/plan/revisions", response=list[RevisionOut], summary="Dated revisions")
def revision_list(request: HttpRequest):
    return list(selectors.revisions(services.plan_get()))


@router.post("/plan/revisions", response={201: RevisionOut}, summary="Keep a dated revision")
def revision_create(request: HttpRequest, payload: RevisionIn):
    return Status(201, services.plan_revision_create(actor=request.auth, note=payload.note))


@router.post("/plan/qualities", response={201: QualityOut}, summary="Add a quality (side 1)")
def quality_create(request: HttpRequest, payload: QualityIn):
    return Status(201, _quality_out(services.quality_create(actor=request.auth, **payload.dict())))


@router.patch("/plan/qualities/{quality_id}", response=QualityOut, summary="Change a quality")
def quality_patch(request: HttpRequest, quality_id: int, payload: QualityPatch):
    quality = services.quality_update(
        actor=request.auth, quality=_get(Quality, quality_id), **_edit(payload)
    )
    return _quality_out(quality)


@router.delete(
    "/plan/qualities/{quality_id}",
    response=QualityOut,
    summary="Remove a quality (kept in history, no longer counted)",
)
def quality_remove(request: HttpRequest, quality_id: int):
    quality = services.quality_remove(actor=request.auth, quality=_get(Quality, quality_id))
    return _quality_out(quality)


@router.post("/plan/questions", response={201: QuestionOut}, summary="Add a question (side 2)")
def question_create(request: HttpRequest, payload: QuestionIn):
    return Status(201, services.question_create(actor=request.auth, **payload.dict()))


@router.patch("/plan/questions/{question_id}", response=QuestionOut, summary="Answer a question")
def question_patch(request: HttpRequest, question_id: int, payload: QuestionPatch):
    question = _get(TickQuestion, question_id, removed_at__isnull=True)
    return services.question_update(actor=request.auth, question=question, **_edit(payload))


@router.post(
    "/plan/expectations", response={201: ExpectationOut}, summary="Add an expectation (side 3)"
)
def expectation_create(request: HttpRequest, payload: ExpectationIn):
    item = services.expectation_create(actor=request.auth, **payload.dict())
    return Status(201, _expectation_out(item))


@router.patch(
    "/plan/expectations/{expectation_id}", response=ExpectationOut, summary="Change an item"
)
def expectation_patch(request: HttpRequest, expectation_id: int, payload: ExpectationPatch):
    item = services.expectation_update(
        actor=request.auth,
        expectation=_get(Expectation, expectation_id),
        **_edit(payload),
    )
    return _expectation_out(item)


@router.delete("/plan/expectations/{expectation_id}", response={204: None}, summary="Remove")
def expectation_remove(request: HttpRequest, expectation_id: int):
    services.expectation_remove(actor=request.auth, expectation=_get(Expectation, expectation_id))
    return Status(204, None)


# --- Journal, traits, notes -------------------------------------------------------------


def _subject_ids(actor, company_id: int | None, person_id: int | None) -> dict:
    """Ids from the client to records; a missing or private one is a field error."""
    found = {}
    for field, model, pk in (("company", Company, company_id), ("person", Person, person_id)):
        if pk is not None:
            record = visible_to(model.objects.all(), actor).filter(pk=pk).first()
            if record is None:
                raise ValidationError({field: f"No {field} with the id {pk}."})
            found[field] = record
    return found


def _complaint_out(c: Complaint, reader) -> dict:
    # The journal is the team's, but the company or person a complaint is about may be
    # someone else's private record: the reader gets no id for it.
    company = visible_or_none(reader, c.company) if c.company_id else None
    person = visible_or_none(reader, c.person) if c.person_id else None
    return {
        "id": c.pk,
        "text": c.text,
        "company": company.pk if company else None,
        "person": person.pk if person else None,
        "quality": c.quality_id,
        "created_at": c.created_at,
    }


@router.get("/complaints", response=list[ComplaintOut], summary="The complaints journal")
def complaint_list(request: HttpRequest):
    return [_complaint_out(c, request.auth) for c in selectors.complaints_for(request.auth)]


@router.post("/complaints", response={201: ComplaintOut}, summary="Write down a complaint")
def complaint_create(request: HttpRequest, payload: ComplaintIn):
    subjects = _subject_ids(request.auth, payload.company, payload.person)
    complaint = services.complaint_create(actor=request.auth, text=payload.text, **subjects)
    return Status(201, _complaint_out(complaint, request.auth))


@router.post(
    "/complaints/{complaint_id}/quality",
    response={201: QualityOut},
    summary="Turn a complaint around into a quality",
)
def complaint_turn(request: HttpRequest, complaint_id: int, payload: TurnIntoQualityIn):
    quality = services.complaint_turn_into_quality(
        actor=request.auth, complaint=_get(Complaint, complaint_id), **payload.dict()
    )
    return Status(201, _quality_out(quality))


@router.get("/traits", response=list[TraitOut], summary="The traits exercise")
def trait_list(request: HttpRequest):
    return [
        {
            "id": t.pk,
            "less_than_perfect": t.less_than_perfect,
            "opposite": t.opposite,
            "quality": t.quality_id,
        }
        for t in selectors.traits()
    ]


@router.post("/traits", response={201: TraitOut}, summary="Add a trait and its opposite")
def trait_create(request: HttpRequest, payload: TraitIn):
    trait = services.trait_create(actor=request.auth, **payload.dict())
    return Status(201, {**payload.dict(), "id": trait.pk, "quality": None})


@router.post(
    "/traits/{trait_id}/quality", response={201: QualityOut}, summary="Add the opposite to side 1"
)
def trait_add(request: HttpRequest, trait_id: int, payload: WeightIn):
    quality = services.trait_add_to_plan(
        actor=request.auth, trait=_get(Trait, trait_id), weight=payload.weight
    )
    return Status(201, _quality_out(quality))


@router.get(
    "/thank-you-notes", response=list[ThankYouNoteOut], summary="Your private thank-you notes"
)
def note_list(request: HttpRequest):
    return list(selectors.thank_you_notes_for(request.auth))


@router.post("/thank-you-notes", response={201: ThankYouNoteOut}, summary="Write a note")
def note_create(request: HttpRequest, payload: ThankYouNoteIn):
    return Status(201, services.thank_you_note_create(actor=request.auth, **payload.dict()))


@router.get("/thank-you-notes/{note_id}", response=ThankYouNoteOut, summary="One of your notes")
def note_show(request: HttpRequest, note_id: int):
    return _own_note(request, note_id)


@router.delete("/thank-you-notes/{note_id}", response={204: None}, summary="Delete your note")
def note_delete(request: HttpRequest, note_id: int):
    services.thank_you_note_delete(actor=request.auth, note=_own_note(request, note_id))
    return Status(204, None)


def _own_note(request: HttpRequest, note_id: int) -> ThankYouNote:
    # Someone else's note answers exactly as a note that does not exist.
    note = selectors.thank_you_notes_for(request.auth).filter(pk=note_id).first()
    if note is None:
        raise Http404
    return note


# --- Fit --------------------------------------------------------------------------------

SUBJECTS = {
    "companies": ("company", company_detail_queryset),
    "persons": ("person", person_detail_queryset),
}


def _subject(request: HttpRequest, kind: str, pk: int, *, write: bool = False) -> dict:
    if kind not in SUBJECTS:
        raise Http404
    field, queryset = SUBJECTS[kind]
    return {field: get_record_for_user(queryset(), user=request.auth, pk=pk, write=write)}


def _fit_out(subject: dict) -> dict:
    fit = selectors.fit_for(**subject)
    return {
        "score": fit.score,
        "assessed": fit.assessed,
        "qualities": fit.qualities,
        "share_assessed": fit.share_assessed,
        "poor_fit": fit.is_poor,
        "answers": selectors.assessments_for(**subject),
        "mismatches": [
            {"expectation": r.expectation_id, "value": r.value, "reason": r.mismatch_reason}
            for r in fit.mismatches
        ],
    }


@router.get("/{kind}/{pk}/fit", response=FitOut, summary="Fit of a company or person")
def fit_show(request: HttpRequest, kind: str, pk: int):
    return _fit_out(_subject(request, kind, pk))


@router.put("/{kind}/{pk}/assessments", response=FitOut, summary="Assess against a quality")
def assessment_put(request: HttpRequest, kind: str, pk: int, payload: AssessmentIn):
    subject = _subject(request, kind, pk, write=True)
    quality = _get(Quality, payload.quality)
    services.assessment_set(actor=request.auth, quality=quality, answer=payload.answer, **subject)
    return _fit_out(subject)


@router.put("/{kind}/{pk}/requirements", response=FitOut, summary="Record a requirement")
def requirement_put(request: HttpRequest, kind: str, pk: int, payload: RequirementIn):
    subject = _subject(request, kind, pk, write=True)
    services.requirement_set(
        actor=request.auth,
        expectation=_get(Expectation, payload.expectation),
        value=payload.value,
        note=payload.note,
        **subject,
    )
    return _fit_out(subject)
