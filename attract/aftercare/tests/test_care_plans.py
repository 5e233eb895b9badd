"""Care plans: winning a deal starts the plan, steps fall on their dates (month ends, time
zones), become tasks on their day, doing one logs the interaction, a plan changed in use."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from attract.aftercare import care_plan_services as plans
from attract.aftercare.care_schedule import add_months, occurrences, task_due_at
from attract.aftercare.models import CareStep, CustomerCare, StepState
from attract.aftercare.tests.factories import make_customer, make_plan
from attract.engagement.models import Interaction, Task
from attract.people.services import company_create

pytestmark = pytest.mark.django_db


def test_a_customer_won_on_31_january_has_steps_at_each_month_end():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    dates = [d for _, d in occurrences(start=date(2027, 1, 31), day=0, repeat_months=3,
                                       until=date(2027, 12, 31))]  # fmt: skip
    assert dates == [date(2027, 4, 30), date(2027, 7, 31), date(2027, 10, 31)]
    assert occurrences(start=date(2027, 1, 31), day=14, repeat_months=0,
                       until=date(2027, 1, 1)) == [(0, date(2027, 2, 14))]  # fmt: skip


def test_a_task_is_due_at_nine_where_its_doer_lives(owner):
    owner.time_zone = "Pacific/Auckland"
    assert task_due_at(date(2027, 2, 1), owner).astimezone(UTC) == datetime(
        2027, 1, 31, 20, 0, tzinfo=UTC
    )
    owner.time_zone = "America/Los_Angeles"
    assert task_due_at(date(2027, 2, 1), owner).astimezone(UTC) == datetime(
        2027, 2, 1, 17, 0, tzinfo=UTC
    )
    owner.time_zone = "Not/AZone"
    assert task_due_at(date(2027, 2, 1), owner).tzinfo is not None


@time_machine.travel(datetime(2027, 1, 31, 15, 0, tzinfo=UTC), tick=False)
def test_winning_a_deal_starts_the_plan_and_the_day_one_step_becomes_a_task_on_its_day(
    owner, teammate
):
    make_plan(owner)
    company, deal = make_customer(teammate)
    care = CustomerCare.objects.get(company=company)
    assert care.started_on == date(2027, 1, 31) and care.deal == deal and care.owner == teammate
    steps = list(care.steps.order_by("due_on", "id"))
    assert [(s.title, s.due_on) for s in steps[:4]] == [
        ("Welcome call", date(2027, 2, 1)),
        ("Did we meet what you expected?", date(2027, 2, 14)),
        ("Quarterly check-in", date(2027, 4, 30)),
        ("Quarterly check-in", date(2027, 7, 31)),
    ]
    assert steps[0].assignee == teammate  # the deal's owner
    assert steps[1].assignee == owner and steps[1].by_business_owner
    assert not Task.objects.exists()  # nothing is due yet
    with time_machine.travel(datetime(2027, 2, 1, 6, 0, tzinfo=UTC), tick=False):
        assert plans.care_steps_to_tasks() == 1
    task = Task.objects.get()
    assert task.title == "Care: Welcome call" and task.company == company
    assert task.assignee == teammate


def test_doing_a_step_logs_the_interaction_ticks_its_task_and_cannot_be_done_twice(owner):
    make_plan(owner)
    company, _ = make_customer(owner)
    step = CareStep.objects.filter(care__company=company).order_by("due_on").first()
    with time_machine.travel(step.due_on.isoformat() + " 10:00Z", tick=False):
        plans.care_steps_to_tasks()
        step.refresh_from_db()
        done = plans.care_step_done(actor=owner, step=step, summary="They love the bread")
    assert done.done_at and done.done_by == owner
    interaction = Interaction.objects.get(pk=done.interaction_id)
    assert interaction.company == company
    assert interaction.summary == "Welcome call: They love the bread"
    assert Task.objects.get(pk=step.task_id).done_at is not None
    with pytest.raises(ValidationError):
        plans.care_step_done(actor=owner, step=step)


def test_a_step_ticked_on_the_tasks_page_is_done(owner):
    from attract.engagement.services import task_complete

    make_plan(owner)
    company, _ = make_customer(owner)
    step = CareStep.objects.filter(care__company=company).order_by("due_on").first()
    with time_machine.travel(step.due_on.isoformat() + " 10:00Z", tick=False):
        plans.care_steps_to_tasks()
    step.refresh_from_db()
    task_complete(actor=owner, task=Task.objects.get(pk=step.task_id))
    step.refresh_from_db()
    assert step.done_at is not None


def test_step_states_done_due_missed_upcoming(owner):
    make_plan(owner)
    company, _ = make_customer(owner)
    step = CareStep.objects.filter(care__company=company).order_by("due_on").first()
    assert step.state(step.due_on) == StepState.DUE
    assert step.state(date.fromordinal(step.due_on.toordinal() - 1)) == StepState.UPCOMING
    assert step.state(date.fromordinal(step.due_on.toordinal() + 8)) == StepState.MISSED


def test_a_plan_changed_while_in_use_keeps_what_is_done(owner):
    plan = make_plan(owner)
    company, _ = make_customer(owner)
    care = CustomerCare.objects.get(company=company)
    welcome = care.steps.get(title="Welcome call")
    plans.care_step_done(actor=owner, step=welcome)
    review = plan.steps.get(title="Did we meet what you expected?")
    plans.care_plan_step_update(actor=owner, step=review, day=21, title="How are we doing?")
    moved = care.steps.get(plan_step=review)
    assert moved.title == "How are we doing?" and moved.due_on == care.started_on.replace(
        day=care.started_on.day
    ) + (moved.due_on - care.started_on)
    assert (moved.due_on - care.started_on).days == 21
    first = plan.steps.get(title="Welcome call")
    plans.care_plan_step_remove(actor=owner, step=first)
    welcome.refresh_from_db()
    assert welcome.done_at is not None  # done stays done
    added = plans.care_plan_step_add(actor=owner, plan=plan, title="Thank-you card", day=0)
    # Added today, for a customer started today: due today, never in the past.
    assert care.steps.filter(plan_step=added).count() == 1


def test_a_plan_in_the_trash_leaves_its_customers_their_steps(owner):
    plan = make_plan(owner)
    company, _ = make_customer(owner)
    before = CareStep.objects.filter(care__company=company).count()
    plans.care_plan_trash(actor=owner, plan=plan)
    assert CareStep.objects.filter(care__company=company).count() == before
    assert CustomerCare.objects.get(company=company).plan == plan  # still named, in the trash
    # A new customer gets no plan from the trash.
    other, _ = make_customer(owner, "Other Co")
    assert not CustomerCare.objects.filter(company=other).exists()
    plans.care_plan_restore(actor=owner, plan=plan)


def test_which_plan_a_customer_follows(owner):
    from attract.people.services import company_update

    vip = plans.care_plan_create(actor=owner, name="Large customers", size="51-250", position=0)
    plans.care_plan_step_add(actor=owner, plan=vip, title="Owner visit", day=7,
                             doer="business_owner")  # fmt: skip
    make_plan(owner)
    big = company_create(actor=owner, name="Big Co")
    company_update(actor=owner, company=big, size="51-250")
    small = company_create(actor=owner, name="Small Co")
    assert plans.plan_for(big) == vip
    assert plans.plan_for(small).name == "Every customer"


def test_bad_input_for_steps_and_plans_changes_nothing(owner, teammate, viewer):
    plan = plans.care_plan_create(actor=owner, name="P")
    with pytest.raises(ValidationError) as exc:
        plans.care_plan_step_add(actor=owner, plan=plan, title="Before", day=-3)
    assert "day" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        plans.care_plan_step_add(actor=owner, plan=plan, title="X", doer="user")
    assert "user" in exc.value.message_dict
    with pytest.raises(ValidationError):
        plans.care_plan_create(actor=owner, name="", size="huge")
    with pytest.raises(ValidationError):
        plans.care_plan_step_add(actor=owner, plan=plan, title="X", channel="pigeon")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        plans.care_plan_create(actor=viewer, name="Nope")
    assert plan.steps.count() == 0
    named = plans.care_plan_step_add(actor=owner, plan=plan, title="Y", doer="user", user=teammate)
    assert named.user == teammate
