"""Reads of joint initiatives and topics. What an initiative brought (the people whose source
it is, their deals, the won revenue and profit of those deals) is stored on it and kept by
figures.py, so that the list ranked by it reads one index a page at a time."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from attract.accounts.models import User
from attract.core.permissions import visible_to
from attract.partners.models import Article, Initiative, Partner, Topic
from attract.partners.selectors import visible_partners
from attract.people.models import Person

MONEY = DecimalField(max_digits=16, decimal_places=2)
ZERO = Value(Decimal("0"), output_field=MONEY)

INITIATIVE_SORTS = {
    # "What they brought": won profit, then won revenue, then people brought in.
    "brought": ("-won_profit", "-won_revenue", "-people_count", "-held_on", "-id"),
    "date": ("-held_on", "-id"),
    "title": ("title", "id"),
}


def visible_initiatives(user: User, *, include_trash: bool = False) -> QuerySet[Initiative]:
    """An initiative exists for a user when they can see every partner it was done with: a
    private partner's initiatives stay with the partner's owner."""
    manager = Initiative.all_objects if include_trash else Initiative.objects
    # The partners hidden from this user are few (private ones, and those of private
    # companies or persons): read their ids once, rather than an anti-join on every row.
    hidden = list(
        Partner.all_objects.exclude(
            pk__in=visible_partners(user, include_trash=True).values("pk")
        ).values_list("pk", flat=True)
    )
    return manager.exclude(partners__in=hidden) if hidden else manager.all()


def with_results(queryset: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """What each initiative brought (people, their deals, won revenue and profit) is stored
    on it (figures.py): nothing to compute at read time. Team totals: a private deal counts
    in the figures though it is never named."""
    return queryset


def initiative_list_for_user(
    *, user: User, sort: str = "brought", kind: str = "", search: str = ""
) -> QuerySet[Initiative]:
    queryset = visible_initiatives(user)
    if kind:
        queryset = queryset.filter(kind=kind)
    if search:
        queryset = queryset.filter(Q(title__icontains=search) | Q(topic__name__icontains=search))
    partners = Prefetch(
        "partners", queryset=Partner.all_objects.select_related("company", "person")
    )
    return (
        with_results(queryset)
        .select_related("topic")
        .prefetch_related(partners)
        .order_by(*INITIATIVE_SORTS.get(sort, INITIATIVE_SORTS["brought"]))
    )


def initiative_detail_queryset(user: User) -> QuerySet[Initiative]:
    return with_results(visible_initiatives(user, include_trash=True)).select_related("topic")


def initiative_people(user: User, initiative: Initiative) -> list[Person]:
    """The people it brought in that the user may see (others are counted, not named)."""
    return list(
        visible_to(Person.objects.all(), user)
        .filter(initiative_source__initiative=initiative)
        .order_by("last_name", "first_name", "id")[:200]
    )


def partner_initiatives(user: User, partner: Partner) -> list[Initiative]:
    return list(
        with_results(visible_initiatives(user).filter(partners=partner))
        .select_related("topic")
        .order_by("-held_on", "-id")[:50]
    )


def topic_list(*, include_trash: bool = False) -> QuerySet[Topic]:
    manager = Topic.all_objects if include_trash else Topic.objects
    alive = Q(initiatives__deleted_at__isnull=True)
    articles = Subquery(
        Article.objects.filter(topic=OuterRef("pk"))
        .values("topic")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )
    return manager.annotate(
        initiative_count=Count("initiatives", filter=alive), article_count=Coalesce(articles, 0)
    ).order_by("name", "id")


# The latest initiatives listed beside each topic (the count says how many in all).
USED_BY_SHOWN = 10


def topic_initiatives_prefetch(user: User | None = None) -> Prefetch:
    """The initiatives that used each topic, newest first, out of the trash. Topic pages list
    titles only (no partner names), so the user's partner visibility is applied when given."""
    queryset = (
        visible_initiatives(user) if user is not None else Initiative.objects.all()
    ).order_by("-held_on", "-id")[:USED_BY_SHOWN]
    return Prefetch("initiatives", queryset=queryset, to_attr="used_by")


def topic_articles_prefetch() -> Prefetch:
    """The latest articles on each topic, out of the trash."""
    return Prefetch(
        "articles",
        queryset=Article.objects.order_by("-published_on", "-id")[:USED_BY_SHOWN],
        to_attr="articles_shown",
    )


def topic_articles(topic: Topic) -> list[Article]:
    return list(Article.objects.filter(topic=topic).order_by("-published_on", "-id")[:100])
