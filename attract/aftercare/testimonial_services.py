"""Writes of testimonials and case studies, and the one rule every publication and export
follows: what the customer consented to (see `attribution`).

Publishing without consent is refused; lowering the consent of a published piece takes it
off publication. Asking a happy customer for a testimonial is a task."""

from __future__ import annotations

import io
import warnings
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from attract.accounts.models import User
from attract.aftercare.models import CaseStudy, Consent, Testimonial
from attract.core.permissions import can_change_record, can_view_record, can_write
from attract.core.record_writes import record_save
from attract.core.versions import lock_for_edit, next_version
from attract.engagement.models import Task
from attract.engagement.services import task_create
from attract.people.models import Company, Person

TESTIMONIAL_FIELDS = ("person", "words", "said_on", "consent")
CASE_FIELDS = ("person", "title", "pain", "what_we_did", "result", "consent")
IMAGE_MAX_BYTES = 20 * 1024 * 1024
IMAGE_MAX_SIDE = 1600
IMAGE_MAX_PIXELS = 60_000_000  # larger pictures are refused before they are decoded


def attribution(record: Testimonial | CaseStudy) -> str:
    """Who said it, as far as the customer allows: "" (not for publication), their first name,
    or their full name and company."""
    if record.consent == Consent.FIRST_NAME:
        return record.person.first_name if record.person else ""
    if record.consent == Consent.FULL:
        name = record.person.full_name if record.person else ""
        return ", ".join(p for p in (name, record.company.name) if p)
    return ""


def _require_change(actor: User, company: Company) -> None:
    if not can_write(actor):
        raise PermissionDenied("Your role can read but not change records.")
    if not can_change_record(actor, company):
        raise PermissionDenied("You may not change this customer's records.")


def _apply(record: Any, fields: dict[str, Any], allowed: tuple[str, ...], actor: User) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(f"Unknown field(s): {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if value is None and name != "person":
            value = ""
        setattr(record, name, value)
    person = record.person
    if person is not None and (person.in_trash or not can_view_record(actor, person)):
        raise ValidationError({"person": "Choose a person you can see."})
    if record.consent not in Consent.values:
        raise ValidationError(
            {"consent": "Choose none, first name only, or full name and company."}
        )
    if record.consent != Consent.NONE and person is None:
        raise ValidationError({"person": "Name who said it: their consent is about their name."})
    if record.consent == Consent.NONE:
        record.published_at = None  # consent withdrawn: no longer published


def _check_company(actor: User, company: Company) -> None:
    _require_change(actor, company)
    if company.in_trash:
        raise ValidationError({"company": "This company is in the trash; restore it first."})


def testimonial_create(*, actor: User, company: Company, **fields: Any) -> Testimonial:
    _check_company(actor, company)
    fields.setdefault("said_on", timezone.localdate())
    testimonial = Testimonial(company=company)
    _apply(testimonial, fields, TESTIMONIAL_FIELDS, actor)
    if isinstance(testimonial.said_on, date) and testimonial.said_on > timezone.localdate():
        raise ValidationError({"said_on": "A testimonial cannot be dated in the future."})
    record_save(testimonial, actor, creating=True, reason="Recorded")
    return testimonial


@transaction.atomic
def testimonial_update(
    *, actor: User, testimonial: Testimonial, expected_version: int | None = None, **fields: Any
) -> Testimonial:
    _require_change(actor, testimonial.company)
    lock_for_edit(testimonial, expected_version)
    _apply(testimonial, fields, TESTIMONIAL_FIELDS, actor)
    next_version(testimonial)
    record_save(testimonial, actor, creating=False, reason="Changed")
    return testimonial


def _publish(record: Testimonial | CaseStudy, actor: User, publish: bool) -> None:
    _require_change(actor, record.company)
    if record.in_trash:
        raise ValidationError("It is in the trash; restore it first.")
    if publish and record.consent == Consent.NONE:
        raise ValidationError(
            {
                "consent": "The customer has not consented to publication: record their consent first."
            }
        )
    record.published_at = timezone.now() if publish else None
    next_version(record)
    record_save(record, actor, creating=False, reason="Published" if publish else "Unpublished")


def testimonial_publish(*, actor: User, testimonial: Testimonial, publish: bool = True) -> None:
    _publish(testimonial, actor, publish)


def _trash(record: Testimonial | CaseStudy, actor: User, *, restore: bool) -> None:
    _require_change(actor, record.company)
    record.deleted_at = None if restore else timezone.now()
    record.deleted_by = None if restore else actor
    record_save(
        record, actor, creating=False, reason="Restored" if restore else "Moved to the trash"
    )


def testimonial_trash(*, actor: User, testimonial: Testimonial) -> None:
    _trash(testimonial, actor, restore=False)


def testimonial_restore(*, actor: User, testimonial: Testimonial) -> None:
    _trash(testimonial, actor, restore=True)


def testimonial_request(
    *, actor: User, company: Company, person: Person | None = None, days: int = 3
) -> Task:
    """Asking a happy customer for a testimonial: a task for the asker, due in a few days."""
    _check_company(actor, company)
    who = person.full_name if person else company.name
    return task_create(
        actor=actor,
        title=f"Ask {who} for a testimonial",
        due_at=timezone.now() + timedelta(days=days),
        person=person,
        company=None if person else company,
        assignee=actor,
    )


# --- Case studies ----------------------------------------------------------------------------


def image_checked(upload: Any) -> tuple[bytes, str, int, int]:
    """The uploaded picture, checked to be an image and re-encoded at most 1600 px wide or
    high: (bytes, content type, width, height). Anything else is refused with a reason."""
    size = getattr(upload, "size", None)
    if size is not None and size > IMAGE_MAX_BYTES:
        raise ValidationError({"image": "The picture is larger than 20 MB: choose a smaller one."})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.format not in {"JPEG", "PNG", "WEBP", "GIF"}:
                    raise ValidationError({"image": "Choose a JPEG, PNG, WebP or GIF picture."})
                if image.width * image.height > IMAGE_MAX_PIXELS:
                    raise ValidationError({"image": "The picture has too many pixels."})
                image.load()
                image = image.convert("RGBA" if image.mode in {"RGBA", "LA", "P"} else "RGB")
                image.thumbnail((IMAGE_MAX_SIDE, IMAGE_MAX_SIDE))
                out = io.BytesIO()
                if image.mode == "RGBA":
                    image.save(out, "PNG", optimize=True)
                    kind = "image/png"
                else:
                    image.save(out, "JPEG", quality=85, optimize=True)
                    kind = "image/jpeg"
                return out.getvalue(), kind, image.width, image.height
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:  # fmt: skip
        raise ValidationError({"image": "This file is not a picture we can read."}) from exc


def _set_image(case: CaseStudy, upload: Any) -> None:
    data, kind, width, height = image_checked(upload)
    case.image, case.image_type, case.image_width, case.image_height = data, kind, width, height


def case_study_create(
    *, actor: User, company: Company, image: Any = None, **fields: Any
) -> CaseStudy:
    _check_company(actor, company)
    case = CaseStudy(company=company)
    _apply(case, fields, CASE_FIELDS, actor)
    _check_result(case)
    if image is not None:
        _set_image(case, image)
    record_save(case, actor, creating=True, reason="Written")
    return case


def _check_result(case: CaseStudy) -> None:
    if case.result and not any(ch.isdigit() for ch in case.result):
        raise ValidationError(
            {"result": "Say the result in numbers (“orders up 30% in six months”)."}
        )


@transaction.atomic
def case_study_update(
    *,
    actor: User,
    case: CaseStudy,
    expected_version: int | None = None,
    image: Any = None,
    remove_image: bool = False,
    **fields: Any,
) -> CaseStudy:
    _require_change(actor, case.company)
    lock_for_edit(case, expected_version)
    _apply(case, fields, CASE_FIELDS, actor)
    _check_result(case)
    if remove_image:
        case.image, case.image_type, case.image_width, case.image_height = None, "", None, None
    if image is not None:
        _set_image(case, image)
    next_version(case)
    record_save(case, actor, creating=False, reason="Changed")
    return case


def case_study_publish(*, actor: User, case: CaseStudy, publish: bool = True) -> None:
    _publish(case, actor, publish)


def case_study_trash(*, actor: User, case: CaseStudy) -> None:
    _trash(case, actor, restore=False)


def case_study_restore(*, actor: User, case: CaseStudy) -> None:
    _trash(case, actor, restore=True)
