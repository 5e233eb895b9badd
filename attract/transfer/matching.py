"""Finding the record an incoming row describes: among the records the importer can see and
the earlier rows of the same file, by normalised email, normalised phone, then a fuzzy match
of the name within the same company (rapidfuzz). Indexes are built once per import, in
memory, so each row costs a few dictionary look-ups rather than queries."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from django.db.models.functions import Lower
from rapidfuzz import fuzz, process

from attract.accounts.models import User
from attract.core.permissions import visible_to
from attract.core.search_text import search_key
from attract.people.models import Company, EmailAddress, Person, PhoneNumber

NAME_SCORE = 90
COMPANY_SCORE = 92
_LEGAL_SUFFIX = re.compile(
    r"\b(inc|incorporated|ltd|limited|llc|plc|corp|corporation|co|company|gmbh|ag|sa|sarl|bv)\b\.?"
)


@lru_cache(maxsize=100_000)
def company_key(name: str) -> str:
    """Acme Corp., ACME Corporation and acme → acme. Cached: an import asks for the same few
    thousand company names again and again (every person names one)."""
    key = _LEGAL_SUFFIX.sub("", search_key(name or ""))
    return " ".join(re.sub(r"[^\w ]", " ", key).split())


class CompanyIndex:
    def __init__(self, user: User) -> None:
        self.by_key: dict[str, int] = {}
        self.by_initial: dict[str, list[str]] = defaultdict(list)
        for pk, name in visible_to(Company.objects.all(), user).values_list("id", "name"):
            self.add(pk, name)

    def add(self, pk: int, name: str) -> None:
        key = company_key(name)
        if key and key not in self.by_key:
            self.by_key[key] = pk
            self.by_initial[key[0]].append(key)

    def forget(self, key: str) -> None:
        """Take back a company added for a row that was then refused."""
        if self.by_key.pop(key, None) is not None and key in self.by_initial.get(key[0], []):
            self.by_initial[key[0]].remove(key)

    def find(self, name: str) -> tuple[int | None, str]:
        key = company_key(name)
        if not key:
            return None, ""
        if key in self.by_key:
            return self.by_key[key], "same company name"
        found = process.extractOne(
            key, self.by_initial.get(key[0], []), scorer=fuzz.ratio, score_cutoff=COMPANY_SCORE
        )
        if found:
            return self.by_key[found[0]], f"company name close to “{found[0]}”"
        return None, ""


class PersonIndex:
    def __init__(self, user: User, *, taken: set[str] | None = None) -> None:
        """`taken`, when given, is filled with every address any person holds (private and
        trashed ones included), read in the same pass as the visible persons' addresses."""
        self.by_email: dict[str, int] = {}
        self.by_phone: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        self.names_by_company: dict[str, dict[str, int]] = defaultdict(dict)
        persons = visible_to(Person.objects.all(), user)
        visible = set()
        for pk, name, company in persons.values_list("id", "search_name", "company__name"):
            visible.add(pk)
            self._add_name(pk, name, company or "")
        # Every address and number is read, in the models' order, and those of the persons
        # read above kept: a plain scan, cheaper than asking the database to filter them.
        for number, pk in PhoneNumber.objects.values_list("number", "person_id"):
            if pk in visible:
                self.by_phone.setdefault(number, pk)
        rows = EmailAddress.objects.annotate(lemail=Lower("email")).values_list(
            "email", "lemail", "person_id"
        )
        for email, lemail, pk in rows:
            if taken is not None:
                taken.add(lemail)
            if pk in visible:
                self.by_email.setdefault(email.lower(), pk)

    def _add_name(self, pk: int, name_key: str, company: str) -> None:
        ckey = company_key(company)
        if ckey:
            self.names_by_company[ckey].setdefault(name_key, pk)
        else:
            self.by_name.setdefault(name_key, pk)

    def add(self, pk: int, *, emails: list[str], phones: list[str], name: str, company: str):
        for email in emails:
            self.by_email.setdefault(email, pk)
        for phone in phones:
            self.by_phone.setdefault(phone, pk)
        self._add_name(pk, name, company)

    def find(
        self, *, emails: list[str], phones: list[str], name: str, company: str
    ) -> tuple[int | None, str]:
        for email in emails:
            if email in self.by_email:
                return self.by_email[email], f"same email {email}"
        for phone in phones:
            if phone in self.by_phone:
                return self.by_phone[phone], f"same phone {phone}"
        ckey = company_key(company)
        if not ckey:
            if name in self.by_name:
                return self.by_name[name], "same name, no company"
            return None, ""
        names = self.names_by_company.get(ckey, {})
        if name in names:
            return names[name], "same name at the same company"
        found = process.extractOne(name, names.keys(), scorer=fuzz.WRatio, score_cutoff=NAME_SCORE)
        if found:
            return names[found[0]], f"name close to “{found[0]}” at the same company"
        return None, ""
