"""The shapes of companies and persons in the REST API: what comes in, what goes out.

Schemas only describe types. Lengths, formats, duplicates and access are checked by
`attract.people.services`, so the API, the web forms and the CLI give the same answers.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from attract.core.permissions import can_view_record
from attract.people.models import Company, Person, Relationship
from attract.people.selectors import COMPANY_SORTS, PERSON_SORTS

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
# Far beyond any list, and within what both databases take for an OFFSET.
MAX_OFFSET = 2**31 - 1

COUNT_HELP = (
    "How many match: exact up to 10,000 (count_exact true); past that, the table's size from "
    'the database\'s statistics for an unfiltered list, or 10,000 ("more than") for a '
    "filtered one (count_exact false)."
)

PersonSort = Literal[tuple(PERSON_SORTS)]  # type: ignore[valid-type]
CompanySort = Literal[tuple(COMPANY_SORTS)]  # type: ignore[valid-type]


VERSION_FIELD = Field(
    None, ge=1, description="The version you read; 409 if the record changed since."
)


# --- Query parameters ---------------------------------------------------------------------


class PageQuery(Schema):
    limit: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="How many items per page."
    )
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")
    after: str = Field(
        "",
        max_length=400,
        description="The `next` of the previous page: the items after it (keyset pagination, "
        "the same cost at any depth). Not with offset; for the name and date sorts.",
    )


class CompanyFilters(PageQuery):
    search: str = Field("", description="Words that all appear in the name.")
    owner: int | None = Field(None, description="Only companies owned by this user id.")
    tag: str = Field("", description="Only companies with this tag (any case).")
    relationship: Relationship | None = None
    sort: CompanySort = "name"  # type: ignore[valid-type]


class PersonFilters(PageQuery):
    search: str = Field(
        "", description="Words that all appear in the name, or part of an email address."
    )
    owner: int | None = Field(None, description="Only persons owned by this user id.")
    tag: str = Field("", description="Only persons with this tag (any case).")
    company: int | None = Field(None, description="Only persons working at this company id.")
    relationship: Relationship | None = Field(
        None, description="Only persons whose company has this relationship."
    )
    sort: PersonSort = "name"  # type: ignore[valid-type]


# --- Companies ----------------------------------------------------------------------------


class CompanyIn(Schema):
    name: str
    website: str = ""
    industry: str = ""
    size: str = Field("", description="One of 1, 2-10, 11-50, 51-250, 251+, or empty.")
    street: str = ""
    city: str = ""
    postal_code: str = ""
    country: str = ""
    relationship: Relationship = Relationship.PROSPECT
    customer_since: date | None = None
    notes: str = ""
    owner: int | None = Field(None, description="User id; the token's user when left out.")
    is_private: bool = False
    tags: list[str] = Field(default_factory=list, description="Tag names.")


class CompanyPatch(Schema):
    """Only the fields sent are changed. Send the `version` you read: if the company changed
    since, nothing is written and the answer is 409 with what changed."""

    version: int | None = VERSION_FIELD
    name: str | None = None
    website: str | None = None
    industry: str | None = None
    size: str | None = None
    street: str | None = None
    city: str | None = None
    postal_code: str | None = None
    country: str | None = None
    relationship: Relationship | None = None
    customer_since: date | None = None
    notes: str | None = None
    owner: int | None = None
    is_private: bool | None = None
    tags: list[str] | None = None


class CompanyOut(Schema):
    id: int
    name: str
    website: str
    industry: str
    size: str
    street: str
    city: str
    postal_code: str
    country: str
    relationship: Relationship
    customer_since: date | None
    notes: str
    owner: int | None = Field(description="User id of the owner.")
    is_private: bool
    tags: list[str]
    version: int = Field(description="Send it back with a change (see PATCH).")
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = Field(description="When it was moved to the trash.")

    @staticmethod
    def resolve_owner(obj: Company) -> int | None:
        return obj.owner_id

    @staticmethod
    def resolve_tags(obj: Company) -> list[str]:
        # Reads the prefetched tags; the selectors prefetch them.
        return [tag.name for tag in obj.tags.all()]


class CompanyPage(Schema):
    count: int = Field(description=COUNT_HELP)
    count_exact: bool
    next: str | None = Field(None, description="Pass as `after` for the next page.")
    items: list[CompanyOut]


# --- Persons ------------------------------------------------------------------------------


class PersonIn(Schema):
    first_name: str = ""
    last_name: str = ""
    job_title: str = ""
    company: int | None = Field(None, description="Company id.")
    notes: str = ""
    owner: int | None = Field(None, description="User id; the token's user when left out.")
    is_private: bool = False
    do_not_email: bool = Field(False, description="They asked not to be e-mailed.")
    emails: list[str] = Field(default_factory=list, description="The first is the primary one.")
    phones: list[str] = Field(
        default_factory=list,
        description="Any common format; stored in E.164. The first is the primary one.",
    )
    tags: list[str] = Field(default_factory=list, description="Tag names.")


class PersonPatch(Schema):
    """Only the fields sent are changed; a list sent replaces the whole list. Send the
    `version` you read: if the person changed since, nothing is written and the answer is
    409 with what changed."""

    version: int | None = VERSION_FIELD
    first_name: str | None = None
    last_name: str | None = None
    job_title: str | None = None
    company: int | None = None
    notes: str | None = None
    owner: int | None = None
    is_private: bool | None = None
    do_not_email: bool | None = None
    emails: list[str] | None = None
    phones: list[str] | None = None
    tags: list[str] | None = None


class PersonOut(Schema):
    id: int
    first_name: str
    last_name: str
    full_name: str
    job_title: str
    company: int | None = Field(description="Company id.")
    company_name: str | None
    notes: str
    owner: int | None = Field(description="User id of the owner.")
    is_private: bool
    do_not_email: bool = Field(
        description="They asked not to be e-mailed: Attract sends them nothing."
    )
    emails: list[str] = Field(description="The primary address first.")
    phones: list[str] = Field(description="E.164, the primary number first.")
    tags: list[str]
    version: int = Field(description="Send it back with a change (see PATCH).")
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = Field(description="When it was moved to the trash.")

    @staticmethod
    def _visible_company(obj: Person, context: dict[str, Any] | None) -> Company | None:
        # A shared person may work at someone else's private company: the reader must not
        # learn that company's name.
        if not obj.company_id:
            return None
        request = (context or {}).get("request")
        if request is not None and not can_view_record(request.auth, obj.company):
            return None
        return obj.company

    @staticmethod
    def resolve_company(obj: Person, context: dict[str, Any]) -> int | None:
        company = PersonOut._visible_company(obj, context)
        return company.pk if company else None

    @staticmethod
    def resolve_company_name(obj: Person, context: dict[str, Any]) -> str | None:
        company = PersonOut._visible_company(obj, context)
        return company.name if company else None

    @staticmethod
    def resolve_owner(obj: Person) -> int | None:
        return obj.owner_id

    @staticmethod
    def resolve_emails(obj: Person) -> list[str]:
        return [row.email for row in obj.emails.all()]

    @staticmethod
    def resolve_phones(obj: Person) -> list[str]:
        return [row.number for row in obj.phones.all()]

    @staticmethod
    def resolve_tags(obj: Person) -> list[str]:
        return [tag.name for tag in obj.tags.all()]


class PersonPage(Schema):
    count: int = Field(description=COUNT_HELP)
    count_exact: bool
    next: str | None = Field(None, description="Pass as `after` for the next page.")
    items: list[PersonOut]
