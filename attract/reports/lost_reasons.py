"""The list of reasons a deal may be lost for, which the business edits (owners and admins):
add one, rename it, retire it (no longer offered; deals lost for it keep it)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.db.models.functions import Lower

from attract.accounts.models import User
from attract.core.permissions import can_manage_team
from attract.pipeline.models import LostReason


def _require_manager(actor: User) -> None:
    if not can_manage_team(actor):
        raise PermissionDenied("Only the owner and admins edit the list of lost reasons.")


def _clean_name(name: str | None, *, exclude: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the reason a name."})
    if "\x00" in name:
        raise ValidationError({"name": "The name holds a character that cannot be stored."})
    taken = LostReason.objects.annotate(lower=Lower("name")).filter(lower=name.lower())
    if exclude:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError({"name": f"“{name[:100]}” is in the list already."})
    return name


def lost_reason_create(*, actor: User, name: str | None) -> LostReason:
    _require_manager(actor)
    last = LostReason.objects.aggregate(m=Max("position"))["m"] or 0
    reason = LostReason(name=_clean_name(name), position=last + 1)
    reason.full_clean()
    reason.save()
    return reason


def lost_reason_update(
    *, actor: User, reason: LostReason, name: str | None, is_active: bool
) -> LostReason:
    _require_manager(actor)
    reason.name = _clean_name(name, exclude=reason.pk)
    reason.is_active = is_active
    reason.full_clean()
    reason.save()
    return reason
