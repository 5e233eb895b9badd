"""Writes of the business's letter templates and of each user's signature: every edit made
against the version the user saw, merge fields checked at save, the trash instead of delete."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from attract.accounts.models import User
from attract.core.permissions import can_write
from attract.core.record_writes import fields_apply, record_save
from attract.core.versions import lock_for_edit, next_version
from attract.mail.models import MailSignature, MailTemplate
from attract.mail.template_merge import merge_check

TEMPLATE_FIELDS = ("name", "subject", "body")


def _require_write(actor: User) -> None:
    if not can_write(actor):
        raise PermissionDenied("Your role can read but not change records.")


def _check(template: MailTemplate) -> None:
    if not template.name:
        raise ValidationError({"name": "Give the template a name."})
    if "\n" in template.subject or "\r" in template.subject:
        raise ValidationError({"subject": "A subject is one line."})
    merge_check(field_name="subject", text=template.subject)
    merge_check(field_name="body", text=template.body)
    taken = MailTemplate.objects.filter(name__iexact=template.name).exclude(pk=template.pk)
    if taken.exists():
        raise ValidationError({"name": f"A template called “{template.name}” exists already."})


def _save(template: MailTemplate, actor: User, *, creating: bool, reason: str) -> None:
    try:
        with transaction.atomic():
            record_save(template, actor, creating=creating, reason=reason)
    except IntegrityError as exc:  # the same name saved a moment ago by someone else
        raise ValidationError(
            {"name": f"A template called “{template.name}” exists already."}
        ) from exc


def template_create(*, actor: User, **fields: Any) -> MailTemplate:
    _require_write(actor)
    template = MailTemplate()
    fields_apply(template, fields, TEMPLATE_FIELDS)
    _check(template)
    _save(template, actor, creating=True, reason="Written")
    return template


@transaction.atomic
def template_update(
    *, actor: User, template: MailTemplate, expected_version: int | None = None, **fields: Any
) -> MailTemplate:
    _require_write(actor)
    lock_for_edit(template, expected_version)
    if template.in_trash:
        raise ValidationError("This template is in the trash; restore it first.")
    fields_apply(template, fields, TEMPLATE_FIELDS)
    _check(template)
    next_version(template)
    _save(template, actor, creating=False, reason="Changed")
    return template


def template_trash(*, actor: User, template: MailTemplate) -> None:
    _require_write(actor)
    template.deleted_at = timezone.now()
    template.deleted_by = actor
    record_save(template, actor, creating=False, reason="Moved to the trash")


def template_restore(*, actor: User, template: MailTemplate) -> None:
    _require_write(actor)
    if MailTemplate.objects.filter(name__iexact=template.name).exclude(pk=template.pk).exists():
        raise ValidationError(
            f"Another template is called “{template.name}” now: rename it first, then restore."
        )
    template.deleted_at = None
    template.deleted_by = None
    _save(template, actor, creating=False, reason="Restored")


def signature_of(user: User) -> str:
    row = MailSignature.objects.filter(user=user).first()
    return row.signature if row else ""


def signature_set(*, actor: User, signature: str) -> MailSignature:
    text = (signature or "").replace("\r\n", "\n").strip()
    if len(text) > 2_000:
        raise ValidationError({"signature": "Keep the signature under 2,000 characters."})
    merge_check(field_name="signature", text=text)
    if "{{" in text:
        raise ValidationError({"signature": "A signature cannot hold merge fields."})
    row, _ = MailSignature.objects.update_or_create(user=actor, defaults={"signature": text})
    return row
