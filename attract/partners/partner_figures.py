"""Each partner's referral figures — given and received: how many, their value, how many
became customers, the revenue and profit won, the last date — stored on the partner so that
the list shows and sorts them by reading its own rows.

The live computation is selectors.live_referral_figures (one grouped query); this module writes
its answer. What keeps the stored figures fresh:
- receivers.py recounts in the same transaction on every save or delete of a referral (and
  of the partner it had before), and on every save of a deal that was referred (its outcome,
  revenue and cost make a referral's won figures);
- writes that bypass signals (bulk imports, queryset updates) are caught by the nightly
  recount (scheduled.py) or at once by `attract partners recount`.
"""

from __future__ import annotations

from collections.abc import Iterable

from attract.partners.models import Partner, Referral
from attract.partners.selectors import FIGURE_NAMES, figures_of, live_referral_figures

BATCH = 500
SIDES = ("in", "out")
STORED = [f"{side}_{name}" for side in SIDES for name in FIGURE_NAMES] + ["last_referred_on"]


def _store(partners: list[Partner], figures: dict) -> int:
    changed = []
    for partner in partners:
        wanted = figures_of(partner.pk, figures)
        if any(getattr(partner, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(partner, name, value)
            changed.append(partner)
    # Not an edit of the partner: no version, no history, no updated_at.
    Partner.all_objects.bulk_update(changed, STORED, batch_size=BATCH)
    return len(changed)


def recount(ids: Iterable[int | None]) -> int:
    """Count these partners' figures again; how many changed."""
    wanted = sorted({pk for pk in ids if pk})
    if not wanted:
        return 0
    partners = list(Partner.all_objects.filter(pk__in=wanted).only("pk", *STORED))
    return _store(partners, live_referral_figures(wanted))


def recount_all() -> int:
    """Every partner, a batch at a time: one grouped query and the updates of those that
    changed per batch."""
    ids = list(Partner.all_objects.order_by("pk").values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        partners = list(Partner.all_objects.filter(pk__in=batch).only("pk", *STORED))
        changed += _store(partners, live_referral_figures(batch))
    return changed


def partners_of_deal(deal_id: int) -> list[int]:
    return list(Referral.all_objects.filter(deal_id=deal_id).values_list("partner_id", flat=True))
