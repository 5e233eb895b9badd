"""What each joint initiative brought — the people whose source it is, their deals (out of
the trash), and the revenue and profit of those won — stored on the initiative so that the
list ranks 20,000 initiatives by reading one index a page at a time, instead of computing
four figures for every initiative before sorting.

What keeps them fresh:
- the services that add a person to an initiative recount it (initiative_services);
- receivers.py recounts on every save or delete of a deal whose contact came through an
  initiative (and of the contact it had before), and on a person's link added or removed
  (a person deleted takes their link with them);
- writes that bypass signals (bulk imports, queryset.update) are caught by the nightly
  recount of every initiative (scheduled.py) or at once by `attract initiatives recount`.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum

from attract.partners.models import Initiative, InitiativePerson
from attract.pipeline.models import Deal

MONEY = DecimalField(max_digits=16, decimal_places=2)
ZERO = Decimal("0")
BATCH = 2_000


def _live(ids: list[int] | None) -> dict[int, dict]:
    """The figures computed from the records, for these initiatives (None: all)."""
    people = InitiativePerson.objects.all()
    deals = Deal.objects.filter(contact__initiative_source__isnull=False)
    if ids is not None:
        people = people.filter(initiative_id__in=ids)
        deals = deals.filter(contact__initiative_source__initiative_id__in=ids)
    figures: dict[int, dict] = {}
    for row in people.values("initiative_id").annotate(n=Count("pk")).order_by():
        figures.setdefault(row["initiative_id"], {})["people_count"] = row["n"]
    won = Q(outcome="won")
    rows = (
        deals.values("contact__initiative_source__initiative_id")
        .annotate(
            n=Count("pk"),
            won_rev=Sum("revenue", filter=won),
            won_prof=Sum(
                ExpressionWrapper(F("revenue") - F("cost"), output_field=MONEY), filter=won
            ),
        )
        .order_by()
    )
    for row in rows:
        figures.setdefault(row["contact__initiative_source__initiative_id"], {}).update(
            deal_count=row["n"],
            won_revenue=row["won_rev"] or ZERO,
            won_profit=row["won_prof"] or ZERO,
        )
    return figures


def _store(initiatives: list[Initiative], figures: dict[int, dict]) -> int:
    changed = []
    for initiative in initiatives:
        now = figures.get(initiative.pk, {})
        wanted = (
            now.get("people_count", 0),
            now.get("deal_count", 0),
            Decimal(now.get("won_revenue", ZERO)),
            Decimal(now.get("won_profit", ZERO)),
        )
        held = (
            initiative.people_count,
            initiative.deal_count,
            initiative.won_revenue,
            initiative.won_profit,
        )
        if held != wanted:
            (initiative.people_count, initiative.deal_count, initiative.won_revenue,
             initiative.won_profit) = wanted  # fmt: skip
            changed.append(initiative)
    # Not an edit of the initiative: no version, no history, no updated_at.
    Initiative.all_objects.bulk_update(
        changed, ["people_count", "deal_count", "won_revenue", "won_profit"], batch_size=500
    )
    return len(changed)


FIELDS = ("pk", "people_count", "deal_count", "won_revenue", "won_profit")


def recount(ids: Iterable[int]) -> int:
    """Count these initiatives' figures again; how many changed."""
    wanted = sorted({pk for pk in ids if pk})
    if not wanted:
        return 0
    initiatives = list(Initiative.all_objects.filter(pk__in=wanted).only(*FIELDS))
    return _store(initiatives, _live(wanted))


def recount_all() -> int:
    """Every initiative: three grouped queries and the updates of those that changed."""
    figures = _live(None)
    changed = 0
    ids = list(Initiative.all_objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = list(Initiative.all_objects.filter(pk__in=ids[start : start + BATCH]).only(*FIELDS))
        changed += _store(batch, figures)
    return changed


def initiative_of_person(person_id: int | None) -> int | None:
    if person_id is None:
        return None
    return (
        InitiativePerson.objects.filter(person_id=person_id)
        .values_list("initiative_id", flat=True)
        .first()
    )
