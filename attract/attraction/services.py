"""Every write and rule of the attraction plan. Plan edits belong to the owner and admins;
the journal, traits, notes, assessments and requirements to anyone who may write."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from attract.accounts.models import User
from attract.attraction import fitting
from attract.attraction.models import (
    DEFAULT_QUESTIONS,
    MAX_WEIGHT,
    MIN_WEIGHT,
    Answer,
    Assessment,
    Better,
    Complaint,
    Expectation,
    ExpectationCategory,
    FitScore,
    Plan,
    PlanRevision,
    Quality,
    Requirement,
    ThankYouNote,
    TickQuestion,
    Trait,
)
from attract.core.permissions import can_manage_team, can_view_record, can_write
from attract.core.versions import lock_for_edit, next_version
from attract.people.models import Company, Person


def _require_plan_editor(actor: User) -> None:
    if not can_manage_team(actor):
        raise PermissionDenied("Only the owner and admins change the attraction plan.")


def _require_write(actor: User) -> None:
    if not can_write(actor):
        raise PermissionDenied("Your role can read but not change records.")


def _save(obj: Any, actor: User) -> Any:
    if obj.pk is None:
        obj.created_by = actor
    else:
        # Callers of an edit hold the row through lock_for_edit (core.versions).
        next_version(obj)
    obj.updated_by = actor
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def plan_get() -> Plan:
    """The business's one plan, created with the five default questions on first use."""
    plan = Plan.objects.order_by("id").first()
    if plan is None:
        plan = Plan.objects.create()
        TickQuestion.objects.bulk_create(
            TickQuestion(plan=plan, text=text, position=i)
            for i, text in enumerate(DEFAULT_QUESTIONS)
        )
    return plan


@transaction.atomic
def plan_update(
    *,
    actor: User,
    expected_version: int | None = None,
    perfect_number: int | None = None,
    statement: str | None = None,
) -> Plan:
    """Change the fields named; refused with VersionConflict when `expected_version` is given
    and the plan changed since."""
    _require_plan_editor(actor)
    plan = plan_get()
    lock_for_edit(plan, expected_version)
    if perfect_number is not None:
        if int(perfect_number) < 0:
            raise ValidationError({"perfect_number": "The perfect number cannot be negative."})
        plan.perfect_number = int(perfect_number)
    if statement is not None:
        plan.statement = statement.strip()
    return _save(plan, actor)


def plan_snapshot(plan: Plan) -> dict[str, Any]:
    """The plan as plain data: what a revision keeps and what two revisions compare."""
    return {
        "perfect_number": plan.perfect_number,
        "statement": plan.statement,
        "qualities": [
            {"text": q.text, "weight": q.weight}
            for q in plan.qualities.filter(removed_at__isnull=True)
        ],
        "questions": [
            {"text": q.text, "answer": q.answer}
            for q in plan.questions.filter(removed_at__isnull=True)
        ],
        "expectations": [
            {"category": e.category, "text": e.text, "commitment": e.commitment}
            for e in plan.expectations.filter(removed_at__isnull=True)
        ],
    }


def plan_revision_create(*, actor: User, note: str = "") -> PlanRevision:
    """Publish: keep a dated copy of the plan as it stands."""
    _require_plan_editor(actor)
    plan = plan_get()
    return PlanRevision.objects.create(
        plan=plan,
        created_at=timezone.now(),
        created_by=actor,
        note=note.strip()[:200],
        snapshot=plan_snapshot(plan),
    )


# --- Side 1: qualities ------------------------------------------------------------------


def _weight(value: Any) -> int:
    try:
        weight = int(value)
    except (TypeError, ValueError):
        raise ValidationError({"weight": "The weight is a whole number from 1 to 5."}) from None
    if not MIN_WEIGHT <= weight <= MAX_WEIGHT:
        raise ValidationError({"weight": f"The weight is from {MIN_WEIGHT} to {MAX_WEIGHT}."})
    return weight


def _text(value: str, field: str = "text") -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: "This cannot be empty."})
    return text


def quality_create(*, actor: User, text: str, weight: int = 3) -> Quality:
    _require_plan_editor(actor)
    plan = plan_get()
    quality = Quality(plan=plan, text=_text(text), weight=_weight(weight))
    return _save(quality, actor)


@transaction.atomic
def quality_update(
    *,
    actor: User,
    quality: Quality,
    expected_version: int | None = None,
    text: str | None = None,
    weight: int | None = None,
) -> Quality:
    """Change a quality's text or weight; a new weight refits everyone assessed on it."""
    _require_plan_editor(actor)
    lock_for_edit(quality, expected_version)
    if not quality.is_active:
        raise ValidationError({"__all__": "This quality was removed from the plan."})
    before = quality.weight
    if text is not None:
        quality.text = _text(text)
    if weight is not None:
        quality.weight = _weight(weight)
    _save(quality, actor)
    if quality.weight != before:
        fitting.refit(fitting.for_quality(quality.pk))
    return quality


@transaction.atomic
def quality_remove(*, actor: User, quality: Quality) -> Quality:
    """Take a quality off side 1; it stays in history and no longer counts towards fit."""
    _require_plan_editor(actor)
    lock_for_edit(quality, None)
    if quality.is_active:
        quality.removed_at = timezone.now()
        _save(quality, actor)
        fitting.refit(fitting.for_quality(quality.pk))
    return quality


@transaction.atomic
def quality_restore(*, actor: User, quality: Quality) -> Quality:
    """Put a removed quality back on side 1 (Undo, or from the trash); fit counts it again."""
    _require_plan_editor(actor)
    lock_for_edit(quality, None)
    if not quality.is_active:
        quality.removed_at = None
        _save(quality, actor)
        fitting.refit(fitting.for_quality(quality.pk))
    return quality


# --- Side 2: what makes them tick -------------------------------------------------------


def question_create(*, actor: User, text: str, answer: str = "") -> TickQuestion:
    _require_plan_editor(actor)
    plan = plan_get()
    position = plan.questions.count()
    question = TickQuestion(plan=plan, text=_text(text), answer=answer.strip(), position=position)
    return _save(question, actor)


@transaction.atomic
def question_update(
    *,
    actor: User,
    question: TickQuestion,
    expected_version: int | None = None,
    text: str | None = None,
    answer: str | None = None,
) -> TickQuestion:
    _require_plan_editor(actor)
    lock_for_edit(question, expected_version)
    if text is not None:
        question.text = _text(text)
    if answer is not None:
        question.answer = answer.strip()
    return _save(question, actor)


@transaction.atomic
def question_remove(*, actor: User, question: TickQuestion) -> TickQuestion:
    _require_plan_editor(actor)
    lock_for_edit(question, None)
    if question.removed_at is None:
        question.removed_at = timezone.now()
        _save(question, actor)
    return question


@transaction.atomic
def question_restore(*, actor: User, question: TickQuestion) -> TickQuestion:
    """Put a removed question back on side 2 (Undo, or from the trash)."""
    _require_plan_editor(actor)
    lock_for_edit(question, None)
    if question.removed_at is not None:
        question.removed_at = None
        _save(question, actor)
    return question


# --- Side 3: what they can expect -------------------------------------------------------


def _decimal(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({field: "Enter a number."}) from None


def _apply_expectation(expectation: Expectation, fields: dict[str, Any]) -> None:
    for name in ("category", "text", "metric", "unit", "better"):
        if name in fields:
            setattr(expectation, name, (fields[name] or "").strip())
    if "value" in fields:
        expectation.value = _decimal(fields["value"], "value")
    expectation.text = _text(expectation.text)
    if expectation.category not in ExpectationCategory.values:
        raise ValidationError({"category": "Choose one of the categories."})
    measurable = expectation.value is not None or expectation.unit or expectation.better
    if measurable:
        errors = {}
        if expectation.value is None:
            errors["value"] = "A measurable item needs a value."
        if not expectation.unit:
            errors["unit"] = "A measurable item needs a unit (hours, days, €...)."
        if expectation.better not in Better.values:
            errors["better"] = "Say whether lower or higher is better."
        if errors:
            raise ValidationError(errors)


def expectation_create(*, actor: User, **fields: Any) -> Expectation:
    _require_plan_editor(actor)
    expectation = Expectation(plan=plan_get(), category=ExpectationCategory.OTHER)
    _apply_expectation(expectation, fields)
    return _save(expectation, actor)


@transaction.atomic
def expectation_update(
    *,
    actor: User,
    expectation: Expectation,
    expected_version: int | None = None,
    **fields: Any,
) -> Expectation:
    """Change an item of side 3; the mismatches of everyone with a requirement on it are
    counted again (a new value or direction can make or clear them)."""
    _require_plan_editor(actor)
    lock_for_edit(expectation, expected_version)
    if expectation.removed_at is not None:
        raise ValidationError({"__all__": "This item was removed from the plan."})
    _apply_expectation(expectation, fields)
    _save(expectation, actor)
    fitting.refit(fitting.for_expectation(expectation.pk))
    return expectation


@transaction.atomic
def expectation_remove(*, actor: User, expectation: Expectation) -> Expectation:
    _require_plan_editor(actor)
    lock_for_edit(expectation, None)
    if expectation.removed_at is None:
        expectation.removed_at = timezone.now()
        _save(expectation, actor)
        fitting.refit(fitting.for_expectation(expectation.pk))
    return expectation


@transaction.atomic
def expectation_restore(*, actor: User, expectation: Expectation) -> Expectation:
    """Put a removed item back on side 3 (Undo, or from the trash); the requirements on it
    count towards mismatches again."""
    _require_plan_editor(actor)
    lock_for_edit(expectation, None)
    if expectation.removed_at is not None:
        expectation.removed_at = None
        _save(expectation, actor)
        fitting.refit(fitting.for_expectation(expectation.pk))
    return expectation


# --- Feeding the plan ---------------------------------------------------------------------


def _subject_visible(actor: User, company: Company | None, person: Person | None) -> None:
    if company is not None and person is not None:
        raise ValidationError({"__all__": "Choose a company or a person, not both."})
    for field, record in (("company", company), ("person", person)):
        if record is not None and (record.in_trash or not can_view_record(actor, record)):
            raise ValidationError({field: f"No such {field}."})


def complaint_create(
    *, actor: User, text: str, company: Company | None = None, person: Person | None = None
) -> Complaint:
    _require_write(actor)
    _subject_visible(actor, company, person)
    return _save(Complaint(text=_text(text), company=company, person=person), actor)


@transaction.atomic
def complaint_turn_into_quality(
    *, actor: User, complaint: Complaint, text: str, weight: int = 3
) -> Quality:
    """Turn a frustration around into a quality of side 1, keeping the link both ways."""
    lock_for_edit(complaint, None)  # two clicks at once make one quality, not two
    if complaint.quality_id is not None:
        raise ValidationError({"__all__": "This complaint was already turned into a quality."})
    quality = quality_create(actor=actor, text=text, weight=weight)
    complaint.quality = quality
    _save(complaint, actor)
    return quality


def trait_create(*, actor: User, less_than_perfect: str, opposite: str) -> Trait:
    _require_write(actor)
    trait = Trait(
        less_than_perfect=_text(less_than_perfect, "less_than_perfect"),
        opposite=_text(opposite, "opposite"),
    )
    return _save(trait, actor)


@transaction.atomic
def trait_add_to_plan(*, actor: User, trait: Trait, weight: int = 3) -> Quality:
    """One click: the opposite positive trait becomes a quality on side 1."""
    lock_for_edit(trait, None)  # two clicks at once make one quality, not two
    if trait.quality_id is not None:
        raise ValidationError({"__all__": "This trait is already on the plan."})
    quality = quality_create(actor=actor, text=trait.opposite, weight=weight)
    trait.quality = quality
    _save(trait, actor)
    return quality


def thank_you_note_create(*, actor: User, text: str, to_whom: str = "") -> ThankYouNote:
    _require_write(actor)
    note = ThankYouNote(author=actor, text=_text(text), to_whom=to_whom.strip())
    note.full_clean()
    note.save()
    return note


def thank_you_note_delete(*, actor: User, note: ThankYouNote) -> None:
    if note.author_id != actor.pk:
        raise PermissionDenied("Only its author may delete a thank-you note.")
    note.delete()


# --- Fit --------------------------------------------------------------------------------


def _refit_subject(company: Company | None, person: Person | None) -> None:
    if company is not None:
        fitting.refit(fitting.for_subject(company_id=company.pk))
    else:
        fitting.refit(fitting.for_subject(person_id=person.pk))


@transaction.atomic
def assessment_set(
    *,
    actor: User,
    quality: Quality,
    answer: str,
    company: Company | None = None,
    person: Person | None = None,
) -> Assessment:
    """Record how a company or person measures up to one quality (yes/partly/no/unknown)."""
    _require_write(actor)
    if company is None and person is None:
        raise ValidationError({"__all__": "Choose a company or a person."})
    _subject_visible(actor, company, person)
    if not quality.is_active:
        raise ValidationError({"quality": "This quality was removed from the plan."})
    if answer not in Answer.values:
        raise ValidationError({"answer": "Answer yes, partly, no or unknown."})
    assessment, _ = Assessment.objects.get_or_create(
        company=company,
        person=person,
        quality=quality,
        defaults={"answer": answer, "created_by": actor, "updated_by": actor},
    )
    if assessment.answer != answer:
        assessment.answer = answer
        _save(assessment, actor)
    _refit_subject(company, person)
    return assessment


@transaction.atomic
def requirement_set(
    *,
    actor: User,
    expectation: Expectation,
    value: Any,
    note: str = "",
    company: Company | None = None,
    person: Person | None = None,
) -> Requirement:
    """Record what a company or person needs on a measurable item of side 3."""
    _require_write(actor)
    if company is None and person is None:
        raise ValidationError({"__all__": "Choose a company or a person."})
    _subject_visible(actor, company, person)
    if expectation.removed_at is not None:
        raise ValidationError({"expectation": "This item was removed from the plan."})
    if not expectation.is_measurable:
        raise ValidationError({"expectation": "Requirements are recorded on measurable items."})
    amount = _decimal(value, "value")
    if amount is None:
        raise ValidationError({"value": "Enter what they need."})
    requirement = Requirement.objects.filter(
        company=company, person=person, expectation=expectation
    ).first() or Requirement(company=company, person=person, expectation=expectation)
    requirement.value = amount
    requirement.note = note.strip()
    _save(requirement, actor)
    _refit_subject(company, person)
    return requirement


@transaction.atomic
def requirement_delete(*, actor: User, requirement: Requirement) -> None:
    _require_write(actor)
    scope = fitting.for_subject(company_id=requirement.company_id, person_id=requirement.person_id)
    requirement.delete()
    fitting.refit(scope)


def fit_scores_rebuild() -> int:
    """Recompute every stored fit from the assessments and requirements (after bulk inserts,
    or to check nothing drifted): `attract plan refit`. Returns how many subjects have one."""
    fitting.refit()
    return FitScore.objects.count()
