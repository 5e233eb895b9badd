"""REST endpoints for testimonials and case studies, and the list a website may publish.

Consent decides every name that leaves through them (`attribution`); publishing without
consent answers 422."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import File, Query, Router
from ninja.files import UploadedFile

from attract.aftercare import testimonial_selectors as selectors
from attract.aftercare import testimonial_services as services
from attract.aftercare.departure_schemas import (
    CaseStudyIn,
    CaseStudyOut,
    CaseStudyPatch,
    PublishedTestimonialOut,
    TaskRefOut,
    TestimonialIn,
    TestimonialOut,
    TestimonialPatch,
    TestimonialRequestIn,
)
from attract.aftercare.models import CaseStudy, Consent, Testimonial
from attract.core.access import get_record_for_user
from attract.core.permissions import name_seen_by, visible_to
from attract.people.models import Company, Person
from attract.people.schemas import PageQuery

router = Router(tags=["testimonials"])


def _visible(model: type, actor, pk: int | None, field: str):
    if pk is None:
        return None
    record = visible_to(model.objects.all(), actor).filter(pk=pk).first()
    if record is None:
        raise ValidationError({field: f"No {field} with the id {pk}."})
    return record


def _testimonial_out(request: HttpRequest, t: Testimonial) -> dict[str, Any]:
    return {
        "id": t.pk, "company": {"id": t.company_id, "name": t.company.name},
        "person": name_seen_by(request.auth, t.person), "words": t.words, "said_on": t.said_on,
        "consent": t.consent, "attribution": services.attribution(t),
        "published_at": t.published_at, "version": t.version,
        "snippet": selectors.testimonial_snippet(t) if t.consent != Consent.NONE else "",
    }  # fmt: skip


def _case_out(request: HttpRequest, c: CaseStudy) -> dict[str, Any]:
    return {
        "id": c.pk, "company": {"id": c.company_id, "name": c.company.name},
        "person": name_seen_by(request.auth, c.person), "title": c.title, "pain": c.pain,
        "what_we_did": c.what_we_did, "result": c.result, "consent": c.consent,
        "attribution": services.attribution(c), "has_image": bool(c.image_type),
        "published_at": c.published_at, "version": c.version,
        "snippet": selectors.case_study_snippet(c) if c.consent != Consent.NONE else "",
    }  # fmt: skip


def _testimonial(request, pk: int, *, write: bool = False, trash: bool = False) -> Testimonial:
    queryset = selectors.visible_testimonials(request.auth, include_trash=trash)
    return get_record_for_user(queryset, user=request.auth, pk=pk, write=write)


def _case(request, pk: int, *, write: bool = False, trash: bool = False) -> CaseStudy:
    queryset = selectors.visible_case_studies(request.auth, include_trash=trash)
    return get_record_for_user(queryset, user=request.auth, pk=pk, write=write)


def _fields(payload, request) -> dict[str, Any]:
    fields = payload.dict(exclude_unset=True)
    fields.pop("version", None)
    fields.pop("company", None)
    if "person" in fields:
        fields["person"] = _visible(Person, request.auth, fields["person"], "person")
    return fields


# --- Testimonials ---------------------------------------------------------------------------


@router.get("/testimonials", response=list[TestimonialOut], summary="List testimonials")
def list_testimonials(request: HttpRequest, page: Query[PageQuery]):
    items = selectors.visible_testimonials(request.auth)[page.offset : page.offset + page.limit]
    return [_testimonial_out(request, t) for t in items]


@router.get(
    "/testimonials/published",
    response=list[PublishedTestimonialOut],
    summary="The testimonials a website may show, named as far as each customer consented",
)
def published_testimonials(request: HttpRequest, page: Query[PageQuery]):
    queryset = selectors.publishable(selectors.visible_testimonials(request.auth))
    items = queryset.order_by("-said_on", "-id")[page.offset : page.offset + page.limit]
    return [{"words": t.words, "attribution": services.attribution(t), "said_on": t.said_on}
            for t in items]  # fmt: skip


@router.post("/testimonials", response={201: TestimonialOut}, summary="Record a testimonial")
def create_testimonial(request: HttpRequest, payload: TestimonialIn):
    company = _visible(Company, request.auth, payload.company, "company")
    fields = _fields(payload, request)
    if fields.get("said_on") is None:
        fields.pop("said_on", None)
    t = services.testimonial_create(actor=request.auth, company=company, **fields)
    return 201, _testimonial_out(request, _testimonial(request, t.pk))


@router.post(
    "/testimonials/requests",
    response={201: TaskRefOut},
    summary="Ask a happy customer for a testimonial (a task)",
)
def request_testimonial(request: HttpRequest, payload: TestimonialRequestIn):
    company = _visible(Company, request.auth, payload.company, "company")
    person = _visible(Person, request.auth, payload.person, "person")
    task = services.testimonial_request(actor=request.auth, company=company, person=person)
    return 201, {"id": task.pk, "title": task.title, "due_at": task.due_at}


@router.get("/testimonials/{testimonial_id}", response=TestimonialOut, summary="A testimonial")
def get_testimonial(request: HttpRequest, testimonial_id: int):
    return _testimonial_out(request, _testimonial(request, testimonial_id))


@router.patch(
    "/testimonials/{testimonial_id}", response=TestimonialOut, summary="Change a testimonial"
)
def update_testimonial(request: HttpRequest, testimonial_id: int, payload: TestimonialPatch):
    t = _testimonial(request, testimonial_id, write=True)
    services.testimonial_update(
        actor=request.auth, testimonial=t, expected_version=payload.version,
        **_fields(payload, request),
    )  # fmt: skip
    return _testimonial_out(request, _testimonial(request, testimonial_id))


@router.post(
    "/testimonials/{testimonial_id}/publish",
    response=TestimonialOut,
    summary="Publish (422 without the customer's consent)",
)
def publish_testimonial(request: HttpRequest, testimonial_id: int):
    t = _testimonial(request, testimonial_id, write=True)
    services.testimonial_publish(actor=request.auth, testimonial=t)
    return _testimonial_out(request, _testimonial(request, testimonial_id))


@router.post(
    "/testimonials/{testimonial_id}/unpublish", response=TestimonialOut, summary="Stop publishing"
)
def unpublish_testimonial(request: HttpRequest, testimonial_id: int):
    t = _testimonial(request, testimonial_id, write=True)
    services.testimonial_publish(actor=request.auth, testimonial=t, publish=False)
    return _testimonial_out(request, _testimonial(request, testimonial_id))


@router.delete("/testimonials/{testimonial_id}", response={204: None}, summary="Move to the trash")
def trash_testimonial(request: HttpRequest, testimonial_id: int):
    services.testimonial_trash(
        actor=request.auth, testimonial=_testimonial(request, testimonial_id, write=True)
    )
    return 204, None


@router.post("/testimonials/{testimonial_id}/restore", response=TestimonialOut, summary="Restore")
def restore_testimonial(request: HttpRequest, testimonial_id: int):
    t = _testimonial(request, testimonial_id, write=True, trash=True)
    services.testimonial_restore(actor=request.auth, testimonial=t)
    return _testimonial_out(request, _testimonial(request, testimonial_id))


# --- Case studies ---------------------------------------------------------------------------


@router.get("/case-studies", response=list[CaseStudyOut], summary="List case studies")
def list_case_studies(request: HttpRequest, page: Query[PageQuery]):
    items = selectors.visible_case_studies(request.auth)[page.offset : page.offset + page.limit]
    return [_case_out(request, c) for c in items]


@router.post("/case-studies", response={201: CaseStudyOut}, summary="Write a case study")
def create_case_study(request: HttpRequest, payload: CaseStudyIn):
    company = _visible(Company, request.auth, payload.company, "company")
    case = services.case_study_create(
        actor=request.auth, company=company, **_fields(payload, request)
    )
    return 201, _case_out(request, _case(request, case.pk))


@router.get("/case-studies/{case_id}", response=CaseStudyOut, summary="A case study")
def get_case_study(request: HttpRequest, case_id: int):
    return _case_out(request, _case(request, case_id))


@router.patch("/case-studies/{case_id}", response=CaseStudyOut, summary="Change a case study")
def update_case_study(request: HttpRequest, case_id: int, payload: CaseStudyPatch):
    case = _case(request, case_id, write=True)
    services.case_study_update(
        actor=request.auth, case=case, expected_version=payload.version,
        **_fields(payload, request),
    )  # fmt: skip
    return _case_out(request, _case(request, case_id))


@router.post(
    "/case-studies/{case_id}/image",
    response=CaseStudyOut,
    summary="Upload the picture (an image, checked and resized; 20 MB at most)",
)
def upload_case_image(request: HttpRequest, case_id: int, image: File[UploadedFile] = None):
    case = _case(request, case_id, write=True)
    if image is None:
        raise ValidationError({"image": "Send the picture as the multipart field `image`."})
    services.case_study_update(actor=request.auth, case=case, image=image)
    return _case_out(request, _case(request, case_id))


@router.post(
    "/case-studies/{case_id}/publish",
    response=CaseStudyOut,
    summary="Publish (422 without the customer's consent)",
)
def publish_case_study(request: HttpRequest, case_id: int):
    case = _case(request, case_id, write=True)
    services.case_study_publish(actor=request.auth, case=case)
    return _case_out(request, _case(request, case_id))


@router.post("/case-studies/{case_id}/unpublish", response=CaseStudyOut, summary="Stop publishing")
def unpublish_case_study(request: HttpRequest, case_id: int):
    case = _case(request, case_id, write=True)
    services.case_study_publish(actor=request.auth, case=case, publish=False)
    return _case_out(request, _case(request, case_id))


@router.delete("/case-studies/{case_id}", response={204: None}, summary="Move to the trash")
def trash_case_study(request: HttpRequest, case_id: int):
    services.case_study_trash(actor=request.auth, case=_case(request, case_id, write=True))
    return 204, None


@router.post("/case-studies/{case_id}/restore", response=CaseStudyOut, summary="Restore")
def restore_case_study(request: HttpRequest, case_id: int):
    case = _case(request, case_id, write=True, trash=True)
    services.case_study_restore(actor=request.auth, case=case)
    return _case_out(request, _case(request, case_id))
