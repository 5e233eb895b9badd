"""What became of one row of an import: the matcher (importer.py) decides it, the writers
(bulk.py, deal_writes.py) fill in the ids of the records they wrote, and the report
(report.py) records it. A leaf module, so that those three need not import each other."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from attract.transfer.models import RowOutcome


@dataclass
class Outcome:
    outcome: str
    reason: str = ""
    person_id: int | None = None
    company_id: int | None = None
    deal_id: int | None = None
    before: dict[str, Any] = field(default_factory=dict)
    match: str = ""
    notes: list[str] = field(default_factory=list)  # values kept as written or dropped


# What the import report says of a row that matched `why` (a person's and a company's alike).


def skipped(why: str) -> Outcome:
    return Outcome(RowOutcome.SKIPPED, reason=f"Duplicate: {why}.", match=why)


def merged_into_an_earlier_row(why: str) -> Outcome:
    """An update of a row of the same file that was not written (a dry run's)."""
    return Outcome(RowOutcome.UPDATED, reason=f"Merged into an earlier row: {why}.", match=why)


def created_reason(match: int | None, why: str) -> str:
    if why.startswith("possibly"):
        return f"Created; {why}."
    return f"Created although it looks like a duplicate ({why})." if match else ""
