"""Merge fields in a letter: `{{ first_name }}` and nothing else.

A restricted format rather than Django's template engine, so a template written by anyone on
the team can reach only the values below — no attribute access, no tags, no filters. A name
that is not one of them is refused when the template is saved, with the name in the message;
so is anything else written between braces."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

# The fields a letter may use, and what each says, for the template form's help.
MERGE_FIELDS: dict[str, str] = {
    "first_name": "The person's first name",
    "last_name": "The person's last name",
    "full_name": "The person's full name",
    "company": "The person's company (empty when you may not see it)",
    "deal": "The deal the letter is about (empty when written without one)",
    "sender_name": "Your name",
    "signature": "Your signature (set it on the Templates page)",
    "business_name": "The business's name (ATTRACT_BUSINESS_NAME)",
    "survey_link": "A private link to the exit survey, made for each departed customer when sent",
}

FIELD = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
# Braces that are not a well-formed field: "{{ first_name" or "{% if %}" would otherwise be
# sent to a customer as written.
STRAY = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")


def fields_used(text: str) -> set[str]:
    return {m.group(1) for m in FIELD.finditer(text or "")}


def merge_check(*, field_name: str, text: str) -> None:
    """Refuse unknown merge fields and stray template syntax, naming them."""
    unknown = sorted(name for name in fields_used(text) if name not in MERGE_FIELDS)
    if unknown:
        names = ", ".join(f"{{{{ {n} }}}}" for n in unknown)
        raise ValidationError(
            {
                field_name: f"Unknown merge field {names}: use one of "
                + ", ".join(MERGE_FIELDS)
                + "."
            }
        )
    if STRAY.search(FIELD.sub("", text or "")):
        raise ValidationError(
            {field_name: "Write a merge field as {{ first_name }}; other braces cannot be sent."}
        )


@dataclass(frozen=True)
class MergeValues:
    first_name: str = ""
    last_name: str = ""
    full_name: str = ""
    company: str = ""
    deal: str = ""
    sender_name: str = ""
    signature: str = ""
    business_name: str = ""
    survey_link: str = ""


def merge_render(text: str, values: MergeValues) -> str:
    """The text with each field replaced by its value (plain text: nothing is escaped, the
    letter is sent as text/plain). Only checked text reaches here; an unknown field, should
    one slip through, becomes empty rather than leaking anything."""
    return FIELD.sub(lambda m: str(getattr(values, m.group(1), "") or "") if m.group(1) in
                     MERGE_FIELDS else "", text or "")  # fmt: skip
