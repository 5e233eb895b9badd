"""REST endpoints for joint initiatives, the people they brought in, and topics.

An initiative done with a partner the reader cannot see answers 404 like a missing one; a
viewer's writes answer 403; a stale version answers 409 (the API's VersionConflict handler).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Query, Router

from attract.accounts.models import User
from attract.core.permissions import can_write, visible_to
from attract.partners import initiative_selectors as selectors
from attract.partners import initiative_services as services
from attract.partners.initiative_schemas import (
    ArticleIn,
    ArticleOut,
    InitiativeFilters,
    InitiativeIn,
    InitiativeOut,
    InitiativePage,
    InitiativePatch,
    InitiativePersonIn,
    TopicIn,
    TopicOut,
    TopicPatch,
)
from attract.partners.models import Article, Initiative, Partner, Topic
from attract.partners.selectors import visible_partners
from attract.people.models import Person

router = Router(tags=["initiatives"])


def _writer(user: User) -> None:
    if not can_write(user):
        raise PermissionDenied("Your role can read but not change records.")


def _initiative(request: HttpRequest, pk: int, *, write: bool = False) -> Initiative:
    initiative = (
        selectors.initiative_detail_queryset(request.auth)
        .prefetch_related("partners")
        .filter(pk=pk)
        .first()
    )
    if initiative is None:
        raise Http404
    if write:
        _writer(request.auth)
    return initiative


def _partners(actor: User, ids: list[int] | None) -> list[Partner] | None:
    if ids is None:
        return None
    found = {p.pk: p for p in visible_partners(actor).filter(pk__in=ids)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise ValidationError({"partners": f"No partner with the id {missing[0]}."})
    return [found[pk] for pk in ids]


def _topic(topic_id: int | None) -> Topic | None:
    if topic_id is None:
        return None
    topic = Topic.objects.filter(pk=topic_id).first()
    if topic is None:
        raise ValidationError({"topic": f"No topic with the id {topic_id}."})
    return topic


def _fields(payload: InitiativeIn | InitiativePatch) -> dict[str, Any]:
    fields = payload.dict(exclude_unset=True)
    for name in ("version", "partners"):
        fields.pop(name, None)
    if "topic" in fields:
        fields["topic"] = _topic(fields["topic"])
    return fields


@router.get(
    "/initiatives",
    response=InitiativePage,
    summary="List joint initiatives, ranked by what they brought",
)
def list_initiatives(request: HttpRequest, filters: Query[InitiativeFilters]) -> dict[str, Any]:
    queryset = selectors.initiative_list_for_user(
        user=request.auth, sort=filters.sort, kind=filters.kind or "", search=filters.search
    )
    return {
        "count": queryset.count(),
        "items": list(queryset[filters.offset : filters.offset + filters.limit]),
    }


@router.post("/initiatives", response={201: InitiativeOut}, summary="Record a joint initiative")
def create_initiative(request: HttpRequest, payload: InitiativeIn) -> Initiative:
    _writer(request.auth)
    initiative = services.initiative_create(
        actor=request.auth,
        partners=_partners(request.auth, payload.partners) or [],
        **_fields(payload),
    )
    return _initiative(request, initiative.pk)


@router.get("/initiatives/{initiative_id}", response=InitiativeOut, summary="A joint initiative")
def get_initiative(request: HttpRequest, initiative_id: int) -> Initiative:
    return _initiative(request, initiative_id)


@router.patch(
    "/initiatives/{initiative_id}", response=InitiativeOut, summary="Change a joint initiative"
)
def update_initiative(
    request: HttpRequest, initiative_id: int, payload: InitiativePatch
) -> Initiative:
    initiative = _initiative(request, initiative_id, write=True)
    if initiative.in_trash:
        raise Http404
    services.initiative_update(
        actor=request.auth,
        initiative=initiative,
        expected_version=payload.version,
        partners=_partners(request.auth, payload.partners),
        **_fields(payload),
    )
    return _initiative(request, initiative_id)


@router.delete(
    "/initiatives/{initiative_id}",
    response={204: None},
    summary="Move a joint initiative to the trash",
)
def trash_initiative(request: HttpRequest, initiative_id: int) -> None:
    services.initiative_trash(
        actor=request.auth, initiative=_initiative(request, initiative_id, write=True)
    )


@router.post(
    "/initiatives/{initiative_id}/restore",
    response=InitiativeOut,
    summary="Restore a joint initiative",
)
def restore_initiative(request: HttpRequest, initiative_id: int) -> Initiative:
    initiative = _initiative(request, initiative_id, write=True)
    services.initiative_restore(actor=request.auth, initiative=initiative)
    return _initiative(request, initiative_id)


@router.post(
    "/initiatives/{initiative_id}/people",
    response={201: InitiativeOut},
    summary="Record a person whose source is this initiative",
)
def add_initiative_person(
    request: HttpRequest, initiative_id: int, payload: InitiativePersonIn
) -> Initiative:
    initiative = _initiative(request, initiative_id, write=True)
    person = visible_to(Person.objects.all(), request.auth).filter(pk=payload.person).first()
    if person is None:
        raise ValidationError({"person": f"No person with the id {payload.person}."})
    services.initiative_add_person(actor=request.auth, initiative=initiative, person=person)
    return _initiative(request, initiative_id)


# --- Topics ---------------------------------------------------------------------------------


def _topic_record(request: HttpRequest, pk: int, *, trash: bool = False) -> Topic:
    manager = Topic.all_objects if trash else Topic.objects
    topic = manager.filter(pk=pk).first()
    if topic is None:
        raise Http404
    return topic


@router.get("/topics", response=list[TopicOut], summary="Speaking and writing topics")
def list_topics(request: HttpRequest) -> list[Topic]:
    return list(selectors.topic_list()[:500])


@router.post("/topics", response={201: TopicOut}, summary="Add a speaking and writing topic")
def create_topic(request: HttpRequest, payload: TopicIn) -> Topic:
    topic = services.topic_create(actor=request.auth, **payload.dict(exclude_unset=True))
    return selectors.topic_list().get(pk=topic.pk)


@router.patch("/topics/{topic_id}", response=TopicOut, summary="Change a topic")
def update_topic(request: HttpRequest, topic_id: int, payload: TopicPatch) -> Topic:
    topic = _topic_record(request, topic_id)
    fields = payload.dict(exclude_unset=True)
    version = fields.pop("version", None)
    services.topic_update(actor=request.auth, topic=topic, expected_version=version, **fields)
    return selectors.topic_list().get(pk=topic.pk)


@router.delete("/topics/{topic_id}", response={204: None}, summary="Move a topic to the trash")
def trash_topic(request: HttpRequest, topic_id: int) -> None:
    services.topic_trash(actor=request.auth, topic=_topic_record(request, topic_id))


@router.post("/topics/{topic_id}/restore", response=TopicOut, summary="Restore a topic")
def restore_topic(request: HttpRequest, topic_id: int) -> Topic:
    topic = _topic_record(request, topic_id, trash=True)
    services.topic_restore(actor=request.auth, topic=topic)
    return selectors.topic_list(include_trash=True).get(pk=topic.pk)


# --- Articles on a topic --------------------------------------------------------------------


@router.get(
    "/topics/{topic_id}/articles", response=list[ArticleOut], summary="Articles that used a topic"
)
def topic_articles(request: HttpRequest, topic_id: int) -> list[Article]:
    return selectors.topic_articles(_topic_record(request, topic_id, trash=True))


@router.post("/articles", response={201: ArticleOut}, summary="Add an article on a topic")
def add_article(request: HttpRequest, payload: ArticleIn) -> Article:
    topic = _topic(payload.topic)
    fields = payload.dict()
    fields.pop("topic")
    return services.article_add(actor=request.auth, topic=topic, **fields)


def _article(pk: int, *, trash: bool) -> Article:
    article = Article.all_objects.filter(pk=pk).first()
    if article is None or article.in_trash != trash:
        raise Http404
    return article


@router.delete(
    "/articles/{article_id}", response={204: None}, summary="Move an article to the trash"
)
def trash_article(request: HttpRequest, article_id: int) -> None:
    services.article_trash(actor=request.auth, article=_article(article_id, trash=False))


@router.post("/articles/{article_id}/restore", response=ArticleOut, summary="Restore an article")
def restore_article(request: HttpRequest, article_id: int) -> Article:
    article = _article(article_id, trash=True)
    services.article_restore(actor=request.auth, article=article)
    return article
