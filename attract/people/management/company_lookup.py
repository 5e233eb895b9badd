"""Find the company a command names with --company NAME."""

from __future__ import annotations

from django.core.management.base import CommandError

from attract.accounts.models import User
from attract.core.search_text import search_key
from attract.people.models import Company
from attract.people.selectors import company_list_for_user


def company_by_name(user: User, name: str, *, option: str) -> Company:
    """The visible company with this name (accents and case aside), or the only one that
    contains it; anything else is an error that lists what matched."""
    matches = list(company_list_for_user(user=user, search=name)[:20])
    exact = [c for c in matches if c.search_name == search_key(name)]
    if len(exact) == 1:
        return exact[0]
    if len(matches) == 1 and not exact:
        return matches[0]
    if not matches:
        raise CommandError(f"{option}: no company you can see is named “{name}”.")
    listed = "; ".join(f"{c.name} (#{c.pk})" for c in (exact or matches)[:5])
    raise CommandError(f"{option}: “{name}” matches several companies: {listed}. Be more precise.")
