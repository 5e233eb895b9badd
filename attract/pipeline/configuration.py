"""Writes to what an admin tunes: each stage's chance of success and stall limit, and the
bank of tough questions for long maybes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from attract.accounts.models import User
from attract.core.permissions import can_manage_team, can_write
from attract.core.versions import lock_for_edit, next_version
from attract.pipeline.models import (
    DEFAULT_STAGE_SETTINGS,
    STAGE_ORDER,
    StageSetting,
    ToughQuestion,
)


def _int(value: object, field: str, label: str, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise ValidationError({field: f"{label} must be a whole number."}) from exc
    if not low <= number <= high:
        raise ValidationError({field: f"{label} must be between {low} and {high}."})
    return number


@transaction.atomic
def stage_setting_update(
    *,
    actor: User,
    stage: str,
    probability: object,
    stale_after_days: object,
    enforce_entry_criteria: bool | None = None,
) -> StageSetting:
    """Change a stage's percentage and stall limit; the history records who and when."""
    if not can_manage_team(actor):
        raise PermissionDenied("Only an owner or admin may change the stage settings.")
    if stage not in STAGE_ORDER:
        raise ValidationError({"stage": f"“{stage}” is not a stage."})
    probability = _int(probability, "probability", "The percentage", 0, 100)
    stale_after_days = _int(stale_after_days, "stale_after_days", "The stall limit", 1, 3650)
    default_probability, default_stale = DEFAULT_STAGE_SETTINGS[stage]
    setting = StageSetting.objects.select_for_update().filter(stage=stage).first()
    if setting is None:
        setting = StageSetting(
            stage=stage, probability=default_probability, stale_after_days=default_stale
        )
    if enforce_entry_criteria is None:
        enforce_entry_criteria = setting.enforce_entry_criteria
    wanted = (probability, stale_after_days, enforce_entry_criteria)
    current = (setting.probability, setting.stale_after_days, setting.enforce_entry_criteria)
    if setting.pk and current == wanted:
        return setting
    setting.probability = probability
    setting.stale_after_days = stale_after_days
    setting.enforce_entry_criteria = enforce_entry_criteria
    setting._history_user = actor
    setting.full_clean()
    setting.save()
    return setting


def _require_write(actor: User) -> None:
    if not can_write(actor):
        raise PermissionDenied("Your role can read but not change records.")


def _clean_text(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({"text": "Write the question."})
    if len(text) > 300:
        raise ValidationError({"text": "Keep a question under 300 characters."})
    return text


@transaction.atomic
def tough_question_create(*, actor: User, text: str) -> ToughQuestion:
    _require_write(actor)
    last = ToughQuestion.objects.order_by("-position").values_list("position", flat=True).first()
    question = ToughQuestion(
        text=_clean_text(text), position=(last or 0) + 1, created_by=actor, updated_by=actor
    )
    question._history_user = actor
    question.save()
    return question


@transaction.atomic
def tough_question_update(
    *, actor: User, question: ToughQuestion, text: str | None = None, is_active: bool | None = None
) -> ToughQuestion:
    """Reword a question, or retire it (kept, with its history, but no longer shown)."""
    _require_write(actor)
    lock_for_edit(question, None)
    if text is not None:
        question.text = _clean_text(text)
    if is_active is not None:
        question.is_active = is_active
    question.updated_by = actor
    question._history_user = actor
    next_version(question)
    question.save()
    return question
