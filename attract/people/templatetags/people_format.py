"""Template filters for showing people's contact points as a person reads them."""

from __future__ import annotations

from django import template

from attract.core.phone_numbers import display_phone

register = template.Library()


@register.filter
def phone(e164: str) -> str:
    """+442079460958 → +44 20 7946 0958."""
    return display_phone(e164) if e164 else ""
