"""Which partners' own perfect-client definitions fit a prospect we are about to refer, with
the reasons. Each line of theirs is compared with what we know of the prospect:

- industries, places and sizes with the prospect's company;
- qualities with the qualities of our plan the prospect has (assessed yes or partly);
- budgets (the range each budget line welcomes, read when it was written) with the
  prospect's budgets: the deal's value and what they need on a pricing item of our plan;
- what the partner does that we don't with the prospect's mismatches:
  the requirements of theirs we cannot meet — the very reason to refer them.

Every line that matches is a reason worth a point; a line that answers a mismatch is worth
two; a line we marked "complement" (a client to send them) counts double. Ties go to the
partner we trust most, then by name. Partners in the trash, or that the user may not see,
are never suggested."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Prefetch, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Lower, StrIndex

from attract.accounts.models import User
from attract.attraction.models import Answer, Assessment, ExpectationCategory, Requirement
from attract.core.search_text import search_key
from attract.partners.budgets import welcomes
from attract.partners.models import DefinitionLine, LineKind, Mark, Partner
from attract.partners.selectors import visible_partners
from attract.people.models import Company, Person
from attract.pipeline.models import Deal

# How many partners the database's ranking hands over per suggestion shown: its comparison
# is close to ours but not the same (ASCII-only case folding, any shared word), so ours has
# the last word.
CANDIDATES_PER_SUGGESTION = 4

# What each kind of line is compared with on the prospect's company.
COMPARED = {
    LineKind.INDUSTRY: ("industry",),
    LineKind.PLACE: ("city", "country"),
    LineKind.SIZE: ("size_label",),
}
# The kind of line that may answer a mismatch: what they do that we don't.
ANSWERING = (LineKind.OFFER,)
# Words that say nothing about a quality or a need.
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "than",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "we",
        "with",
        "within",
        "who",
        "whose",
        "will",
        "per",
        "more",
        "less",
        "very",
    ]
)
# Words handed to the database per kind of comparison, at most: bounds the query.
MAX_WORDS = 16


@dataclass
class Prospect:
    """What we know of the prospect that a partner's definition may speak of."""

    values: dict[str, str] = field(default_factory=dict)  # the company's industry, town...
    qualities: list[str] = field(default_factory=list)  # our plan's qualities they have
    budgets: list[tuple[Decimal, str]] = field(default_factory=list)  # (amount, whence)
    mismatches: list[tuple[str, str]] = field(default_factory=list)  # (what, reason)

    @property
    def is_empty(self) -> bool:
        return not (any(self.values.values()) or self.qualities or self.budgets or self.mismatches)


@dataclass
class Suggestion:
    partner: Partner
    score: int = 0
    reasons: list[str] = field(default_factory=list)

    @property
    def confidence(self) -> int:
        p = self.partner
        return sum(
            v or 0 for v in (p.confidence_ability, p.confidence_account, p.confidence_ethics)
        )


def _words(text: str) -> set[str]:
    """The words of a quality or a need that carry its meaning, without a plural's s."""
    words = set()
    for word in re.findall(r"[^\W\d_]{3,}", search_key(text)):
        if word not in _STOP:
            words.add(word[:-1] if len(word) > 4 and word.endswith("s") else word)
    return words


def _alike(theirs: str, ours: str, *, half: bool = True) -> bool:
    """They share a meaningful word — and, for two qualities, half the words of the shorter
    one (a need, "delivery time", is answered by any offer that speaks of delivery)."""
    a, b = _words(theirs), _words(ours)
    shared = len(a & b)
    return shared >= 1 and (not half or 2 * shared >= min(len(a), len(b)))


def _matches(line_text: str, value: str) -> bool:
    a, b = search_key(line_text), search_key(value)
    return bool(a and b) and (a in b or b in a)


def _money(amount: Decimal) -> str:
    return f"{amount:,.0f}"


def prospect_of(
    *, company: Company | None = None, person: Person | None = None, deal: Deal | None = None
) -> Prospect:
    """Gather what may be compared, from records the caller has checked the user may see:
    two queries (the qualities assessed, the requirements)."""
    prospect = Prospect()
    if company is not None:
        prospect.values = {
            "industry": company.industry,
            "city": company.city,
            "country": company.country,
            "size_label": company.get_size_display() if company.size else "",
        }
    subjects = Q()
    if company is not None:
        subjects |= Q(company=company)
    if person is not None:
        subjects |= Q(person=person)
    if deal is not None and deal.revenue:
        prospect.budgets.append((deal.revenue, "the deal's value"))
    if not subjects:
        return prospect
    assessed = Assessment.objects.filter(
        subjects, answer__in=(Answer.YES, Answer.PARTLY), quality__removed_at__isnull=True
    ).values_list("quality__text", flat=True)
    prospect.qualities = sorted(set(assessed))
    needs = Requirement.objects.filter(subjects, expectation__removed_at__isnull=True)
    for requirement in needs.select_related("expectation").order_by("id"):
        ours = requirement.expectation
        if ours.category == ExpectationCategory.PRICING:
            prospect.budgets.append(
                (requirement.value, f"their budget ({ours.metric or ours.text})")
            )
        reason = requirement.mismatch_reason
        if reason:
            prospect.mismatches.append((f"{ours.metric} {ours.text}", reason))
    return prospect


def _any_word(words: set[str]) -> Q:
    found = Q()
    for word in sorted(words)[:MAX_WORDS]:
        found |= Q(text__icontains=word)
    return found


def _lines_that_may_match(prospect: Prospect):
    """The lines that may fit the prospect, found by the database (case-insensitive for
    ASCII, any shared word), so that only likely partners are read; Python then confirms
    each. None when there is nothing to compare."""
    matching = Q()
    aliases = {}
    for kind, names in COMPARED.items():
        for name in names:
            value = (prospect.values.get(name) or "").strip()
            if not value:
                continue
            aliases[f"_in_{name}"] = StrIndex(Value(value.lower()), Lower("text"))
            matching |= Q(kind=kind) & (Q(text__icontains=value) | Q(**{f"_in_{name}__gt": 0}))
    quality_words = set().union(*(_words(q) for q in prospect.qualities))
    if quality_words:
        matching |= Q(kind=LineKind.QUALITY) & _any_word(quality_words)
    for amount, _ in prospect.budgets:
        matching |= (
            Q(kind=LineKind.BUDGET)
            & (Q(budget_min__isnull=False) | Q(budget_max__isnull=False))
            & (Q(budget_min__isnull=True) | Q(budget_min__lte=amount))
            & (Q(budget_max__isnull=True) | Q(budget_max__gte=amount))
        )
    need_words = set().union(*(_words(what) for what, _ in prospect.mismatches))
    if need_words:
        matching |= Q(kind__in=ANSWERING) & _any_word(need_words)
    if not matching:
        return None
    return DefinitionLine.objects.filter(removed_at__isnull=True).alias(**aliases).filter(matching)


def _reasons(line: DefinitionLine, prospect: Prospect) -> tuple[int, list[str]]:
    """The points a line earns for this prospect, and why (before the complement's double)."""
    theirs = f"{line.get_kind_display()}: “{line.text}” — theirs"
    points, reasons = 0, []
    for name in COMPARED.get(line.kind, ()):
        if _matches(line.text, prospect.values.get(name, "")):
            points += 1
            reasons.append(f"{theirs}; {prospect.values[name]} — the prospect's")
            break
    if line.kind == LineKind.QUALITY:
        quality = next((q for q in prospect.qualities if _alike(line.text, q)), None)
        if quality is not None:
            points += 1
            reasons.append(f"{theirs}; “{quality}” — the prospect has it")
    if line.kind == LineKind.BUDGET:
        budget = next(
            ((amount, whence) for amount, whence in prospect.budgets
             if welcomes(line.budget_min, line.budget_max, amount)),
            None,
        )  # fmt: skip
        if budget is not None:
            points += 1
            reasons.append(f"{theirs}; {_money(budget[0])} — {budget[1]}")
    if line.kind in ANSWERING:
        need = next(
            (r for what, r in prospect.mismatches if _alike(line.text, what, half=False)), None
        )
        if need is not None:
            points += 2
            reasons.append(f"{theirs}; what we cannot meet: {need}")
    return points, reasons


def partner_suggestions(
    *,
    user: User,
    company: Company | None = None,
    person: Person | None = None,
    deal: Deal | None = None,
    prospect: Prospect | None = None,
    limit: int = 5,
) -> list[Suggestion]:
    """The partners (the user may see, not in the trash) whose definition fits the prospect
    best, with the reasons; empty when none fits or there is nothing to compare. The caller
    passes only records the user may see."""
    if prospect is None:
        prospect = prospect_of(company=company, person=person, deal=deal)
    if prospect.is_empty:
        return []
    lines = _lines_that_may_match(prospect)
    if lines is None:
        return []
    # The database ranks the likely partners by their matching lines (a complement counts
    # double) and trust, so that only the best few are read, however many partners match.
    candidates = visible_partners(user)
    if company is not None:
        candidates = candidates.exclude(company_id=company.pk)
    if person is not None:
        candidates = candidates.exclude(person_id=person.pk)
    ranked = (
        candidates.filter(lines__in=lines)
        .annotate(
            _score=Sum(Case(When(lines__mark=Mark.COMPLEMENT, then=2), default=1)),
            _trust=Coalesce("confidence_ability", 0)
            + Coalesce("confidence_account", 0)
            + Coalesce("confidence_ethics", 0),
        )
        .order_by("-_score", "-_trust", "id")
        .values_list("pk", flat=True)[: limit * CANDIDATES_PER_SUGGESTION]
    )
    partners = (
        Partner.objects.filter(pk__in=list(ranked))
        .select_related("company", "person")
        .prefetch_related(Prefetch("lines", queryset=lines, to_attr="compared_lines"))
    )
    found = []
    for partner in partners:
        suggestion = Suggestion(partner)
        for line in partner.compared_lines:
            points, reasons = _reasons(line, prospect)
            suggestion.score += points * (2 if line.mark == Mark.COMPLEMENT else 1)
            suggestion.reasons.extend(reasons)
        if suggestion.score:
            found.append(suggestion)
    found.sort(key=lambda s: (-s.score, -s.confidence, search_key(str(s.partner)), s.partner.pk))
    return found[:limit]
