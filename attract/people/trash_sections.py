"""Persons and companies on the trash page (core/trash.py)."""

from __future__ import annotations

from attract.core.permissions import name_seen_by
from attract.core.trash import TrashSection, register
from attract.people.selectors import trash_for_user


def register_sections() -> None:
    register(
        TrashSection(
            key="people",
            title="People",
            empty="No one is in the trash.",
            order=10,
            records=lambda user: trash_for_user(user=user)[1].select_related("merged_into"),
            detail_url="people:person_detail",
            restore_url="people:person_restore",
            context_label="Company",
            # Someone else's private company is named as such, here as everywhere.
            context=lambda person, user: name_seen_by(user, person.company),
        )
    )
    register(
        TrashSection(
            key="companies",
            title="Companies",
            empty="No company is in the trash.",
            order=20,
            records=lambda user: trash_for_user(user=user)[0].select_related("merged_into"),
            detail_url="people:company_detail",
            restore_url="people:company_restore",
        )
    )
