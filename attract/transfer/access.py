"""Who may change an import: its starter sets it up and runs it; an owner or admin may also
undo it. Shared by the services (importing.py, undo.py) so neither imports the other."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from attract.accounts.models import User
from attract.core.permissions import can_manage_team, can_write
from attract.transfer.models import ImportJob


def require_write(actor: User) -> None:
    if not can_write(actor):
        raise PermissionDenied("Your role can read but not change records.")


def require_owner(actor: User, job: ImportJob, *, managers_too: bool = False) -> None:
    require_write(actor)
    if job.created_by_id == actor.pk or (managers_too and can_manage_team(actor)):
        return
    raise PermissionDenied("Only the person who started this import may change it.")
