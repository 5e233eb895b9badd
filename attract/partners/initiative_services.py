"""Writes to joint initiatives (seminars, host-beneficiary offers, features, joint client
meetings), the people they brought in, and the speaking and writing topics.

Same rules as partners: every edit against the version the user saw, history for each
change, a trash instead of delete, bad input refused with a message and nothing changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from attract.accounts.models import User
from attract.core.permissions import can_view_record, can_write
from attract.core.record_writes import fields_apply, record_save
from attract.core.versions import lock_for_edit, next_version
from attract.partners.models import (
    HOST_BENEFICIARY_ROLES,
    Article,
    Initiative,
    InitiativeKind,
    InitiativePerson,
    OurRole,
    Partner,
    Topic,
)
from attract.partners.services import _as_date, partner_visible_to
from attract.people.models import Person

INITIATIVE_FIELDS = ("kind", "title", "held_on", "our_role", "topic", "audience", "notes")
TOPIC_FIELDS = ("name", "notes", "in_our_field", "we_enjoy", "customers_want")


def _require_write(actor: User) -> None:
    if not can_write(actor):
        raise PermissionDenied("Your role can read but not change records.")


def _check_partners(actor: User, partners: Iterable[Partner] | None) -> list[Partner]:
    chosen = list(dict.fromkeys(partners or []))
    if not chosen:
        raise ValidationError({"partners": "Choose the partner or partners you did it with."})
    for partner in chosen:
        if not partner_visible_to(actor, partner):
            raise ValidationError({"partners": "There is no such partner."})
        if partner.in_trash:
            raise ValidationError({"partners": f"{partner} is in the trash; restore it first."})
    return chosen


def _check_rules(initiative: Initiative, partners: list[Partner]) -> None:
    """What the form cannot say alone: the date against the partners, the role against the
    kind, the topic alive."""
    if initiative.kind not in InitiativeKind.values:
        raise ValidationError({"kind": "Choose what kind of initiative this is."})
    if initiative.our_role not in OurRole.values:
        raise ValidationError({"our_role": "Choose our role."})
    if initiative.kind == InitiativeKind.HOST_BENEFICIARY:
        if initiative.our_role not in HOST_BENEFICIARY_ROLES:
            raise ValidationError(
                {"our_role": "In a host-beneficiary offer we are the host or the beneficiary."}
            )
    elif initiative.our_role in HOST_BENEFICIARY_ROLES:
        raise ValidationError(
            {"our_role": "Host and beneficiary are the sides of a host-beneficiary offer."}
        )
    held_on = initiative.held_on
    for partner in partners:
        since = timezone.localdate(partner.created_at)
        if held_on < since:
            raise ValidationError(
                {
                    "held_on": f"{partner} became a partner on {since:%d %b %Y}; "
                    f"an initiative with them cannot be dated before that."
                }
            )
    if initiative.topic is not None and initiative.topic.in_trash:
        raise ValidationError({"topic": "This topic is in the trash; restore it first."})
    if (initiative.audience or 0) < 0:
        raise ValidationError({"audience": "The audience is a number of people, 0 or more."})


def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
    if "held_on" in fields and fields["held_on"] not in (None, ""):
        fields["held_on"] = _as_date(fields["held_on"], "held_on")
    elif "held_on" in fields:
        raise ValidationError({"held_on": "Enter the date (YYYY-MM-DD)."})
    if "audience" in fields:
        try:
            fields["audience"] = int(fields["audience"] or 0)
        except (TypeError, ValueError) as exc:
            raise ValidationError({"audience": "The audience is a number of people."}) from exc
        if not 0 <= fields["audience"] <= 100_000_000:
            raise ValidationError({"audience": "The audience is a number of people, 0 or more."})
    return fields


def initiative_create(*, actor: User, partners: Iterable[Partner], **fields: Any) -> Initiative:
    _require_write(actor)
    chosen = _check_partners(actor, partners)
    initiative = Initiative()
    fields_apply(initiative, _normalise(dict(fields)), INITIATIVE_FIELDS)
    if not initiative.held_on:
        raise ValidationError({"held_on": "Enter the date (YYYY-MM-DD)."})
    _check_rules(initiative, chosen)
    with transaction.atomic():
        record_save(initiative, actor, creating=True)
        initiative.partners.set(chosen)
    return initiative


def initiative_update(
    *,
    actor: User,
    initiative: Initiative,
    expected_version: int | None = None,
    partners: Iterable[Partner] | None = None,
    **fields: Any,
) -> Initiative:
    _require_write(actor)
    try:
        with transaction.atomic():
            lock_for_edit(initiative, expected_version)
            if initiative.in_trash:
                raise ValidationError("This initiative is in the trash; restore it first.")
            chosen = (
                _check_partners(actor, partners)
                if partners is not None
                else list(initiative.partners.all())
            )
            fields_apply(initiative, _normalise(dict(fields)), INITIATIVE_FIELDS)
            _check_rules(initiative, chosen)
            next_version(initiative)
            reason = None
            if partners is not None:
                before = set(initiative.partners.values_list("pk", flat=True))
                if before != {p.pk for p in chosen}:
                    reason = "Partners: " + ", ".join(str(p) for p in chosen)
                    initiative.partners.set(chosen)
            record_save(initiative, actor, creating=False, reason=reason)
    except (ValidationError, PermissionDenied):
        initiative.refresh_from_db()
        raise
    return initiative


def _set_trash(record: Any, actor: User, *, trash: bool) -> None:
    _require_write(actor)
    with transaction.atomic():
        lock_for_edit(record, None)
        if record.in_trash == trash:
            return
        record.deleted_at = timezone.now() if trash else None
        record.deleted_by = actor if trash else None
        record.updated_by = actor
        record._history_user = actor
        record._change_reason = "Moved to the trash" if trash else "Restored from the trash"
        next_version(record)
        record.save(
            update_fields=["deleted_at", "deleted_by", "updated_by", "updated_at", "version"]
        )


def initiative_trash(*, actor: User, initiative: Initiative) -> None:
    _set_trash(initiative, actor, trash=True)


def initiative_restore(*, actor: User, initiative: Initiative) -> None:
    _set_trash(initiative, actor, trash=False)


def initiative_add_person(
    *, actor: User, initiative: Initiative, person: Person
) -> InitiativePerson:
    """Record that a person came to us through this initiative (their source)."""
    _require_write(actor)
    if not can_view_record(actor, person) or person.in_trash:
        raise ValidationError({"person": "There is no such person."})
    if initiative.in_trash:
        raise ValidationError("This initiative is in the trash; restore it first.")
    existing = InitiativePerson.objects.filter(person=person).select_related("initiative").first()
    if existing is not None:
        if existing.initiative_id == initiative.pk:
            return existing
        raise ValidationError({"person": f"{person} already came through “{existing.initiative}”."})
    link = InitiativePerson(initiative=initiative, person=person)
    try:
        with transaction.atomic():
            record_save(link, actor, creating=True)
    except IntegrityError as exc:
        raise ValidationError({"person": "Someone linked this person at the same moment."}) from exc
    return link


# --- Speaking and writing topics ------------------------------------------------------------


def _check_topic(topic: Topic) -> None:
    if not (topic.name or "").strip():
        raise ValidationError({"name": "Name the topic."})


def topic_create(*, actor: User, **fields: Any) -> Topic:
    _require_write(actor)
    topic = Topic()
    fields_apply(topic, fields, TOPIC_FIELDS)
    _check_topic(topic)
    with transaction.atomic():
        record_save(topic, actor, creating=True)
    return topic


def topic_update(
    *, actor: User, topic: Topic, expected_version: int | None = None, **fields: Any
) -> Topic:
    _require_write(actor)
    try:
        with transaction.atomic():
            lock_for_edit(topic, expected_version)
            if topic.in_trash:
                raise ValidationError("This topic is in the trash; restore it first.")
            fields_apply(topic, fields, TOPIC_FIELDS)
            _check_topic(topic)
            next_version(topic)
            record_save(topic, actor, creating=False)
    except (ValidationError, PermissionDenied):
        topic.refresh_from_db()
        raise
    return topic


def topic_trash(*, actor: User, topic: Topic) -> None:
    _set_trash(topic, actor, trash=True)


def topic_restore(*, actor: User, topic: Topic) -> None:
    _set_trash(topic, actor, trash=False)


# --- Articles on a topic --------------------------------------------------------------------


def article_add(
    *,
    actor: User,
    topic: Topic,
    title: str,
    published_on: Any = None,
    where: str = "",
    link: str = "",
) -> Article:
    """An article (or a talk, a post) that used a topic: where and when it was published."""
    _require_write(actor)
    if topic.in_trash:
        raise ValidationError({"topic": "This topic is in the trash; restore it first."})
    on = _as_date(published_on, "published_on") if published_on else timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"published_on": "An article cannot be published in the future."})
    article = Article(topic=topic, published_on=on)
    fields_apply(article, {"title": title or "", "where": where or "", "link": link or ""},
           ("title", "where", "link"))  # fmt: skip
    if not article.title:
        raise ValidationError({"title": "Give the article's title."})
    with transaction.atomic():
        record_save(article, actor, creating=True)
    return article


def article_trash(*, actor: User, article: Article) -> None:
    _set_trash(article, actor, trash=True)


def article_restore(*, actor: User, article: Article) -> None:
    _set_trash(article, actor, trash=False)
