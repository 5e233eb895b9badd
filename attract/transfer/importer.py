"""Turning one row into its outcome: matching it against the records the importer can see and
the earlier rows of the same file, then creating, updating or skipping it through the people
services (or, for plain new persons, gathering it for the batch's bulk write, see bulk.py).
importing.py runs the rows through an Importer, batch by batch."""

from __future__ import annotations

import itertools
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from attract.accounts.models import User
from attract.core.permissions import visible_to
from attract.people import services as people
from attract.people.models import Company, Person
from attract.transfer import bulk, deal_import, deal_writes, row_reader
from attract.transfer.deal_rows import deal_from_record
from attract.transfer.matching import (
    CLOSE,
    LEGAL_FORM,
    SAME,
    CompanyIndex,
    PersonIndex,
    company_key,
)
from attract.transfer.models import ImportJob, OnDuplicate, RowOutcome
from attract.transfer.outcomes import Outcome, created_reason, merged_into_an_earlier_row, skipped
from attract.transfer.owners import OwnerIndex
from attract.transfer.rows import Incoming, company_from_record, person_from_record


class Importer:
    """Turns rows into outcomes. With `write=False` it only plans (the dry run): the indexes
    still learn each row, so duplicates inside the file are found the same way."""

    def __init__(self, job: ImportJob, actor: User, *, write: bool) -> None:
        self.job, self.actor, self.write = job, actor, write
        # Plain new persons (and the new companies they name) are gathered and written
        # together at the end of each batch; see bulk.py.
        self.bulk = write and job.kind in ("persons", "deals")
        self.pending = bulk.PendingWrites(actor) if self.bulk else None
        # Every address anyone holds; read with the person index's addresses.
        self.taken: set[str] = set()
        self.companies = CompanyIndex(actor)
        self.persons = (
            PersonIndex(actor, taken=self.taken if self.bulk else None)
            if job.kind == "persons"
            else None
        )
        self.deals = deal_import.DealIndex(actor) if job.kind == "deals" else None
        self.owners = OwnerIndex(actor, job.owner_mapping, job.owner_users)
        self.reason = f"Import #{job.pk} ({job.file_name})"
        # New deals are gathered like plain new persons and written at the batch's end.
        self.deal_writes = (
            deal_writes.PendingDeals(actor, self.reason) if write and job.kind == "deals" else None
        )
        self._fake_ids = itertools.count(-1, -1)
        self._zone = timezone.get_current_timezone()  # read once, not a deal row at a time
        # Company source id → (id, name), read at the first row with an AccountId.
        self._companies_by_source: dict[str, tuple[int, str]] | None = None
        self._new_companies: list[tuple[str, int]] = []
        # A company name of the file taken as an existing company of another legal form, or
        # created although an existing name is close: the name → what the dry run says.
        self.company_notes: dict[str, str] = {}

    def _real(self, pk: int | None) -> int | None:
        """A placeholder id of a record written since, as its real id."""
        if pk is not None and pk < 0 and self.bulk:
            return self.pending.resolved.get(pk, pk)
        return pk

    def flush(self) -> None:
        if self.bulk and self.pending:
            self.pending.flush()
        if self.deal_writes:
            self.deal_writes.flush(self.pending.resolved)

    def _action(self, line: int) -> str:
        return self.job.overrides.get(str(line), self.job.on_duplicate)

    def company_for(self, name: str) -> tuple[int | None, bool]:
        """The matching company, or a new one; True when this row created it."""
        if not name:
            return None, False
        pk, why, sure = self.companies.find(name)
        if pk and sure != CLOSE:
            if sure == LEGAL_FORM:  # "Acme, Inc." filed under "Acme Corporation": said so
                self.company_notes.setdefault(name, why)
            return self._real(pk), False
        if pk:  # a close name is another company until the user says otherwise
            self.company_notes.setdefault(name, f"a new company, although its {why}")
        if self.bulk:
            pk = next(self._fake_ids)
            self.pending.new_company(pk, name)
        elif self.write:
            pk = people.company_create(actor=self.actor, name=name).pk
        else:
            pk = next(self._fake_ids)
        self.companies.add(pk, name)
        self._new_companies.append((company_key(name), pk))
        return pk, True

    def apply(self, line: int, record: dict[str, str] | Incoming | row_reader.Refused) -> Outcome:
        """One row (as read, or checked by the reader process) in its own savepoint: a
        rejected row leaves nothing behind (not even the company it would have created)."""
        self._new_companies = []
        if isinstance(record, row_reader.Refused):  # checked and refused by the reader process
            return Outcome(RowOutcome.REJECTED, reason=record.reason)
        try:
            if self.bulk:
                # No savepoint a row: a plain row writes nothing until the batch's flush, and
                # the services that write the others are atomic themselves.
                return self._apply(line, record)
            with transaction.atomic():
                return self._apply(line, record)
        except ValidationError as exc:
            self._forget_new_companies()
            return Outcome(RowOutcome.REJECTED, reason=row_reader.describe(exc))

    def _forget_new_companies(self) -> None:
        for key, pk in self._new_companies:
            self.companies.forget(key)
            if self.bulk:
                self.pending.companies.pop(pk, None)
                real = self.pending.resolved.get(pk)
                if real:  # written for this row before the row was refused
                    Company.all_objects.filter(pk=real).delete()
                    Company.history.filter(id=real).delete()

    def _apply(self, line: int, record: dict[str, str] | Incoming) -> Outcome:
        if self.job.kind == "persons":
            if not isinstance(record, Incoming):  # not checked by the reader process yet
                record = person_from_record(
                    record,
                    self.job.mapping,
                    region=self.job.phone_region,
                    keep_unreadable=self.job.keep_unreadable,
                )
            outcome = self._person(line, record)
            if outcome.outcome != RowOutcome.SKIPPED:
                outcome.notes = record.notes + self._owner_notes(
                    record, updated=outcome.outcome == RowOutcome.UPDATED
                )
            return outcome
        if self.job.kind == "companies":
            incoming = company_from_record(record, self.job.mapping, day_first=self.job.day_first)
            return self._company(line, incoming)
        return self._deal(line, record)

    def _deal(self, line: int, record: dict[str, str]) -> Outcome:
        """A deal row: linked to its company (by the other CRM's account id, else by name),
        matched against the deals the user can see, and gathered for the batch's write."""
        job = self.job
        incoming = deal_from_record(
            record,
            job.mapping,
            day_first=job.day_first,
            stages=job.stage_mapping,
            zone=self._zone,
        )
        note, company_id, new_company = "", None, False
        if incoming.account_id:
            company_id = self.deals.companies_by_source.get(incoming.account_id)
            if company_id is None:
                note = (
                    f"No company has the account id {incoming.account_id}: import the accounts "
                    "file first to link the deal to its company."
                )
        if company_id is None:
            company_id, new_company = self.company_for(incoming.company_name)
        match, why = self.deals.find(incoming, company_id)
        if match and self._action(line) != OnDuplicate.CREATE:
            # A deal's history cannot be merged row by row; a duplicate is skipped.
            return skipped(why)
        result = Outcome(RowOutcome.CREATED, reason=note)
        if self.write:
            if new_company:
                self.pending.company_outcomes.setdefault(company_id, []).append(result)
            self.deal_writes.add(incoming, company_id=company_id, result=result)
        self.deals.add(-line, incoming, company_id)
        return result

    def _owner(self, incoming: Incoming) -> User:
        return self.owners.owner_for(incoming.extra.get("owner", ""))

    def _owner_notes(self, incoming: Incoming, *, updated: bool = False) -> list[str]:
        text = incoming.extra.get("owner", "").strip()
        text = self.owners.named(text).strip() if text else ""  # an OwnerId as its name
        if text and text in self.owners.unknown:
            if updated:
                return [f"Owner “{text}” is not a team member: the record keeps its owner."]
            return [f"Owner “{text}” is not a team member: the record is yours for now."]
        return []

    def company(self, pk: int | None) -> Company | None:
        pk = self._real(pk)
        if self.bulk and pk and pk < 0:
            return self.pending.company(pk)
        return Company.all_objects.get(pk=pk) if pk and pk > 0 else None

    def _person(self, line: int, incoming: Incoming) -> Outcome:
        self._link_account(incoming)
        match, why, certain = self.persons.find(
            emails=incoming.emails,
            phones=incoming.phones,
            name=incoming.name_key,
            company=incoming.company_name,
            source_id=incoming.fields.get("source_id", ""),
        )
        if match and not certain and str(line) not in self.job.overrides:
            # A possible duplicate is a new person unless the user chose otherwise for
            # this row; the dry run lists it with its reason.
            return self._person_new(line, incoming, None, f"possibly the same person: {why}")
        action = self._action(line)
        if match and action == OnDuplicate.SKIP:
            return skipped(why)
        if match and action == OnDuplicate.UPDATE:
            if match < 0 and self.bulk:
                self.flush()  # the earlier row of the file is written, and updated below
                match = self._real(match)
            if match < 0:
                return merged_into_an_earlier_row(why)
            return self._person_update(match, incoming, why)
        return self._person_new(line, incoming, match, why)

    def _person_new(self, line: int, incoming: Incoming, match: int | None, why: str) -> Outcome:
        company_id, new_company = self._person_company(incoming)
        if self.bulk and not incoming.tags and not self.taken.intersection(incoming.emails):
            outcome = Outcome(RowOutcome.CREATED, reason=created_reason(match, why), match=why)
            pk = next(self._fake_ids)
            company = self.pending.company(company_id) if company_id and company_id < 0 else None
            self.pending.new_person(
                incoming, company_id, company, outcome, pk, owner_id=self._owner(incoming).pk
            )
            if new_company:
                self.pending.company_outcomes.setdefault(company_id, []).append(outcome)
            self.taken.update(incoming.emails)
            self._index_person(pk, incoming)
            return outcome
        if self.bulk:
            self.flush()  # the service needs the company (and earlier rows) written
            company_id = self._real(company_id)
        if self.write:
            person = people.person_create(
                actor=self.actor,
                owner=self._owner(incoming),
                company=self.company(company_id),
                emails=incoming.emails,
                phones=incoming.phones,
                tags=incoming.tags,
                unreadable=incoming.unreadable,
                contact_labels=incoming.labels,
                **incoming.fields,
            )
            pk = person.pk
            self.taken.update(incoming.emails)
        else:
            if not _emails_free_in_index(self.persons, incoming, match):
                return Outcome(
                    RowOutcome.REJECTED,
                    reason="An email address already belongs to another person.",
                )
            self._owner(incoming)  # the dry run lists the owners it does not know
            pk = next(self._fake_ids)
        self._index_person(pk, incoming)
        return Outcome(
            RowOutcome.CREATED,
            person_id=pk if pk > 0 else None,
            company_id=company_id if new_company and company_id and company_id > 0 else None,
            reason=created_reason(match, why),
            match=why,
        )

    def _index_person(self, pk: int, incoming: Incoming) -> None:
        """Later rows of the same file are matched against this one too."""
        self.persons.add(
            pk,
            emails=incoming.emails,
            phones=incoming.phones,
            name=incoming.name_key,
            company=incoming.company_name,
            source_id=incoming.fields.get("source_id", ""),
        )

    def _person_company(self, incoming: Incoming) -> tuple[int | None, bool]:
        """The company the row's AccountId links to, else the one its company name names."""
        if incoming.extra.get("company_id"):
            return incoming.extra["company_id"], False
        return self.company_for(incoming.company_name)

    def _link_account(self, incoming: Incoming) -> None:
        """A contact's AccountId names the company imported earlier with that Id: its name
        stands in for (or before) the row's company name, so the person is linked to it.
        An id no company has is said in the report, and the row's company name (if any)
        used as before."""
        account_id = incoming.extra.get("account_id", "")
        if not account_id:
            return
        if self._companies_by_source is None:
            self._companies_by_source = {
                source_id: (pk, name)
                for source_id, pk, name in visible_to(
                    Company.objects.exclude(source_id=""), self.actor
                ).values_list("source_id", "id", "name")
            }
        found = self._companies_by_source.get(account_id)
        if found:
            incoming.extra["company_id"], incoming.company_name = found
        else:
            incoming.notes = [
                *incoming.notes,
                f"No company has the account id {account_id}: import the accounts file first "
                "to link the person to their company.",
            ]

    def _person_update(self, pk: int, incoming: Incoming, why: str) -> Outcome:
        self.flush()
        person = Person.objects.get(pk=pk)
        before = {name: getattr(person, name) for name in incoming.fields}
        before["company"] = person.company_id
        before["emails"] = list(person.emails.values_list("email", flat=True))
        before["phones"] = list(person.phones.values_list("number", flat=True))
        before["tags"] = list(person.tags.values_list("name", flat=True))
        before["unreadable"] = [
            list(v) for v in person.unreadable.values_list("kind", "text", "reason")
        ]
        changes: dict[str, Any] = dict(incoming.fields)
        owner = self.owners.named_owner(incoming.extra.get("owner", ""))
        if owner is not None:
            # The file names a team member (or the user mapped the value to one): the record
            # passes to them, as a new one would. No owner column, or an owner who is not on
            # the team, leaves the owner as it is.
            before["owner"] = person.owner_id
            changes["owner"] = owner
        if incoming.company_name:
            company_id, new_company = self._person_company(incoming)
            self.flush()
            company_id = self._real(company_id)
            changes["company"] = self.company(company_id)
            if new_company:
                before["_created_company"] = company_id
        if self.write:
            people.person_update(
                actor=self.actor,
                person=person,
                reason=self.reason,
                emails=_kept_then_added(before["emails"], incoming.emails),
                phones=_kept_then_added(before["phones"], incoming.phones),
                tags=_kept_then_added(before["tags"], incoming.tags),
                unreadable=_kept_then_added(
                    [tuple(v) for v in before["unreadable"]], incoming.unreadable
                ),
                **_person_fields(changes),
            )
        return Outcome(RowOutcome.UPDATED, person_id=pk, before=_jsonable(before), match=why)

    def _company(self, line: int, incoming: Incoming) -> Outcome:
        match, why, sure = self.companies.find(incoming.company_name)
        if match and sure != SAME and str(line) not in self.job.overrides:
            match, why = None, f"possibly the same company: {why}"
        action = self._action(line)
        if match and action == OnDuplicate.SKIP:
            return skipped(why)
        if match and action == OnDuplicate.UPDATE:
            if match < 0:
                return merged_into_an_earlier_row(why)
            company = Company.objects.get(pk=match)
            before = {name: getattr(company, name) for name in incoming.fields}
            before["tags"] = list(company.tags.values_list("name", flat=True))
            changes = dict(incoming.fields)
            owner = self.owners.named_owner(incoming.extra.get("owner", ""))
            if owner is not None:  # as for a person (see _person_update)
                before["owner"] = company.owner_id
                changes["owner"] = owner
            if self.write:
                people.company_update(
                    actor=self.actor,
                    company=company,
                    reason=self.reason,
                    tags=_kept_then_added(before["tags"], incoming.tags),
                    **changes,
                )
            return Outcome(
                RowOutcome.UPDATED, company_id=match, before=_jsonable(before), match=why
            )
        owner = self._owner(incoming)
        if self.write:
            pk = people.company_create(
                actor=self.actor, owner=owner, tags=incoming.tags, **incoming.fields
            ).pk
        else:
            pk = next(self._fake_ids)
        self.companies.add(pk, incoming.company_name)
        return Outcome(
            RowOutcome.CREATED,
            company_id=pk if pk > 0 else None,
            match=why,
            reason=f"Created; {why}." if why else "",
            notes=self._owner_notes(incoming),
        )


def _emails_free_in_index(index: PersonIndex, incoming: Incoming, match: int | None) -> bool:
    return not any(index.by_email.get(e) not in (None, match) for e in incoming.emails)


def _kept_then_added(kept: list[str], added: list[str]) -> list[str]:
    """What the record has, then what the file adds, each value once: an update from an
    import never drops an address, a number or a tag."""
    return list(dict.fromkeys(kept + added))


def _person_fields(changes: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in changes.items() if k not in {"emails", "phones", "tags"}}


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in values.items()}
