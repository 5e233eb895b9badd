"""The people part of the sample business that `attract demo` and the set-up page load:
rows built from a seed (demo_rows.py), written in bulk with their history (demo_insert.py)."""

from __future__ import annotations

from collections.abc import Sequence

from attract.accounts.models import Role, User
from attract.people.demo_insert import people_demo_insert
from attract.people.demo_rows import people_demo_rows


def people_demo_create(
    *, owner: User, seed: int, users: Sequence[User] = (), companies: int = 200, persons: int = 400
) -> dict[str, int]:
    """Companies and persons shared by the team; a viewer, who cannot write, owns none."""
    owners = [owner, *[u for u in users if u.pk != owner.pk and u.role != Role.VIEWER]]
    company_rows, person_rows = people_demo_rows(
        seed=seed, companies=companies, persons=persons, owner_count=len(owners)
    )
    return people_demo_insert(
        actor=owner, owners=owners, companies=company_rows, persons=person_rows
    )
