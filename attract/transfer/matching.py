"""Finding the record an incoming row describes: among the records the importer can see and
the earlier rows of the same file, by normalised email, normalised phone, then the name
within the same company (exact, or close with rapidfuzz). Only some matches are certain;
the others are possible duplicates the user decides on (see PersonIndex.find). Indexes are built once per import, in
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
# Each legal form's spellings, and the one form they are compared as: "Acme Corp." and
# "ACME Corporation" are one name, "Acme, Inc." is a possible namesake (see CompanyIndex).
_LEGAL_FORMS = {
    "inc": "inc", "incorporated": "inc", "ltd": "ltd", "limited": "ltd", "llc": "llc",
    "plc": "plc", "corp": "corp", "corporation": "corp", "co": "co", "company": "co",
    "gmbh": "gmbh", "ag": "ag", "sa": "sa", "sarl": "sarl", "bv": "bv",
}  # fmt: skip
_LEGAL_SUFFIX = re.compile(r"\b(" + "|".join(_LEGAL_FORMS) + r")\b\.?")


def _words(name: str) -> str:
    return " ".join(re.sub(r"[^\w ]", " ", search_key(name or "")).split())


@lru_cache(maxsize=100_000)
def company_key(name: str) -> str:
    """Acme Corp., ACME Corporation, Acme, Inc. and acme → acme: the name without its legal
    form. Cached: an import asks for the same few thousand company names again and again
    (every person names one)."""
    return " ".join(_LEGAL_SUFFIX.sub("", _words(name)).split())


@lru_cache(maxsize=100_000)
def company_name_key(name: str) -> str:
    """The name with its legal form in one spelling: Acme Corp. and ACME Corporation →
    acme corp; Acme, Inc. → acme inc."""
    return " ".join(_LEGAL_FORMS.get(word, word) for word in _words(name).split())


# How sure a company match is: the same name (legal form spelled either way); the same name
# with another legal form or none; a close name. Only the first is certain.
SAME, LEGAL_FORM, CLOSE = "same", "legal form", "close"


class CompanyIndex:
    def __init__(self, user: User) -> None:
        self.by_key: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        self.names: dict[int, str] = {}
        self.by_initial: dict[str, list[str]] = defaultdict(list)
        for pk, name in visible_to(Company.objects.all(), user).values_list("id", "name"):
            self.add(pk, name)

    def add(self, pk: int, name: str) -> None:
        key = company_key(name)
        self.by_name.setdefault(company_name_key(name), pk)
        self.names.setdefault(pk, name)
        if key and key not in self.by_key:
            self.by_key[key] = pk
            self.by_initial[key[0]].append(key)

    def forget(self, key: str) -> None:
        """Take back a company added for a row that was then refused."""
        pk = self.by_key.pop(key, None)
        if pk is not None and key in self.by_initial.get(key[0], []):
            self.by_initial[key[0]].remove(key)
        for name_key in [k for k, v in self.by_name.items() if v == pk] if pk else []:
            del self.by_name[name_key]

    def find(self, name: str) -> tuple[int | None, str, str]:
        """(company id, why, how sure: SAME, LEGAL_FORM or CLOSE) or (None, "", "")."""
        key = company_key(name)
        if not key:
            return None, "", ""
        exact = self.by_name.get(company_name_key(name))
        if exact is not None:
            return exact, "same company name", SAME
        if key in self.by_key:
            pk = self.by_key[key]
            return (
                pk,
                f"company name “{self.names.get(pk, key)}” but another legal form",
                LEGAL_FORM,
            )
        found = process.extractOne(
            key, self.by_initial.get(key[0], []), scorer=fuzz.ratio, score_cutoff=COMPANY_SCORE
        )
        if found:
            pk = self.by_key[found[0]]
            return pk, f"company name close to “{self.names.get(pk, found[0])}”", CLOSE
        return None, "", ""


class PersonIndex:
    def __init__(self, user: User, *, taken: set[str] | None = None) -> None:
        """`taken`, when given, is filled with every address any person holds (private and
        trashed ones included), read in the same pass as the visible persons' addresses."""
        self.by_email: dict[str, int] = {}
        self.by_phone: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        self.names_by_company: dict[str, dict[str, int]] = defaultdict(dict)
        self.with_email: set[int] = set()  # persons who have an email address
        # The person's id in the CRM a file came from: the same id is the same person.
        self.by_source: dict[str, int] = {}
        persons = visible_to(Person.objects.all(), user)
        visible = set()
        rows = persons.values_list("id", "search_name", "company__name", "source_id")
        for pk, name, company, source_id in rows:
            visible.add(pk)
            self._add_name(pk, name, company or "")
            if source_id:
                self.by_source.setdefault(source_id, pk)
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
                self.with_email.add(pk)

    def _add_name(self, pk: int, name_key: str, company: str) -> None:
        ckey = company_key(company)
        if ckey:
            self.names_by_company[ckey].setdefault(name_key, pk)
        else:
            self.by_name.setdefault(name_key, pk)

    def add(
        self,
        pk: int,
        *,
        emails: list[str],
        phones: list[str],
        name: str,
        company: str,
        source_id: str = "",
    ):
        if source_id:
            self.by_source.setdefault(source_id, pk)
        for email in emails:
            self.by_email.setdefault(email, pk)
        if emails:
            self.with_email.add(pk)
        for phone in phones:
            self.by_phone.setdefault(phone, pk)
        self._add_name(pk, name, company)

    def find(
        self, *, emails: list[str], phones: list[str], name: str, company: str, source_id: str = ""
    ) -> tuple[int | None, str, bool]:
        """(person id, why, certain). Only a shared email address makes two rows one person
        for certain. A shared phone number (a company's switchboard) or the same name at the
        same company is the same person only when their email addresses do not disagree; a
        close name, or the same name with no company, is at most a possible duplicate, which
        the dry run shows for the user to decide. The same id in the other CRM (a file
        exported again from it) is the same person for certain."""
        if source_id and source_id in self.by_source:
            return self.by_source[source_id], "same id in the other CRM", True
        for email in emails:
            if email in self.by_email:
                return self.by_email[email], f"same email {email}", True
        for phone in phones:
            if phone in self.by_phone:
                pk = self.by_phone[phone]
                if emails and pk in self.with_email:
                    return pk, f"same phone {phone}, but another email address", False
                return pk, f"same phone {phone}", True
        ckey = company_key(company)
        if not ckey:
            if name in self.by_name:
                return self.by_name[name], "same name, no company", False
            return None, "", False
        names = self.names_by_company.get(ckey, {})
        if name in names:
            pk = names[name]
            if emails and pk in self.with_email:
                return pk, "same name at the same company, but another email address", False
            return pk, "same name at the same company", True
        found = process.extractOne(name, names.keys(), scorer=fuzz.WRatio, score_cutoff=NAME_SCORE)
        if found:
            return names[found[0]], f"name close to “{found[0]}” at the same company", False
        return None, "", False
