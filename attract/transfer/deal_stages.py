"""The other CRM's stage names, and where each goes among our five stages (or a won/lost close).

Suggestions come from the file itself: when it has a probability column, each open stage goes
to our stage whose configured chance is nearest its own (so Salesforce's "Qualification 10%"
lands in Attention and "Negotiation 90%" in Action, in the file's order); otherwise from the
words of the name. A name neither tells us about is left unchosen: the import page and the
command line ask, and the import does not start until every name has a place.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterator
from pathlib import Path

from django.core.exceptions import ValidationError

from attract.pipeline.models import STAGE_ORDER
from attract.transfer.presets import STAGE_TARGETS, suggest_stage
from attract.transfer.reading import open_table
from attract.transfer.values import parse_amount

# Distinct stage names read from a file at most: a pipeline has a dozen; a column of free
# text mapped to "stage" by mistake would otherwise fill the page.
MOST_NAMES = 200

_STATUS_WORDS = {
    "won": "won",
    "win": "won",
    "closedwon": "won",
    "success": "won",
    "successful": "won",
    "lost": "lost",
    "lose": "lost",
    "closedlost": "lost",
    "failed": "lost",
    "open": "open",
    "active": "open",
    "inprogress": "open",
    "ongoing": "open",
    "pending": "open",
}


def parse_status(text: str) -> str:
    """A status column's cell → won, lost or open ("" when empty)."""
    key = re.sub(r"[^a-z]", "", (text or "").lower())
    if not key:
        return ""
    try:
        return _STATUS_WORDS[key]
    except KeyError:
        raise ValidationError(f"Status “{text[:40]}” is not won, lost or open.") from None


def _column(mapping: dict[str, str], field: str) -> str | None:
    return next((header for header, target in mapping.items() if target == field), None)


def _cells(job, columns: list[str | None]) -> Iterator[list[str]]:
    """The cells of these columns, row by row: only the columns looked at are picked out,
    since a pipeline file is read whole to find every stage name."""
    table = open_table(Path(job.stored_path))
    indexes = [job.headers.index(c) if c in job.headers else None for c in columns]
    for row in table.rows:
        cells = row.cells
        yield [cells[i] if i is not None and i < len(cells) else "" for i in indexes]


def file_stages(job, mapping: dict[str, str] | None = None) -> dict[str, list[float]]:
    """Each stage name in the file's stage column, in the order first met, with the
    probabilities the file gives deals in it (empty without a probability column)."""
    mapping = job.mapping if mapping is None else mapping
    column = _column(mapping, "stage")
    if column is None:
        return {}
    chance_column = _column(mapping, "probability")
    found: dict[str, list[float]] = {}
    for name, chance_text in _cells(job, [column, chance_column]):
        if not name:
            continue
        if name not in found:
            if len(found) >= MOST_NAMES:
                continue
            found[name] = []
        if chance_column and len(found[name]) < 1000:
            try:
                chance = parse_amount(chance_text)
            except ValidationError:
                continue
            if chance is not None:
                found[name].append(float(chance))
    return found


def _by_probability(names: dict[str, list[float]], configured: dict[str, int]) -> dict[str, str]:
    """Open stages placed by their chance in the file: each at our stage whose configured
    chance is nearest, never before an earlier (less likely) stage of the file."""
    # 0 and 100 say "closed" (or "not filled in": a sandbox's open stages all at 0), not how
    # far an open deal has come; and stages sharing one chance cannot be told apart by it.
    medians = {
        name: statistics.median(kept)
        for name, chances in names.items()
        if (kept := [c for c in chances if 0 < c < 100])
    }
    if len(set(medians.values())) < len(medians):
        return {}
    placed: dict[str, str] = {}
    floor = 0
    for name in sorted(medians, key=medians.get):
        chance = medians[name]
        nearest = min(
            range(floor, len(STAGE_ORDER)),
            key=lambda i: abs(configured[STAGE_ORDER[i]] - chance),
        )
        placed[name] = STAGE_ORDER[nearest]
        floor = nearest
    return placed


def suggested_stages(job, mapping: dict[str, str] | None = None) -> dict[str, str]:
    """Every stage name of the file → our suggestion ("" when we cannot tell)."""
    from attract.pipeline.selectors import stage_settings

    names = file_stages(job, mapping)
    closes = {name: suggest_stage(name) for name in names}
    closes = {name: target for name, target in closes.items() if target in ("won", "lost")}
    open_names = {name: chances for name, chances in names.items() if name not in closes}
    placed = {}
    if any(open_names.values()):
        configured = {stage: s.probability for stage, s in stage_settings().items()}
        placed = _by_probability(open_names, configured)
    return {name: closes.get(name) or placed.get(name) or suggest_stage(name) for name in names}


def stage_suggestions(job) -> dict[str, str]:
    """The stage names of the file with the user's choice, else our suggestion."""
    return {
        name: job.stage_mapping.get(name) or suggestion
        for name, suggestion in suggested_stages(job).items()
    }


def stage_mapping_errors(
    job, mapping: dict[str, str], stage_mapping: dict[str, str]
) -> dict[str, list[str]]:
    """What keeps the import from starting: a stage name with no place, or a place that is
    not one of ours. Every name must be chosen, never guessed silently."""
    bad = sorted({t for t in stage_mapping.values() if t and t not in STAGE_TARGETS})
    if bad:
        return {"stage_mapping": [f"Unknown stage(s): {', '.join(bad)}."]}
    missing = [name for name in file_stages(job, mapping) if not stage_mapping.get(name)]
    if not missing:
        return {}
    shown = ", ".join(f"“{name}”" for name in missing[:10])
    more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
    return {
        "stage_mapping": [
            f"Choose where these stages of the file go: {shown}{more}. "
            "(On the command line: --stage 'THEIRS=interest'.)"
        ]
    }
