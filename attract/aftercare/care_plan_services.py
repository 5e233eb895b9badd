"""Every write to care plans and their steps, and the care each customer is given: the plan
that starts when a deal is won, its steps written as dates, the task each becomes on its day,
and a step done (which logs the interaction it was).

A plan changed while customers follow it changes only what is still to come: steps already
done stay done, a step taken off the plan leaves the customers who did it their record, a
step added is due from today on (never in the past).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from attract.accounts.models import Role, User
from attract.aftercare.care_schedule import HORIZON_DAYS, occurrences, task_due_at
from attract.aftercare.models import (
    MISSED_AFTER_DAYS,
    CarePlan,
    CarePlanStep,
    CareStep,
    CustomerCare,
    Doer,
)
from attract.core.permissions import can_view_record, can_write
from attract.core.record_writes import fields_apply, record_save
from attract.core.versions import lock_for_edit, next_version
from attract.engagement.models import Channel, Direction, Task
from attract.engagement.services import interaction_log, task_complete
from attract.people.models import Company, CompanySize, Person, Relationship
from attract.pipeline.models import Deal, Outcome

PLAN_FIELDS = ("name", "description", "tag", "relationship", "size", "min_fit", "rhythm_days",
               "position")  # fmt: skip
STEP_FIELDS = ("title", "day", "repeat_months", "doer", "user", "channel", "position")


def require_write(actor: User) -> None:
    if not can_write(actor):
        raise PermissionDenied("Your role can read but not change records.")


def business_owner() -> User | None:
    return User.objects.filter(role=Role.OWNER, is_active=True).first()


# --- Plans ----------------------------------------------------------------------------------


def _check_plan(plan: CarePlan) -> None:
    errors = {}
    if plan.relationship and plan.relationship not in Relationship.values:
        errors["relationship"] = f"Choose one of: {', '.join(Relationship.values)}."
    if plan.size and plan.size not in CompanySize.values:
        errors["size"] = f"Choose one of: {', '.join(CompanySize.values)}."
    if plan.min_fit is not None and not 0 <= plan.min_fit <= 100:
        errors["min_fit"] = "A fit is from 0 to 100."
    if plan.rhythm_days is not None and plan.rhythm_days < 1:
        errors["rhythm_days"] = "Touch every one day or more."
    if errors:
        raise ValidationError(errors)


def care_plan_create(*, actor: User, name: str, **fields: Any) -> CarePlan:
    require_write(actor)
    plan = CarePlan(name=(name or "").strip())
    if "position" not in fields:
        top = CarePlan.all_objects.aggregate(top=Max("position"))["top"]
        fields["position"] = (top or 0) + 1
    fields_apply(plan, fields, PLAN_FIELDS)
    _check_plan(plan)
    record_save(plan, actor, creating=True)
    return plan


@transaction.atomic
def care_plan_update(
    *, actor: User, plan: CarePlan, expected_version: int | None = None, **fields: Any
) -> CarePlan:
    require_write(actor)
    lock_for_edit(plan, expected_version)
    if plan.in_trash:
        raise ValidationError("This plan is in the trash; restore it before changing it.")
    fields_apply(plan, fields, PLAN_FIELDS)
    _check_plan(plan)
    next_version(plan)
    record_save(plan, actor, creating=False)
    return plan


@transaction.atomic
def care_plan_trash(*, actor: User, plan: CarePlan) -> None:
    """To the trash; the customers who follow it keep their steps (done and to come)."""
    require_write(actor)
    lock_for_edit(plan, None)
    if plan.in_trash:
        return
    plan.deleted_at, plan.deleted_by = timezone.now(), actor
    next_version(plan)
    record_save(plan, actor, creating=False, reason="Moved to the trash")


@transaction.atomic
def care_plan_restore(*, actor: User, plan: CarePlan) -> None:
    require_write(actor)
    lock_for_edit(plan, None)
    if not plan.in_trash:
        return
    plan.deleted_at, plan.deleted_by = None, None
    next_version(plan)
    record_save(plan, actor, creating=False, reason="Restored from the trash")


# --- Plan steps -----------------------------------------------------------------------------


def _check_step(step: CarePlanStep) -> None:
    errors = {}
    if not step.title:
        errors["title"] = "Say what the step is (a welcome call, a review...)."
    if not isinstance(step.day, int) or step.day < 0:
        errors["day"] = "A step is on the start day (0) or after it, never before."
    elif step.day > 3660:
        errors["day"] = "A step within ten years of the start."
    if not isinstance(step.repeat_months, int) or not 0 <= step.repeat_months <= 120:
        errors["repeat_months"] = "Repeat every 1 to 120 months, or 0 for once."
    if step.doer not in Doer.values:
        errors["doer"] = f"Choose one of: {', '.join(Doer.values)}."
    elif step.doer == Doer.USER and step.user_id is None:
        errors["user"] = "Name the user who does this step."
    if step.user_id is not None and not step.user.is_active:
        errors["user"] = "Choose an active member of the team."
    if step.channel not in Channel.values:
        errors["channel"] = f"Choose one of: {', '.join(Channel.values)}."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def care_plan_step_add(*, actor: User, plan: CarePlan, title: str, **fields: Any) -> CarePlanStep:
    """A new step; the customers who follow the plan get it from today on."""
    require_write(actor)
    if plan.in_trash:
        raise ValidationError("This plan is in the trash; restore it before changing it.")
    step = CarePlanStep(plan=plan, title=(title or "").strip())
    fields_apply(step, fields, STEP_FIELDS)
    if step.doer != Doer.USER:
        step.user = None
    _check_step(step)
    record_save(step, actor, creating=True)
    today = timezone.localdate()
    for care in CustomerCare.objects.filter(plan=plan).select_related("plan"):
        _write_steps(care, [step], today=today, after=today)
    return step


@transaction.atomic
def care_plan_step_update(
    *, actor: User, step: CarePlanStep, expected_version: int | None = None, **fields: Any
) -> CarePlanStep:
    """Change a step; what is still to come for the plan's customers follows (a new date, a
    new title, a new doer), what is done stays as it was done."""
    require_write(actor)
    lock_for_edit(step, expected_version)
    if step.removed_at is not None:
        raise ValidationError("This step was taken off the plan.")
    fields_apply(step, fields, STEP_FIELDS)
    if step.doer != Doer.USER:
        step.user = None
    _check_step(step)
    next_version(step)
    record_save(step, actor, creating=False)
    today = timezone.localdate()
    pending = CareStep.objects.filter(plan_step=step, done_at__isnull=True, due_on__gte=today)
    cares = list(CustomerCare.objects.filter(pk__in=pending.values("care_id")))
    pending.filter(task__isnull=True).delete()
    for task_step in pending.select_related("task"):
        # A step already a task keeps its place; its task follows the new title.
        task_step.title = step.title
        task_step.save(update_fields=["title"])
    for care in cares:
        _write_steps(care, [step], today=today, after=today)
    return step


@transaction.atomic
def care_plan_step_remove(*, actor: User, step: CarePlanStep) -> None:
    """Take a step off the plan: what is still to come goes, what was done stays."""
    require_write(actor)
    lock_for_edit(step, None)
    if step.removed_at is not None:
        return
    step.removed_at = timezone.now()
    next_version(step)
    record_save(step, actor, creating=False, reason="Taken off the plan")
    pending = CareStep.objects.filter(plan_step=step, done_at__isnull=True)
    Task.objects.filter(
        pk__in=pending.exclude(task__isnull=True).values("task_id"), done_at__isnull=True
    ).update(deleted_at=timezone.now(), deleted_by=actor)
    pending.filter(due_on__gte=timezone.localdate()).delete()


# --- A customer's care ----------------------------------------------------------------------


def _tags_of(customer: Company | Person) -> set[int]:
    return set(customer.tags.values_list("pk", flat=True))


def plan_for(customer: Company | Person) -> CarePlan | None:
    """The first plan (by position) whose conditions the customer meets."""
    from attract.attraction.models import FitScore

    plans = list(CarePlan.objects.filter(steps__removed_at__isnull=True).distinct())
    if not plans:
        return None
    tags = _tags_of(customer)
    is_company = isinstance(customer, Company)
    score = (
        FitScore.objects.filter(**{"company" if is_company else "person": customer})
        .values_list("score", flat=True)
        .first()
    )
    for plan in sorted(plans, key=lambda p: (p.position, p.pk)):
        if plan.tag_id and plan.tag_id not in tags:
            continue
        if plan.relationship and (not is_company or customer.relationship != plan.relationship):
            continue
        if plan.size and (not is_company or customer.size != plan.size):
            continue
        if plan.min_fit is not None and (score is None or score < plan.min_fit):
            continue
        return plan
    return None


def _assignee(care: CustomerCare, step: CarePlanStep, owner: User | None) -> User | None:
    if step.doer == Doer.USER and step.user_id:
        return step.user
    if step.doer == Doer.BUSINESS_OWNER:
        return owner
    return care.owner or owner


def _write_steps(
    care: CustomerCare, steps: list[CarePlanStep], *, today: date, after: date | None = None
) -> list[CareStep]:
    """Write the occurrences of `steps` up to the horizon that the customer does not have yet."""
    owner = business_owner()
    until = today + timedelta(days=HORIZON_DAYS)
    have = set(
        CareStep.objects.filter(care=care, plan_step__in=steps).values_list(
            "plan_step_id", "occurrence"
        )
    )
    rows = []
    for step in steps:
        if step.removed_at is not None:
            continue
        for number, when in occurrences(
            start=care.started_on,
            day=step.day,
            repeat_months=step.repeat_months,
            until=until,
            after=after,
        ):
            if (step.pk, number) in have:
                continue
            rows.append(
                CareStep(
                    care=care,
                    plan_step=step,
                    occurrence=number,
                    title=step.title,
                    channel=step.channel,
                    due_on=when,
                    assignee=_assignee(care, step, owner),
                    by_business_owner=step.doer == Doer.BUSINESS_OWNER,
                )
            )
    return CareStep.objects.bulk_create(rows)


def _customer_of(deal: Deal) -> Company | Person | None:
    if deal.company_id:
        return deal.company
    if deal.contact_id:
        return deal.contact.company or deal.contact
    return None


@transaction.atomic
def care_start(
    *,
    actor: User,
    customer: Company | Person,
    deal: Deal | None = None,
    started_on: date | None = None,
    plan: CarePlan | None = None,
    backfill: bool = False,
) -> CustomerCare | None:
    """Start the care of a customer: their plan's steps from the day they were won (or their
    customer-since date). A customer already in care keeps their plan and steps (a second
    deal won does not start them over). None when no plan applies.

    A customer-since date long past (an existing customer put in care) starts the steps
    from a week ago, not from years of missed check-ins; `backfill` writes them all (the
    demo, which marks most of them done)."""
    require_write(actor)
    if not can_view_record(actor, customer):
        raise PermissionDenied("You may not see this customer.")
    key = {"company" if isinstance(customer, Company) else "person": customer}
    existing = CustomerCare.objects.filter(**key).first()
    if existing is not None:
        return existing
    plan = plan or plan_for(customer)
    if plan is None:
        return None
    started_on = started_on or getattr(customer, "customer_since", None) or timezone.localdate()
    care = CustomerCare(
        plan=plan, started_on=started_on, deal=deal, owner=deal.owner if deal else customer.owner,
        **key,
    )  # fmt: skip
    care.full_clean(validate_constraints=False)
    care.save()
    today = timezone.localdate()
    since = today - timedelta(days=MISSED_AFTER_DAYS)
    _write_steps(care, list(plan.steps.filter(removed_at__isnull=True)), today=today,
                 after=None if backfill or started_on >= since else since)  # fmt: skip
    care_steps_to_tasks(today=today, care=care)
    from attract.aftercare.care_signal import care_signal_refresh

    care_signal_refresh(care_ids=[care.pk])
    return care


def care_start_for_won_deal(*, actor: User, deal: Deal) -> CustomerCare | None:
    if deal.outcome != Outcome.WON:
        return None
    customer = _customer_of(deal)
    if customer is None or customer.in_trash:
        return None
    care = care_start(actor=actor, customer=customer, deal=deal)
    if care is not None:
        from attract.aftercare.care_signal import care_signal_refresh

        care_signal_refresh(care_ids=[care.pk])
    return care


def care_steps_to_tasks(*, today: date | None = None, care: CustomerCare | None = None) -> int:
    """Each step reaching its date becomes a task for the one who does it (a step with no one
    to do it — no owner at all — waits on the Care page)."""
    today = today or timezone.localdate()
    due = CareStep.objects.filter(
        done_at__isnull=True,
        task__isnull=True,
        due_on__lte=today,
        # A step already missed when it is first seen (a care started late) is shown as
        # missed, not added to someone's tasks as a long-overdue one.
        due_on__gte=today - timedelta(days=MISSED_AFTER_DAYS),
        assignee__isnull=False,
    ).select_related("care__company", "care__person", "assignee")
    if care is not None:
        due = due.filter(care=care)
    made = 0
    for step in due.iterator(chunk_size=500):
        subject = step.care.company or step.care.person
        task = Task(
            title=f"Care: {step.title}",
            due_at=task_due_at(step.due_on, step.assignee),
            company=step.care.company,
            person=step.care.person if step.care.company_id is None else None,
            assignee=step.assignee,
        )
        task._history_user = step.assignee
        task.save()
        step.task = task
        step.save(update_fields=["task"])
        made += 1 if subject else 0
    return made


def care_schedule_extend(*, today: date | None = None) -> int:
    """Write repeating steps up to the horizon for every customer in care (nightly)."""
    today = today or timezone.localdate()
    steps_by_plan: dict[int, list[CarePlanStep]] = {}
    for step in CarePlanStep.objects.filter(
        repeat_months__gt=0, removed_at__isnull=True, plan__deleted_at__isnull=True
    ):
        steps_by_plan.setdefault(step.plan_id, []).append(step)
    written = 0
    for care in CustomerCare.objects.filter(plan_id__in=steps_by_plan).iterator(chunk_size=500):
        written += len(_write_steps(care, steps_by_plan[care.plan_id], today=today, after=today))
    return written


def _visible_care(actor: User, care: CustomerCare) -> bool:
    return can_view_record(actor, care.customer)


@transaction.atomic
def care_step_done(
    *,
    actor: User,
    step: CareStep,
    summary: str = "",
    outcome: str = "",
    channel: str | None = None,
) -> CareStep:
    """Do a step: the interaction it was is logged on the customer's timeline (by whoever
    did it), its task is ticked, and the care signal follows."""
    require_write(actor)
    care = step.care
    if not _visible_care(actor, care):
        raise PermissionDenied("You may not see this customer.")
    step = CareStep.objects.select_for_update().get(pk=step.pk)
    if step.done_at is not None:
        raise ValidationError("This step is already done.")
    channel = channel or step.channel
    if channel not in Channel.values:
        raise ValidationError({"channel": f"Choose one of: {', '.join(Channel.values)}."})
    text = (summary or "").strip()
    interaction = interaction_log(
        actor=actor,
        channel=channel,
        direction=Direction.WE_REACHED_OUT,
        summary=f"{step.title}: {text}" if text else step.title,
        outcome=outcome,
        company=care.company,
        person=care.person,
    )
    step.done_at, step.done_by, step.interaction = timezone.now(), actor, interaction
    step.note = text[:500]
    step._history_user = actor
    step.save()
    if step.task_id:
        task = Task.objects.filter(pk=step.task_id).first()
        if task is not None and task.done_at is None:
            task_complete(actor=actor, task=task)
    from attract.aftercare.care_signal import care_signal_refresh

    care_signal_refresh(care_ids=[care.pk])
    return step


@transaction.atomic
def care_step_undo(*, actor: User, step: CareStep) -> CareStep:
    """Done by mistake: the step is due again (the interaction it logged stays, as logged)."""
    require_write(actor)
    if not _visible_care(actor, step.care):
        raise PermissionDenied("You may not see this customer.")
    step.done_at = step.done_by = None
    step._history_user = actor
    step.save()
    from attract.aftercare.care_signal import care_signal_refresh

    care_signal_refresh(care_ids=[step.care_id])
    return step


def customer_q(customer: Company | Person, prefix: str = "") -> Q:
    field = "company" if isinstance(customer, Company) else "person"
    return Q(**{f"{prefix}{field}": customer})
