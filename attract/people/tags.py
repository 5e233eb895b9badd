"""Tags: short labels shared by companies and persons, matched case-insensitively in any script."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from attract.people.models import Tag

MAX_TAGS = 30
MAX_TAG_LENGTH = 50


def clean_tag_names(names: Iterable[str] | str) -> list[str]:
    """Tidy tag names (spaces collapsed, duplicates ignored case-insensitively) and check them,
    without writing anything. A single string is read as comma-separated names."""
    if isinstance(names, str):
        names = names.split(",")
    cleaned: dict[str, str] = {}
    for raw in names:
        name = " ".join((raw or "").split())
        if not name:
            continue
        if len(name) > MAX_TAG_LENGTH:
            raise ValidationError(
                {"tags": f"The tag “{name[:MAX_TAG_LENGTH]}…” is longer than 50 characters."}
            )
        cleaned.setdefault(name.casefold(), name)
    if len(cleaned) > MAX_TAGS:
        raise ValidationError({"tags": f"At most {MAX_TAGS} tags per record."})
    return list(cleaned.values())


def tags_from_names(names: Iterable[str] | str) -> list[Tag]:
    """Find or create tags by name, case-insensitively, keeping the first spelling used."""
    cleaned = clean_tag_names(names)
    if not cleaned:
        return []
    # SQLite's LOWER() folds ASCII only, so the usual spellings are asked for as well; the
    # final match is made in Python with casefold(), which knows every script.
    spellings = {v for n in cleaned for v in (n, n.lower(), n.upper(), n.title(), n.capitalize())}
    candidates = Tag.objects.annotate(lname=Lower("name")).filter(
        models.Q(lname__in=[n.lower() for n in cleaned]) | models.Q(name__in=spellings)
    )
    existing: dict[str, Tag] = {}
    for tag in candidates.order_by("id"):
        existing.setdefault(tag.name.casefold(), tag)
    tags = []
    for name in cleaned:
        tag = existing.get(name.casefold())
        if tag is None:
            tag = Tag.objects.create(name=name)
            existing[name.casefold()] = tag
        tags.append(tag)
    return tags
