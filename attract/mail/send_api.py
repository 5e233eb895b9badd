"""REST endpoints for letter templates, sending and a send's progress.

POST /mail/send writes the send and leaves the delivery to the worker (202 with the send's
id); GET /mail/sends/{id} says how far it got."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from attract.core.access import get_record_for_user
from attract.mail import template_services as services
from attract.mail.compose_sources import persons_for_mail
from attract.mail.models import MailSend, MailTemplate
from attract.mail.send_services import MAX_RECIPIENTS, send_prepare, send_progress
from attract.mail.send_tasks import send_enqueue
from attract.people.schemas import VERSION_FIELD, PageQuery
from attract.pipeline.models import Deal

router = Router(tags=["mail"])


class TemplateIn(Schema):
    name: str = Field(..., max_length=120)
    subject: str = Field(..., max_length=300)
    body: str = Field(..., max_length=20_000)


class TemplatePatch(Schema):
    version: int | None = VERSION_FIELD
    name: str | None = Field(None, max_length=120)
    subject: str | None = Field(None, max_length=300)
    body: str | None = Field(None, max_length=20_000)


class TemplateOut(Schema):
    id: int
    name: str
    subject: str
    body: str
    version: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None


class SendIn(Schema):
    persons: list[int] = Field(
        ..., min_length=1, max_length=MAX_RECIPIENTS, description="Ids of the persons to write to."
    )
    template: int | None = Field(
        None, description="A template's id; its subject and body are used unless given."
    )
    subject: str | None = Field(None, max_length=300)
    body: str | None = Field(None, max_length=20_000)
    deal: int | None = Field(None, description="The deal the letter is about ({{ deal }}).")
    bulk: bool | None = Field(
        None, description="Add the unsubscribe link (default: when there is more than one person)."
    )


class SendOut(Schema):
    id: int
    status: str
    subject: str
    bulk: bool
    total: int
    sent: int
    skipped: int
    failed: int
    pending: int
    error: str
    created_at: datetime
    finished_at: datetime | None


def _send_out(send: MailSend) -> dict:
    progress = send_progress(send)
    return {
        "id": send.pk, "status": send.status, "subject": send.subject, "bulk": send.bulk,
        "total": progress.total, "sent": progress.sent, "skipped": progress.skipped,
        "failed": progress.failed, "pending": progress.pending, "error": send.error,
        "created_at": send.created_at, "finished_at": send.finished_at,
    }  # fmt: skip


def _template(request, pk: int, *, write: bool = False, trash: bool = False) -> MailTemplate:
    manager = MailTemplate.all_objects if trash else MailTemplate.objects
    return get_record_for_user(manager.all(), user=request.auth, pk=pk, write=write)


@router.get("/mail/templates", response=list[TemplateOut], summary="List e-mail templates")
def list_templates(request: HttpRequest, page: Query[PageQuery]):
    rows = MailTemplate.objects.order_by("name", "id")
    return list(rows[page.offset : page.offset + page.limit])


@router.post("/mail/templates", response={201: TemplateOut}, summary="Write a template")
def create_template(request: HttpRequest, payload: TemplateIn):
    return Status(201, services.template_create(actor=request.auth, **payload.dict()))


@router.get("/mail/templates/{template_id}", response=TemplateOut, summary="A template")
def get_template(request: HttpRequest, template_id: int):
    return _template(request, template_id, trash=True)


@router.patch("/mail/templates/{template_id}", response=TemplateOut, summary="Change a template")
def update_template(request: HttpRequest, template_id: int, payload: TemplatePatch):
    template = _template(request, template_id, write=True)
    fields = payload.dict(exclude_unset=True)
    version = fields.pop("version", None)
    return services.template_update(
        actor=request.auth, template=template, expected_version=version, **fields
    )


@router.delete("/mail/templates/{template_id}", response={204: None}, summary="Move to the trash")
def trash_template(request: HttpRequest, template_id: int):
    services.template_trash(
        actor=request.auth, template=_template(request, template_id, write=True)
    )
    return Status(204, None)


@router.post("/mail/templates/{template_id}/restore", response=TemplateOut, summary="Restore")
def restore_template(request: HttpRequest, template_id: int):
    template = _template(request, template_id, write=True, trash=True)
    services.template_restore(actor=request.auth, template=template)
    return template


@router.post(
    "/mail/send",
    response={202: SendOut},
    summary="Send a letter to persons (delivered by the worker)",
    description="Persons who asked not to be e-mailed, have no address or unsubscribed are "
    "listed as not sent; one such person alone is refused with 422.",
)
def send(request: HttpRequest, payload: SendIn):
    template = _template(request, payload.template) if payload.template is not None else None
    subject = (
        payload.subject if payload.subject is not None else (template.subject if template else "")
    )
    body = payload.body if payload.body is not None else (template.body if template else "")
    ids = set(payload.persons)
    persons = list(persons_for_mail(request.auth).filter(pk__in=ids))
    missing = ids - {p.pk for p in persons}
    if missing:
        raise ValidationError({"persons": f"No person with the id {min(missing)}."})
    deal = None
    if payload.deal is not None:
        try:
            deal = get_record_for_user(Deal.objects.all(), user=request.auth, pk=payload.deal)
        except Http404 as exc:
            raise ValidationError({"deal": f"No deal with the id {payload.deal}."}) from exc
    prepared = send_prepare(
        actor=request.auth, persons=persons, subject=subject, body=body,
        base_url=settings.ATTRACT_BASE_URL, template=template, deal=deal, bulk=payload.bulk,
    )  # fmt: skip
    send_enqueue(prepared)
    return Status(202, _send_out(prepared))


@router.get("/mail/sends/{send_id}", response=SendOut, summary="How far a send got")
def get_send(request: HttpRequest, send_id: int):
    send = MailSend.objects.filter(pk=send_id).first()
    if send is None or (
        send.sender_id != request.auth.pk and request.auth.role not in {"owner", "admin"}
    ):
        raise Http404
    return _send_out(send)
