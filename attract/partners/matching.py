"""Which partners' own perfect-client definitions fit a prospect we are about to refer: each
line of theirs about industries, places and sizes is compared with the prospect's company,
and every line that matches is a reason. A line we marked "complement" (a client to send
them) counts double. Ties go to the partner we trust most, then by name."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, Prefetch, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Lower, StrIndex

from attract.accounts.models import User
from attract.core.search_text import search_key
from attract.partners.models import DefinitionLine, LineKind, Mark, Partner
from attract.partners.selectors import visible_partners
from attract.people.models import Company

# How many partners the database's ranking hands over per suggestion shown: its comparison
# is close to ours but not the same (ASCII-only case folding), so ours has the last word.
CANDIDATES_PER_SUGGESTION = 4

# What each kind of line is compared with on the prospect's company.
COMPARED = {
    LineKind.INDUSTRY: ("industry",),
    LineKind.PLACE: ("city", "country"),
    LineKind.SIZE: ("size_label",),
}


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


def _prospect_values(company: Company) -> dict[str, str]:
    return {
        "industry": company.industry,
        "city": company.city,
        "country": company.country,
        "size_label": company.get_size_display() if company.size else "",
    }


def _matches(line_text: str, value: str) -> bool:
    a, b = search_key(line_text), search_key(value)
    return bool(a and b) and (a in b or b in a)


def _lines_that_may_match(values: dict[str, str]):
    """The lines whose text holds one of the prospect's values or is held in it, found by the
    database (case-insensitive for ASCII), so that only likely partners are read; Python then
    confirms each with the accent-free comparison. None when there is nothing to compare."""
    matching = Q()
    aliases = {}
    for kind, names in COMPARED.items():
        for name in names:
            value = values[name].strip()
            if not value:
                continue
            aliases[f"_in_{name}"] = StrIndex(Value(value.lower()), Lower("text"))
            matching |= Q(kind=kind) & (Q(text__icontains=value) | Q(**{f"_in_{name}__gt": 0}))
    if not aliases:
        return None
    return DefinitionLine.objects.filter(removed_at__isnull=True).alias(**aliases).filter(matching)


def partner_suggestions(*, user: User, company: Company | None, limit: int = 5) -> list[Suggestion]:
    """The partners (the user may see, not in the trash) whose definition fits `company`
    best, with the reasons; empty when none fits or there is no company to compare."""
    if company is None:
        return []
    values = _prospect_values(company)
    lines = _lines_that_may_match(values)
    if lines is None:
        return []
    # The database ranks the likely partners by their matching lines (a complement counts
    # double) and trust, so that only the best few are read, however many partners match.
    ranked = (
        visible_partners(user)
        .exclude(company_id=company.pk)
        .filter(lines__in=lines)
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
            for name in COMPARED[line.kind]:
                if _matches(line.text, values[name]):
                    suggestion.score += 2 if line.mark == Mark.COMPLEMENT else 1
                    suggestion.reasons.append(
                        f"{line.get_kind_display()}: “{line.text}” — theirs; {values[name]} — the prospect's"
                    )
                    break
        if suggestion.score:
            found.append(suggestion)
    found.sort(key=lambda s: (-s.score, -s.confidence, search_key(str(s.partner)), s.partner.pk))
    return found[:limit]
