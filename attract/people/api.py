"""REST endpoints for companies and persons, mounted at /api/v1/.

Each endpoint parses, fetches through the access helper, calls a service or a selector and
returns a schema. Access: a private record of someone else answers 404 exactly like a
missing one; a viewer's writes answer 403 (see BearerToken in attract.api.api). An operation
declares a single response status (201 for a create, 204 for a delete), so ninja answers
with it and the endpoints return plain values.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router

from attract.accounts.models import User
from attract.core.access import get_record_for_user
from attract.core.keyset import api_page
from attract.core.permissions import can_view_record, visible_to
from attract.people import services
from attract.people.models import Company, Person
from attract.people.schemas import (
    CompanyFilters,
    CompanyIn,
    CompanyOut,
    CompanyPage,
    CompanyPatch,
    PageQuery,
    PersonFilters,
    PersonIn,
    PersonOut,
    PersonPage,
    PersonPatch,
)
from attract.people.selectors import (
    COMPANY_SORTS,
    PERSON_SORTS,
    company_detail_queryset,
    company_list_for_user,
    person_detail_queryset,
    person_list_for_user,
)

router = Router(tags=["people"])


def _page(
    queryset: QuerySet, page: PageQuery, sorts: dict[str, tuple[str, ...]], filtered: bool
) -> dict[str, Any]:
    # A bounded count (or the table's estimate) and one page query (plus the selector's
    # prefetches), whatever the page size and depth: see core.counting and core.keyset.
    return api_page(
        queryset,
        limit=page.limit,
        offset=page.offset,
        after_position=page.after,
        ordering=sorts.get(page.sort, ()),
        filtered=filtered,
    )


def _filtered(filters: PageQuery, names: tuple[str, ...]) -> bool:
    return any(getattr(filters, name) for name in names)


def _owner_from_id(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    owner = User.objects.filter(pk=user_id, is_active=True).first()
    if owner is None:
        raise ValidationError({"owner": f"No active team member has the id {user_id}."})
    return owner


def _company_from_id(actor: User, company_id: int | None) -> Company | None:
    if company_id is None:
        return None
    # Missing, trashed and someone else's private company get the same answer, so that the
    # message does not reveal which private companies exist.
    company = visible_to(Company.objects.all(), actor).filter(pk=company_id).first()
    if company is None:
        raise ValidationError({"company": f"No company with the id {company_id}."})
    return company


def _fields(actor: User, payload: CompanyIn | CompanyPatch | PersonIn | PersonPatch) -> dict:
    """The fields the client sent, with ids turned into the records the services expect."""
    fields = payload.dict(exclude_unset=True)
    fields.pop("version", None)
    if "owner" in fields:
        fields["owner"] = _owner_from_id(fields["owner"])
    if "company" in fields:
        fields["company"] = _company_from_id(actor, fields["company"])
    return fields


def _company(request: HttpRequest, pk: int, *, write: bool = False, trash: bool = False):
    return get_record_for_user(
        company_detail_queryset(include_trash=trash), user=request.auth, pk=pk, write=write
    )


def _person(request: HttpRequest, pk: int, *, write: bool = False, trash: bool = False):
    return get_record_for_user(
        person_detail_queryset(include_trash=trash), user=request.auth, pk=pk, write=write
    )


def companies_matching(user, filters: CompanyFilters) -> QuerySet[Company]:
    """The companies a list filter asks for (the list endpoint and the CSV export share it)."""
    return company_list_for_user(
        user=user,
        search=filters.search,
        owner_id=filters.owner,
        tag=filters.tag,
        relationship=filters.relationship or "",
        sort=filters.sort,
    )


def persons_matching(user, filters: PersonFilters) -> QuerySet[Person]:
    """The persons a list filter asks for. A company the user may not see matches no one, so
    that a filter cannot tell whether a private company has people."""
    company_id = filters.company
    if company_id is not None:
        company = Company.objects.filter(pk=company_id).first()
        company_id = company.pk if company and can_view_record(user, company) else -1
    return person_list_for_user(
        user=user,
        search=filters.search,
        owner_id=filters.owner,
        tag=filters.tag,
        company_id=company_id,
        relationship=filters.relationship or "",
        sort=filters.sort,
    )


# --- Companies ----------------------------------------------------------------------------


@router.get("/companies", response=CompanyPage, tags=["companies"], summary="List companies")
def list_companies(request: HttpRequest, filters: Query[CompanyFilters]) -> dict[str, Any]:
    filtered = _filtered(filters, ("search", "owner", "tag", "relationship"))
    return _page(companies_matching(request.auth, filters), filters, COMPANY_SORTS, filtered)


@router.post(
    "/companies", response={201: CompanyOut}, tags=["companies"], summary="Create a company"
)
def create_company(request: HttpRequest, payload: CompanyIn) -> Company:
    company = services.company_create(actor=request.auth, **_fields(request.auth, payload))
    return _company(request, company.pk)


@router.get("/companies/{company_id}", response=CompanyOut, tags=["companies"], summary="A company")
def get_company(request: HttpRequest, company_id: int) -> Company:
    return _company(request, company_id)


@router.patch(
    "/companies/{company_id}",
    response=CompanyOut,
    tags=["companies"],
    summary="Change a company",
)
def update_company(request: HttpRequest, company_id: int, payload: CompanyPatch) -> Company:
    company = _company(request, company_id, write=True)
    services.company_update(
        actor=request.auth,
        company=company,
        expected_version=payload.version,
        **_fields(request.auth, payload),
    )
    return _company(request, company_id)


@router.delete(
    "/companies/{company_id}",
    response={204: None},
    tags=["companies"],
    summary="Move a company to the trash",
)
def trash_company(request: HttpRequest, company_id: int) -> None:
    company = _company(request, company_id, write=True)
    services.company_trash(actor=request.auth, company=company)


@router.post(
    "/companies/{company_id}/restore",
    response=CompanyOut,
    tags=["companies"],
    summary="Restore a company from the trash",
)
def restore_company(request: HttpRequest, company_id: int) -> Company:
    company = _company(request, company_id, write=True, trash=True)
    services.company_restore(actor=request.auth, company=company)
    return _company(request, company_id)


# --- Persons ------------------------------------------------------------------------------


@router.get("/persons", response=PersonPage, tags=["persons"], summary="List persons")
def list_persons(request: HttpRequest, filters: Query[PersonFilters]) -> dict[str, Any]:
    filtered = _filtered(filters, ("search", "owner", "tag", "company", "relationship"))
    return _page(persons_matching(request.auth, filters), filters, PERSON_SORTS, filtered)


@router.post("/persons", response={201: PersonOut}, tags=["persons"], summary="Create a person")
def create_person(request: HttpRequest, payload: PersonIn) -> Person:
    person = services.person_create(actor=request.auth, **_fields(request.auth, payload))
    return _person(request, person.pk)


@router.get("/persons/{person_id}", response=PersonOut, tags=["persons"], summary="A person")
def get_person(request: HttpRequest, person_id: int) -> Person:
    return _person(request, person_id)


@router.patch(
    "/persons/{person_id}", response=PersonOut, tags=["persons"], summary="Change a person"
)
def update_person(request: HttpRequest, person_id: int, payload: PersonPatch) -> Person:
    person = _person(request, person_id, write=True)
    services.person_update(
        actor=request.auth,
        person=person,
        expected_version=payload.version,
        **_fields(request.auth, payload),
    )
    return _person(request, person_id)


@router.delete(
    "/persons/{person_id}",
    response={204: None},
    tags=["persons"],
    summary="Move a person to the trash",
)
def trash_person(request: HttpRequest, person_id: int) -> None:
    person = _person(request, person_id, write=True)
    services.person_trash(actor=request.auth, person=person)


@router.post(
    "/persons/{person_id}/restore",
    response=PersonOut,
    tags=["persons"],
    summary="Restore a person from the trash",
)
def restore_person(request: HttpRequest, person_id: int) -> Person:
    person = _person(request, person_id, write=True, trash=True)
    services.person_restore(actor=request.auth, person=person)
    return _person(request, person_id)
