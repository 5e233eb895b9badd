"""Small display helpers of the partner pages."""

from __future__ import annotations

from django import template

from attract.partners.models import Step

register = template.Library()
_STEP_LABELS = dict(Step.choices)


@register.filter
def step_label(value: str) -> str:
    return _STEP_LABELS.get(value, value or "")


@register.inclusion_tag("partners/partials/_person_source.html", takes_context=True)
def person_source(context, person) -> dict:
    """Where a person came from, on their page: the joint initiative whose source they are,
    and the partners who referred them to us (those the reader may see)."""
    from attract.partners.initiative_selectors import visible_initiatives
    from attract.partners.models import Direction, InitiativePerson, Referral
    from attract.partners.selectors import visible_partners

    user = context["request"].user
    # Two queries for most people (no initiative); who may see it only when there is one.
    source = InitiativePerson.objects.filter(person=person).select_related("initiative").first()
    initiative = source.initiative if source is not None else None
    if initiative is not None and (
        initiative.in_trash or not visible_initiatives(user).filter(pk=initiative.pk).exists()
    ):
        initiative = None
    referrals = list(
        Referral.objects.filter(
            person=person,
            direction=Direction.IN,
            partner__in=visible_partners(user).values("pk"),
        )
        .select_related("partner__company", "partner__person")
        .order_by("-referred_on", "-id")[:5]
    )
    return {"person": person, "initiative": initiative, "referrals": referrals}
