"""Reads of events, offers, visits and ideas: every list narrowed to the customers the user
may see (a private customer of someone else is never named, not even as a guest or as the
inspiration of an idea), with its joins done and its customer filter on an index."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from attract.accounts.models import User
from attract.aftercare.models import CustomerEvent, EventGuest, Idea, Offer, Visit
from attract.people.models import Company, Person

PAGE = 50


def _customer_visible(user: User, prefix: str = "") -> Q:
    """Rows of one customer (company or person) that this user may see."""
    return (
        Q(**{f"{prefix}company__isnull": False})
        & (Q(**{f"{prefix}company__is_private": False})
           | Q(**{f"{prefix}company__owner_id": user.pk}))
        & Q(**{f"{prefix}company__deleted_at__isnull": True})
    ) | (
        Q(**{f"{prefix}person__isnull": False})
        & (Q(**{f"{prefix}person__is_private": False})
           | Q(**{f"{prefix}person__owner_id": user.pk}))
        & Q(**{f"{prefix}person__deleted_at__isnull": True})
    )  # fmt: skip


def _of(queryset: QuerySet, customer: Company | Person | None) -> QuerySet:
    if customer is None:
        return queryset
    return queryset.filter(**{"company" if isinstance(customer, Company) else "person": customer})


def visible_offers(user: User, *, include_trash: bool = False) -> QuerySet[Offer]:
    manager = Offer.all_objects if include_trash else Offer.objects
    return manager.filter(_customer_visible(user)).select_related("company", "person")


def visible_visits(user: User, *, include_trash: bool = False) -> QuerySet[Visit]:
    manager = Visit.all_objects if include_trash else Visit.objects
    return manager.filter(_customer_visible(user)).select_related("company", "person")


def visible_guests(user: User) -> QuerySet[EventGuest]:
    return EventGuest.objects.filter(_customer_visible(user)).select_related("company", "person")


def events(*, include_trash: bool = False) -> QuerySet[CustomerEvent]:
    manager = CustomerEvent.all_objects if include_trash else CustomerEvent.objects
    return manager.all()


def event_list(user: User, customer: Company | Person | None = None) -> QuerySet[CustomerEvent]:
    """Events with their counts of the guests this user may see: invited and came."""
    rows = events()
    if customer is not None:
        rows = rows.filter(pk__in=_of(EventGuest.objects, customer).values("event_id"))
    visible = _customer_visible(user, "guests__")
    return rows.annotate(
        invited=Count("guests", filter=visible),
        came_count=Count("guests", filter=visible & Q(guests__came=True)),
    ).order_by("-held_on", "-id")


def event_guests(user: User, event: CustomerEvent) -> list[EventGuest]:
    return list(visible_guests(user).filter(event=event).order_by("id"))


def offer_list(
    user: User, *, outcome: str = "", customer: Company | Person | None = None
) -> QuerySet[Offer]:
    rows = _of(visible_offers(user), customer)
    if outcome:
        rows = rows.filter(outcome=outcome)
    return rows.order_by("-offered_on", "-id")


def offer_takers(user: User) -> list[dict]:
    """Per thing offered: to how many customers, how many took it, how many declined."""
    return list(
        visible_offers(user)
        .values("what")
        .annotate(
            offered=Count("id"),
            taken=Count("id", filter=Q(outcome="taken")),
            declined=Count("id", filter=Q(outcome="declined")),
        )
        .order_by("-offered", "what")[:20]
    )


def visit_list(user: User, customer: Company | Person | None = None) -> QuerySet[Visit]:
    return _of(visible_visits(user), customer).order_by("-visited_on", "-id")


def idea_list(
    user: User, *, status: str = "", customer: Company | Person | None = None,
    include_trash: bool = False,
) -> QuerySet[Idea]:  # fmt: skip
    """Ideas, each with the customers who inspired it that this user may see (two prefetch
    queries for a page, however many ideas)."""
    rows = (Idea.all_objects if include_trash else Idea.objects).select_related("visit")
    if status:
        rows = rows.filter(status=status)
    if isinstance(customer, Company):
        rows = rows.filter(companies=customer)
    elif isinstance(customer, Person):
        rows = rows.filter(persons=customer)
    seen = Q(is_private=False) | Q(owner_id=user.pk)
    return rows.prefetch_related(
        Prefetch("companies", queryset=Company.objects.filter(seen).order_by("search_name"),
                 to_attr="inspired_companies"),
        Prefetch("persons", queryset=Person.objects.filter(seen).order_by("search_name"),
                 to_attr="inspired_persons"),
    ).order_by("-created_at", "-id")  # fmt: skip


def ideas_all() -> QuerySet[Idea]:
    """Every idea, in the trash or not (the trash page): ideas are the team's."""
    return Idea.all_objects.all()
