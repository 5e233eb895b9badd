"""Find anything: the records and plan lines that match what a user typed, for the search
page, the command palette (Ctrl/⌘-K and "/") and the API's /search.

Each kind is read through its own app's list selector, so search shows exactly what the
lists show the user (private records of others never appear) and uses the same indexes
(the trigram name index on SQLite). A fixed number of queries: one per kind, plus one for
the people's e-mail addresses, whatever the size of the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Prefetch, Q
from django.urls import reverse

from attract.accounts.models import User
from attract.attraction.models import Expectation, Quality, TickQuestion
from attract.core.permissions import name_seen_by
from attract.core.search_text import clean_search, search_key
from attract.partners.selectors import visible_partners
from attract.people.models import EmailAddress
from attract.people.selectors import company_list_for_user, person_list_for_user
from attract.pipeline.selectors import deal_list_for_user

RECORD_KINDS = ("person", "company", "deal", "partner")
KIND_LABELS = {
    "person": "Person",
    "company": "Company",
    "deal": "Deal",
    "partner": "Partner",
    "plan": "Plan",
    "page": "Page",
    "action": "Action",
}


@dataclass(frozen=True)
class Hit:
    kind: str  # person, company, deal, plan (and page or action, see commands.py)
    label: str
    detail: str  # one line that tells two namesakes apart
    url: str
    amount: Decimal | None = None  # a deal's revenue, shown in the reader's locale
    then: str = ""  # an action that asks for a record next (see commands.py)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass
class Group:
    kind: str
    title: str
    hits: list[Hit]
    more_url: str = ""  # the full list, filtered by the same words, when it has one


@dataclass
class Results:
    query: str
    groups: list[Group] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(g.hits) for g in self.groups)


def _people(user: User, query: str, limit: int) -> list[Hit]:
    found = person_list_for_user(user=user, search=query, first_rows=True)
    found = found.prefetch_related(None)
    found = found.select_related("company").prefetch_related(
        Prefetch("emails", queryset=EmailAddress.objects.order_by("-is_primary", "id"))
    )
    hits = []
    for person in found[:limit]:
        emails = list(person.emails.all())
        parts = [name_seen_by(user, person.company), emails[0].email if emails else ""]
        hits.append(
            Hit(
                "person",
                str(person),
                " · ".join(p for p in parts if p),
                reverse("people:person_detail", args=[person.pk]),
            )
        )
    return hits


def _companies(user: User, query: str, limit: int) -> list[Hit]:
    found = company_list_for_user(user=user, search=query, first_rows=True)
    found = found.prefetch_related(None)
    return [
        Hit(
            "company",
            company.name,
            company.get_relationship_display(),
            reverse("people:company_detail", args=[company.pk]),
        )
        for company in found.select_related(None)[:limit]
    ]


def _deals(user: User, query: str, limit: int) -> list[Hit]:
    found = deal_list_for_user(user=user, outcome=None, search=query, first_rows=True)
    # Open and closed deals together, newest first: the order an index (the primary key)
    # walks, so that a common word finds its first deals without sorting every match.
    found = found.prefetch_related(None).order_by("-id")
    hits = []
    for deal in found[:limit]:
        stage = deal.get_stage_display() if deal.is_open else deal.get_outcome_display()
        parts = [name_seen_by(user, deal.company), stage]
        url = reverse("pipeline:deal_detail", args=[deal.pk])
        hits.append(Hit("deal", deal.title, " · ".join(p for p in parts if p), url, deal.revenue))
    return hits


def _partners(user: User, query: str, limit: int) -> list[Hit]:
    """Partners the user may see (a partner on someone else's private record never shows),
    by their company's or person's name. A team has hundreds of partners, not millions:
    LIKE on the names is quick."""
    found = visible_partners(user).select_related("company", "person")
    for term in search_key(query).split()[:5]:
        found = found.filter(
            Q(company__search_name__contains=term) | Q(person__search_name__contains=term)
        )
    hits = []
    for partner in found.order_by("id")[:limit]:
        detail = "Partner · a competitor" if partner.is_competitor else "Partner"
        url = reverse("partners:detail", args=[partner.pk])
        hits.append(Hit("partner", str(partner), detail, url))
    return hits


def _plan_lines(query: str, limit: int) -> list[Hit]:
    """Lines of the Attraction plan (shared by the whole team) holding every word."""
    plan_url = reverse("attraction:plan")
    sides = (
        (Quality, "Side 1 · a quality of the perfect customer", "side-1"),
        (TickQuestion, "Side 2 · what makes them tick", "side-2"),
        (Expectation, "Side 3 · what they can expect from us", "side-3"),
    )
    hits: list[Hit] = []
    for model, detail, anchor in sides:
        words = Q()
        for word in query.split()[:5]:
            words &= Q(text__icontains=word)
        lines = model.objects.filter(words, removed_at__isnull=True).order_by("id")
        for line in lines[: limit - len(hits)]:
            hits.append(Hit("plan", line.text, detail, f"{plan_url}#{anchor}"))
        if len(hits) >= limit:
            break
    return hits


def search_everything(
    *, user: User, query: str, limit: int = 5, kinds: tuple[str, ...] | None = None
) -> Results:
    """The first `limit` matches of each kind the user may see, in the lists' own order.
    `kinds` narrows to some of person, company, deal, partner, plan."""
    query = clean_search(query)
    results = Results(query=query)
    if not search_key(query).strip():
        return results
    wanted = kinds or (*RECORD_KINDS, "plan")
    q = {"q": query}
    readers = (
        ("person", "People", _people, reverse("people:person_list")),
        ("company", "Companies", _companies, reverse("people:company_list")),
        ("deal", "Deals", _deals, reverse("pipeline:deal_list")),
        ("partner", "Partners", _partners, reverse("partners:list")),
    )
    for kind, title, read, list_url in readers:
        if kind in wanted:
            hits = read(user, query, limit)
            if hits:
                more = f"{list_url}?{urlencode(q)}" if len(hits) >= limit else ""
                results.groups.append(Group(kind, title, hits, more))
    if "plan" in wanted:
        hits = _plan_lines(query, limit)
        if hits:
            results.groups.append(Group("plan", "Attraction plan", hits))
    return results
