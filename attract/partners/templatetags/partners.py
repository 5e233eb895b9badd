"""Small display helpers of the partner pages."""

from __future__ import annotations

from django import template

from attract.partners.models import Step

register = template.Library()
_STEP_LABELS = dict(Step.choices)


@register.filter
def step_label(value: str) -> str:
    return _STEP_LABELS.get(value, value or "")
