"""Reads of companies and persons, with their joins done, filtered to what the user may see."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db import connections
from django.db.models import Prefetch, QuerySet
from django.db.models.expressions import RawSQL

from attract.accounts.models import User
from attract.core.permissions import visible_to
from attract.core.search_text import search_key
from attract.core.trigram_index import (
    MANY_MATCHES,
    TrigramIndex,
    counts_capped,
    indexed_words,
    match_query,
)
from attract.core.unindexed import Unindexed
from attract.people.models import Company, EmailAddress, Person, PhoneNumber, Tag, UnreadableValue
from attract.people.name_index import COMPANY_NAMES, PERSON_NAMES

# Sort keys a list offers, mapped to an indexed ordering. The id breaks ties so that
# pagination is stable.
PERSON_SORTS = {
    "name": ("search_name", "id"),
    "-name": ("-search_name", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "company": ("company__search_name", "search_name", "id"),
    "fit": (),  # best fit first; see ScoreOrdered
    "-fit": (),  # poorest fit first
}
COMPANY_SORTS = {
    "name": ("search_name", "id"),
    "-name": ("-search_name", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "relationship": ("relationship", "search_name", "id"),
    "fit": (),
    "-fit": (),
}
# The stored fit (attraction's FitScore, reached through its reverse one-to-one "fit").
FIT_SORTS = {"fit": True, "-fit": False}  # sort key → best first


class ScoreOrdered(Sequence):
    """A queryset sorted by a nullable score held in a joined row, those without a score last,
    in pages that an index on the score serves: the scored rows come from an inner join
    walked in score order, then the unscored ones by name. One sorted LEFT JOIN would have to
    read and sort every row of a 100,000-row table for each page. Paginator counts with
    count() and takes pages by slicing: at most four queries per page (count, scored rows,
    and when the page reaches past them, their count and the unscored rows), plus prefetches.
    """

    def __init__(self, queryset: QuerySet, score: str, *, descending: bool, then: tuple) -> None:
        self.queryset = queryset
        direction = "-" if descending else ""
        self.scored = queryset.filter(**{f"{score}__isnull": False}).order_by(
            f"{direction}{score}", *then
        )
        self.unscored = queryset.filter(**{f"{score}__isnull": True}).order_by(*then)

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, int):
            return self[key : key + 1][0]
        start, stop = key.start or 0, key.stop
        rows = list(self.scored[start:stop])
        if stop is not None and len(rows) == stop - start:
            return rows
        # The scored rows ended inside this page (then we know where) or before it.
        boundary = start + len(rows) if rows else self.scored.count()
        rest = self.unscored[max(start - boundary, 0) : None if stop is None else stop - boundary]
        return rows + list(rest)

    # What the exports use of a queryset, so that they too can follow the fit order.
    def prefetch_related(self, *lookups: Any) -> ScoreOrdered:
        copy = object.__new__(ScoreOrdered)
        copy.queryset = self.queryset.prefetch_related(*lookups)
        copy.scored = self.scored.prefetch_related(*lookups)
        copy.unscored = self.unscored.prefetch_related(*lookups)
        return copy

    def iterator(self, chunk_size: int = 2000) -> Iterator[Any]:
        yield from self.scored.iterator(chunk_size=chunk_size)
        yield from self.unscored.iterator(chunk_size=chunk_size)


def _equals(qs: QuerySet, field: str, value: Any, sort: str) -> QuerySet:
    if sort in FIT_SORTS:
        return qs.alias(**{f"_{field}_as_is": Unindexed(field)}).filter(
            **{f"_{field}_as_is": value}
        )
    return qs.filter(**{field: value})


def _at_companies_with(qs: QuerySet[Person], relationship: str, sort: str) -> QuerySet[Person]:
    """Persons whose company has this relationship. Sorted by company, a join lets SQLite
    walk the companies' (relationship, name) index in order. Sorted otherwise, the join
    would make it start there too and then sort every person those companies employ (65 ms
    a page at 100,000 persons); a subquery on the column as it is lets it walk the list's
    sort index and check each row instead (5 ms)."""
    if sort == "company":
        return qs.filter(company__relationship=relationship)
    employers = Company.all_objects.filter(relationship=relationship).values("pk")
    return qs.alias(_company_as_is=Unindexed("company_id")).filter(_company_as_is__in=employers)


def _sorted(qs: QuerySet, sort: str, sorts: dict[str, tuple]) -> QuerySet | ScoreOrdered:
    if sort in FIT_SORTS:
        return ScoreOrdered(
            qs.select_related("fit"),
            "fit__score",
            descending=FIT_SORTS[sort],
            then=("search_name", "id"),
        )
    return qs.order_by(*sorts.get(sort, sorts["name"]))


def _search_terms(query: str) -> list[str]:
    return search_key(query).split()[:5]


def _names_containing(
    qs: QuerySet, terms: list[str], index: TrigramIndex, *, first_rows: bool = False
) -> QuerySet:
    """Records whose normalised name holds every term. On SQLite the words the trigram index
    can find (three characters or more) are looked up there, the others with LIKE; both
    match the same substrings (see core.trigram_index). `first_rows`: only the first rows
    are wanted, not a count, so a common word walks the list in order instead."""
    connection = connections[qs.db]
    indexed = indexed_words(connection, terms)
    for term in terms:
        if term not in indexed:
            qs = qs.filter(search_name__contains=term)
    if indexed:
        query = match_query(indexed)
        if first_rows and counts_capped(connection, [(index, query)])[0] > MANY_MATCHES:
            for term in indexed:
                qs = qs.filter(search_name__contains=term)
        else:
            # The SQL is a constant; the words go in as a parameter.
            qs = qs.filter(pk__in=RawSQL(index.matching_rows, [query]))  # noqa: S611
    return qs


def person_list_for_user(
    *,
    user: User,
    search: str = "",
    owner_id: int | None = None,
    tag: str = "",
    company_id: int | None = None,
    relationship: str = "",
    sort: str = "name",
    first_rows: bool = False,
) -> QuerySet[Person] | ScoreOrdered:
    """Persons the user may see, filtered and sorted, ready to render a list page or API page.

    Search matches every word against the normalised name, or the whole query against an
    email address. `first_rows`: the caller reads only the first rows, never a count (the
    global search), which lets a common word walk the list in order (see _names_containing).
    """
    qs = visible_to(Person.objects.all(), user)
    query = (search or "").strip()
    if query:
        if "@" in query:
            # A subquery, not a join: a person with two matching addresses is one row.
            holders = EmailAddress.objects.filter(email__icontains=query.lower())
            found = qs.filter(pk__in=holders.values("person_id"))
        else:
            found = _names_containing(qs, _search_terms(query), PERSON_NAMES, first_rows=first_rows)
        if "@" in query or any(ch.isdigit() for ch in query):
            # An address or a number kept as written (not valid) is found as typed.
            kept = UnreadableValue.objects.filter(text__icontains=query)
            found = found | qs.filter(pk__in=kept.values("person_id"))
        qs = found
    if owner_id:
        qs = _equals(qs, "owner_id", owner_id, sort)
    if tag:
        qs = qs.filter(tags__name__iexact=tag)
    if company_id:
        qs = qs.filter(company_id=company_id)
    if relationship:
        qs = _at_companies_with(qs, relationship, sort)
    qs = qs.select_related("company", "owner", "fit").prefetch_related(
        "tags",
        Prefetch("emails", queryset=EmailAddress.objects.order_by("-is_primary", "id")),
        Prefetch("phones", queryset=PhoneNumber.objects.order_by("-is_primary", "id")),
    )
    return _sorted(qs, sort, PERSON_SORTS)


def company_list_for_user(
    *,
    user: User,
    search: str = "",
    owner_id: int | None = None,
    tag: str = "",
    relationship: str = "",
    sort: str = "name",
    first_rows: bool = False,
) -> QuerySet[Company] | ScoreOrdered:
    qs = visible_to(Company.objects.all(), user)
    terms = _search_terms(search or "")
    qs = _names_containing(qs, terms, COMPANY_NAMES, first_rows=first_rows)
    if owner_id:
        qs = _equals(qs, "owner_id", owner_id, sort)
    if tag:
        qs = qs.filter(tags__name__iexact=tag)
    if relationship:
        qs = _equals(qs, "relationship", relationship, sort)
    return _sorted(qs.select_related("owner", "fit").prefetch_related("tags"), sort, COMPANY_SORTS)


def person_detail_queryset(*, include_trash: bool = False) -> QuerySet[Person]:
    base = Person.all_objects if include_trash else Person.objects
    # With the stored fit (the header's chip reads it): one query fewer on the person page.
    return base.select_related(
        "company", "owner", "created_by", "updated_by", "fit"
    ).prefetch_related("tags", "emails", "phones", "unreadable")


def company_detail_queryset(*, include_trash: bool = False) -> QuerySet[Company]:
    base = Company.all_objects if include_trash else Company.objects
    return base.select_related("owner", "created_by", "updated_by", "fit").prefetch_related("tags")


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
