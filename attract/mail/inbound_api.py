"""Receiving over the API: the caller's mailbox (connect, test, sync, errors), importing an
.eml or .mbox file, and the unmatched addresses with "add as a person". The password is
write-only: no answer ever holds it."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404, HttpRequest
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from attract.core.api_errors import ErrorOut
from attract.engagement.models import Interaction
from attract.mail import inbound_selectors, mailbox_services
from attract.mail.inbound_files import mail_import
from attract.mail.inbound_scheduled import mail_sync_one
from attract.mail.mailbox_imap import MailboxError
from attract.mail.mailbox_sync import mailbox_test
from attract.mail.models import Mailbox

router = Router(tags=["mail"])


class FolderOut(Schema):
    role: str
    name: str
    last_uid: int
    synced_at: datetime | None


class MailboxOut(Schema):
    host: str
    port: int
    security: str
    username: str
    inbox_folder: str
    sent_folder: str
    is_active: bool
    version: int
    has_password: bool
    last_sync_at: datetime | None
    last_sync_logged: int
    last_tested_at: datetime | None
    last_error: str
    last_error_at: datetime | None
    folders: list[FolderOut]

    @staticmethod
    def resolve_has_password(obj: Mailbox) -> bool:
        return bool(obj.password_encrypted)

    @staticmethod
    def resolve_folders(obj: Mailbox) -> list:
        return list(obj.folder_states.all())


class MailboxState(Schema):
    connected: bool
    mailbox: MailboxOut | None = None


class MailboxIn(Schema):
    host: str = Field(max_length=253)
    port: int = Field(993, ge=1, le=65535)
    security: str = Field("tls", description="tls, starttls, or none (this machine only)")
    username: str = Field(max_length=320)
    password: str = Field(
        "", max_length=1000, description="Write-only; empty keeps the stored one."
    )
    inbox_folder: str = Field("INBOX", max_length=200)
    sent_folder: str = Field("Sent", max_length=200)
    version: int | None = Field(None, description="The version you read, to refuse a stale change.")


class Message(Schema):
    message: str


class ImportReportOut(Schema):
    total: int
    logged: int
    unmatched: int
    already_logged: int
    not_counted: int
    team: int
    suspicious: int
    failed: int
    interactions: int
    unmatched_addresses: list[str]
    problems: list[str]


class UnmatchedOut(Schema):
    id: int
    address: str
    name: str
    message_count: int
    first_seen_at: datetime
    last_seen_at: datetime
    last_subject: str
    suspicious: bool
    suspicious_reason: str


class UnmatchedPage(Schema):
    count: int
    items: list[UnmatchedOut]


class UnmatchedQuery(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)
    suspicious: bool | None = None


class PersonIn(Schema):
    first_name: str = Field("", max_length=100)
    last_name: str = Field("", max_length=100)


class PersonCreated(Schema):
    person_id: int
    interactions_logged: int


def _mailbox(request: HttpRequest) -> Mailbox:
    mailbox = inbound_selectors.mailbox_for(user=request.auth)
    if mailbox is None:
        raise Http404("No mailbox is connected.")
    return mailbox


def _waiting(request: HttpRequest, pk: int):
    row = inbound_selectors.unmatched_waiting_for(user=request.auth).filter(pk=pk).first()
    if row is None:
        raise Http404("No such address is waiting.")
    return row


def _state(request: HttpRequest) -> dict:
    mailbox = inbound_selectors.mailbox_for(user=request.auth)
    return {"connected": mailbox is not None, "mailbox": mailbox}


@router.get("/mail/mailbox", response=MailboxState, summary="Your mailbox and its last sync")
def mailbox_get(request: HttpRequest):
    return _state(request)


@router.put("/mail/mailbox", response=MailboxState, summary="Connect your mailbox, or change it")
def mailbox_put(request: HttpRequest, payload: MailboxIn):
    mailbox_services.mailbox_connect(
        actor=request.auth,
        expected_version=payload.version,
        **payload.dict(exclude={"version"}),
    )
    return _state(request)


# 404 on the three below: the user's own mailbox, when none is connected (no id in the path,
# so the schema's rule for records named in a path does not add it).
@router.delete(
    "/mail/mailbox", response={204: None, 404: ErrorOut}, summary="Disconnect your mailbox"
)
def mailbox_delete(request: HttpRequest):
    _mailbox(request)
    mailbox_services.mailbox_disconnect(actor=request.auth)
    return Status(204, None)


@router.post(
    "/mail/mailbox/test",
    response={200: Message, 404: ErrorOut, 422: Message},
    summary="Log in now",
)
def mailbox_try(request: HttpRequest):
    try:
        return Status(200, {"message": mailbox_test(mailbox=_mailbox(request))})
    except MailboxError as exc:
        return Status(422, {"message": str(exc)})


@router.post(
    "/mail/mailbox/sync", response={202: Message, 404: ErrorOut}, summary="Queue a sync now"
)
def mailbox_sync_now(request: HttpRequest):
    mailbox = _mailbox(request)
    mailbox_services._require_write(request.auth)
    mail_sync_one.enqueue(mailbox.pk)
    return Status(202, {"message": "A sync is queued; GET /mail/mailbox shows its result."})


@router.post("/mail/import", response=ImportReportOut, summary="Import an .eml or .mbox file")
def mail_file_import(request: HttpRequest, file: File[UploadedFile]):
    try:
        return mail_import(actor=request.auth, stream=file).as_dict()
    finally:
        file.close()


@router.get("/mail/unmatched", response=UnmatchedPage, summary="Addresses matching no person")
def unmatched_list(request: HttpRequest, query: Query[UnmatchedQuery]):
    rows = inbound_selectors.unmatched_waiting_for(user=request.auth, suspicious=query.suspicious)
    return {"count": rows.count(), "items": list(rows[query.offset : query.offset + query.limit])}


@router.post(
    "/mail/unmatched/{unmatched_id}/person",
    response={201: PersonCreated},
    summary="Add the address as a person, with its waiting messages",
)
def unmatched_person(request: HttpRequest, unmatched_id: int, payload: PersonIn):
    row = _waiting(request, unmatched_id)
    person = mailbox_services.unmatched_add_person(
        actor=request.auth,
        unmatched=row,
        first_name=payload.first_name,
        last_name=payload.last_name,
    )
    logged = Interaction.objects.filter(person=person).count()
    return Status(201, {"person_id": person.pk, "interactions_logged": logged})


@router.post(
    "/mail/unmatched/{unmatched_id}/dismiss", response={204: None}, summary="Take it off the list"
)
def unmatched_dismiss(request: HttpRequest, unmatched_id: int):
    row = _waiting(request, unmatched_id)
    mailbox_services.unmatched_dismiss(actor=request.auth, unmatched=row)
    return Status(204, None)
