"""Every experience counts: good or bad, recorded with how it felt and what we did."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from attract.accounts.models import User
from attract.aftercare.models import Experience, Feeling
from attract.aftercare.promise_services import _require_customer
from attract.core.record_writes import fields_apply, record_save
from attract.core.versions import lock_for_edit, next_version
from attract.people.models import Company, Person, Relationship

EXPERIENCE_FIELDS = ("happened_on", "is_good", "what", "feeling", "what_we_did", "set_right_on",
                     "policy_broken", "policy_cost")  # fmt: skip


def is_customer(customer: Company | Person) -> bool:
    """A customer: a company whose relationship says so, or a person at one (or in care)."""
    if isinstance(customer, Company):
        return customer.relationship in (Relationship.CUSTOMER, Relationship.FORMER_CUSTOMER)
    if customer.company_id:
        return customer.company.relationship in (
            Relationship.CUSTOMER,
            Relationship.FORMER_CUSTOMER,
        )
    return hasattr(customer, "care")


def _check(experience: Experience) -> None:
    errors = {}
    if not experience.what:
        errors["what"] = "Say what happened."
    if experience.feeling not in Feeling.values:
        errors["feeling"] = f"Choose one of: {', '.join(Feeling.values)}."
    if experience.happened_on and experience.happened_on > timezone.localdate():
        errors["happened_on"] = "An experience has happened: not a date in the future."
    if (
        experience.set_right_on
        and experience.happened_on
        and (experience.set_right_on < experience.happened_on)
    ):
        errors["set_right_on"] = "Set right on or after the day it happened."
    if experience.policy_cost is not None and experience.policy_cost < 0:
        errors["policy_cost"] = "A cost of zero or more."
    if experience.policy_cost is not None and not experience.policy_broken:
        errors["policy_broken"] = "Name the policy we broke for this cost."
    if errors:
        raise ValidationError(errors)


def experience_record(
    *,
    actor: User,
    company: Company | None = None,
    person: Person | None = None,
    what: str,
    feeling: str,
    happened_on: date | None = None,
    **fields: Any,
) -> tuple[Experience, str]:
    """Record an experience; the second value is a note to show (a prospect's experience is
    kept, and said to be a prospect's)."""
    if (company is None) == (person is None):
        raise ValidationError({"company": "Name the company or the person (one of the two)."})
    customer = company or person
    _require_customer(actor, customer)
    experience = Experience(
        company=company,
        person=person,
        what=(what or "").strip(),
        feeling=feeling,
        happened_on=happened_on or timezone.localdate(),
    )
    fields_apply(experience, fields, EXPERIENCE_FIELDS)
    _check(experience)
    record_save(experience, actor, creating=True)
    _refresh(experience)
    note = (
        ""
        if is_customer(customer)
        else (f"{customer} is not a customer (yet): the experience is kept all the same.")
    )
    return experience, note


@transaction.atomic
def experience_update(
    *, actor: User, experience: Experience, expected_version: int | None = None, **fields: Any
) -> Experience:
    _require_customer(actor, experience.customer)
    lock_for_edit(experience, expected_version)
    fields_apply(experience, fields, EXPERIENCE_FIELDS)
    _check(experience)
    next_version(experience)
    record_save(experience, actor, creating=False)
    _refresh(experience)
    return experience


def _refresh(experience: Experience) -> None:
    from attract.aftercare.care_signal import care_signal_refresh
    from attract.aftercare.models import CustomerCare

    key = (
        {"company": experience.company} if experience.company_id else {"person": experience.person}
    )
    care_signal_refresh(
        care_ids=list(CustomerCare.objects.filter(**key).values_list("pk", flat=True))
    )
