"""Reads of companies and persons, with their joins done, filtered to what the user may see."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from attract.accounts.models import User
from attract.core.permissions import visible_to
from attract.core.search_text import search_key
from attract.people.models import Company, EmailAddress, Person, PhoneNumber, Tag

# Sort keys a list offers, mapped to an indexed ordering. The id breaks ties so that
# pagination is stable.
PERSON_SORTS = {
    "name": ("search_name", "id"),
    "-name": ("-search_name", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "company": ("company__search_name", "search_name", "id"),
}
COMPANY_SORTS = {
    "name": ("search_name", "id"),
    "-name": ("-search_name", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "relationship": ("relationship", "search_name", "id"),
}


def _search_terms(query: str) -> list[str]:
    return search_key(query).split()[:5]


def person_list_for_user(
    *,
    user: User,
    search: str = "",
    owner_id: int | None = None,
    tag: str = "",
    company_id: int | None = None,
    relationship: str = "",
    sort: str = "name",
) -> QuerySet[Person]:
    """Persons the user may see, filtered and sorted, ready to render a list page or API page.

    Search matches every word against the normalised name, or the whole query against an
    email address.
    """
    qs = visible_to(Person.objects.all(), user)
    query = (search or "").strip()
    if query:
        if "@" in query:
            # A subquery, not a join: a person with two matching addresses is one row.
            holders = EmailAddress.objects.filter(email__icontains=query.lower())
            qs = qs.filter(pk__in=holders.values("person_id"))
        else:
            for term in _search_terms(query):
                qs = qs.filter(search_name__contains=term)
    if owner_id:
        qs = qs.filter(owner_id=owner_id)
    if tag:
        qs = qs.filter(tags__name__iexact=tag)
    if company_id:
        qs = qs.filter(company_id=company_id)
    if relationship:
        qs = qs.filter(company__relationship=relationship)
    return (
        qs.select_related("company", "owner")
        .prefetch_related(
            "tags",
            Prefetch("emails", queryset=EmailAddress.objects.order_by("-is_primary", "id")),
            Prefetch("phones", queryset=PhoneNumber.objects.order_by("-is_primary", "id")),
        )
        .order_by(*PERSON_SORTS.get(sort, PERSON_SORTS["name"]))
    )


def company_list_for_user(
    *,
    user: User,
    search: str = "",
    owner_id: int | None = None,
    tag: str = "",
    relationship: str = "",
    sort: str = "name",
) -> QuerySet[Company]:
    qs = visible_to(Company.objects.all(), user)
    for term in _search_terms(search or ""):
        qs = qs.filter(search_name__contains=term)
    if owner_id:
        qs = qs.filter(owner_id=owner_id)
    if tag:
        qs = qs.filter(tags__name__iexact=tag)
    if relationship:
        qs = qs.filter(relationship=relationship)
    return (
        qs.select_related("owner")
        .prefetch_related("tags")
        .order_by(*COMPANY_SORTS.get(sort, COMPANY_SORTS["name"]))
    )


def person_detail_queryset(*, include_trash: bool = False) -> QuerySet[Person]:
    base = Person.all_objects if include_trash else Person.objects
    return base.select_related("company", "owner", "created_by", "updated_by").prefetch_related(
        "tags", "emails", "phones"
    )


def company_detail_queryset(*, include_trash: bool = False) -> QuerySet[Company]:
    base = Company.all_objects if include_trash else Company.objects
    return base.select_related("owner", "created_by", "updated_by").prefetch_related("tags")


def company_persons(*, user: User, company: Company) -> QuerySet[Person]:
    return (
        visible_to(company.persons.all(), user)
        .filter(deleted_at__isnull=True)
        .prefetch_related("emails", "phones")
        .order_by("search_name", "id")
    )


def trash_for_user(*, user: User) -> tuple[QuerySet[Company], QuerySet[Person]]:
    companies = visible_to(Company.all_objects.filter(deleted_at__isnull=False), user)
    persons = visible_to(Person.all_objects.filter(deleted_at__isnull=False), user)
    return (
        companies.select_related("deleted_by").order_by("-deleted_at"),
        persons.select_related("deleted_by", "company").order_by("-deleted_at"),
    )


def tag_choices() -> QuerySet[Tag]:
    return Tag.objects.order_by("name")
