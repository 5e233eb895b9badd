"""Who a letter is for, from where it was started: a person, a company (its people), a deal
(its contact, else its company's people), a care step (the customer in care), a referral
(the partner who referred, when it came in; the person referred, when we sent them on) or a
selection of persons from a list. Each source names the starter that fits it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse

from attract.accounts.models import User
from attract.core.access import get_record_for_user
from attract.core.permissions import visible_to
from attract.people.models import Company, EmailAddress, Person
from attract.pipeline.models import Deal

SOURCES = ("person", "company", "deal", "care_step", "referral", "persons")


@dataclass
class ComposeTarget:
    persons: list[Person]
    label: str  # "Ana Ng", "the people of Acme", "3 selected persons"
    back_url: str
    query: str  # the source as a query string, kept by the compose form
    deal: Deal | None = None
    starter: str = ""  # the starter template that fits this source
    notes: list[str] = field(default_factory=list)


def persons_for_mail(actor: User) -> QuerySet[Person]:
    emails = Prefetch("emails", queryset=EmailAddress.objects.order_by("-is_primary", "id"))
    return (
        visible_to(Person.objects.filter(merged_into__isnull=True), actor)
        .select_related("company")
        .prefetch_related(emails)
        .order_by("search_name", "id")
    )


def _id(raw: str | None) -> int:
    if not raw or not raw.isdigit() or len(raw) > 12:
        raise Http404
    return int(raw)


def compose_target(actor: User, params) -> ComposeTarget:
    """The recipients named by the request's parameters; 404 for what the user may not see."""
    if params.get("person"):
        person = get_record_for_user(persons_for_mail(actor), user=actor, pk=_id(params["person"]))
        return ComposeTarget([person], person.full_name,
                             reverse("people:person_detail", args=[person.pk]),
                             f"person={person.pk}")  # fmt: skip
    if params.get("company"):
        company = get_record_for_user(Company.objects.all(), user=actor, pk=_id(params["company"]))
        persons = list(persons_for_mail(actor).filter(company=company)[:5000])
        return ComposeTarget(persons, f"the people of {company.name}",
                             reverse("people:company_detail", args=[company.pk]),
                             f"company={company.pk}", starter="care_check_in")  # fmt: skip
    if params.get("deal"):
        deal = get_record_for_user(
            Deal.objects.select_related("company", "contact"), user=actor, pk=_id(params["deal"])
        )
        people = persons_for_mail(actor)
        if deal.contact_id:
            persons = list(people.filter(pk=deal.contact_id))
        else:
            persons = (
                list(people.filter(company_id=deal.company_id)[:5000]) if deal.company_id else []
            )
        return ComposeTarget(persons, f"about “{deal.title}”",
                             reverse("pipeline:deal_detail", args=[deal.pk]),
                             f"deal={deal.pk}", deal=deal)  # fmt: skip
    if params.get("care_step"):
        return _care_step(actor, _id(params["care_step"]))
    if params.get("referral"):
        return _referral(actor, _id(params["referral"]))
    if params.get("persons"):
        raw = [p for p in str(params["persons"]).split(",") if p.strip()]
        if not raw or len(raw) > 5000 or not all(p.strip().isdigit() for p in raw):
            raise ValidationError({"to": "The selection names persons by their ids."})
        ids = {int(p) for p in raw}
        persons = list(persons_for_mail(actor).filter(pk__in=ids))
        if len(persons) != len(ids):
            raise Http404
        return ComposeTarget(persons, f"{len(persons)} selected persons",
                             reverse("people:person_list"),
                             "persons=" + ",".join(str(p.pk) for p in persons))  # fmt: skip
    raise Http404


def _care_step(actor: User, pk: int) -> ComposeTarget:
    from attract.aftercare.care_selectors import visible_cares
    from attract.aftercare.models import CareStep

    step = (
        CareStep.objects.select_related("care", "care__company", "care__person", "care__deal")
        .filter(care__in=visible_cares(actor))
        .filter(pk=pk)
        .first()
    )
    if step is None:
        raise Http404
    care = step.care
    if care.person_id:
        persons = list(persons_for_mail(actor).filter(pk=care.person_id))
    else:
        persons = list(persons_for_mail(actor).filter(company_id=care.company_id)[:5000])
    back = (
        reverse("people:person_detail", args=[care.person_id])
        if care.person_id
        else reverse("people:company_detail", args=[care.company_id])
    )
    return ComposeTarget(persons, f"{step.title}: {care.customer}", back, f"care_step={step.pk}",
                         deal=care.deal, starter="care_check_in")  # fmt: skip


def _referral(actor: User, pk: int) -> ComposeTarget:
    from attract.partners.models import Direction, Referral
    from attract.partners.selectors import visible_partners

    referral = (
        Referral.objects.select_related("partner", "partner__person", "person")
        .filter(partner__in=visible_partners(actor), pk=pk)
        .first()
    )
    if referral is None:
        raise Http404
    if referral.direction == Direction.IN:
        # They sent someone to us: thank the referrer.
        partner = referral.partner
        starter, label = "referrer_thanks", f"thanks to {partner}"
        if not partner.person_id and partner.company_id:  # a company partner: its people
            persons = list(persons_for_mail(actor).filter(company_id=partner.company_id)[:5000])
            back = reverse("partners:detail", args=[partner.pk])
            return ComposeTarget(persons, label, back, f"referral={referral.pk}", starter=starter)
        ids = [partner.person_id] if partner.person_id else []
    else:
        ids = [referral.person_id] if referral.person_id else []
        starter, label = "", f"the person referred to {referral.partner}"
    persons = list(persons_for_mail(actor).filter(pk__in=ids))
    return ComposeTarget(persons, label, reverse("partners:detail", args=[referral.partner_id]),
                         f"referral={referral.pk}", starter=starter)  # fmt: skip
