"""Keeps each customer's stored purchase summary (models/purchases.py) equal to their won
deals, whatever writes them:
- receivers.py counts a company again in the same transaction as any save or delete of a
  deal that is won or was (a win, a reopen, the trash and back, an amount, owner, privacy or
  company changed), and copies a company's visibility, trash and relationship on its save;
- writes that bypass signals (imports, queryset updates, the demo, the benchmark) are caught
  by the nightly recount (purchase_scheduled.py) or at once by `attract purchases recount`.

The figures come from the deals, so counting again is always safe and changes nothing
when nothing changed. The functions take the models as arguments so that the migration that
creates the table fills it with its own historical models."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from attract.core.unindexed import Unindexed

ZERO = Decimal("0")
BATCH = 2_000
FIGURES = ("deals", "first_at", "second_at", "last_at", "first_year", "revenue", "profit")
COMPANY = ("company_alive", "company_private", "company_owner_id", "is_customer")


def default_models() -> SimpleNamespace:
    from attract.aftercare.models import PurchaseSummary
    from attract.people.models import Company
    from attract.pipeline.models import Deal

    return SimpleNamespace(Deal=Deal, Company=Company, PurchaseSummary=PurchaseSummary)


@dataclass
class _Figures:
    moments: list[datetime]
    revenue: Decimal = ZERO
    profit: Decimal = ZERO

    def values(self) -> dict[str, Any]:
        moments = sorted(self.moments)
        return {
            "deals": len(moments),
            "first_at": moments[0],
            "second_at": moments[1] if len(moments) > 1 else None,
            "last_at": moments[-1],
            "first_year": timezone.localtime(moments[0]).year,
            "revenue": self.revenue,
            "profit": self.profit,
        }


def _company_values(company: Any) -> dict[str, Any]:
    return {
        "company_alive": company.deleted_at is None,
        "company_private": company.is_private,
        "company_owner_id": company.owner_id,
        "is_customer": company.relationship == "customer",
    }


def _wanted(m: SimpleNamespace, ids: list[int]) -> dict[tuple[int, int | None], dict]:
    """(company, viewer) → the row's values, from the won deals out of the trash."""
    deals = (
        m.Deal._base_manager.filter(company_id__in=ids, deleted_at__isnull=True)
        # Start from the companies' few deals, not from every won deal (SQLite's planner).
        .alias(outcome_as_is=Unindexed("outcome"))
        .filter(outcome_as_is="won")
        .values_list("company_id", "is_private", "owner_id", "closed_at", "revenue", "cost")
    )
    shared: dict[int, list] = defaultdict(list)
    private: dict[tuple[int, int], list] = defaultdict(list)
    for company_id, is_private, owner_id, closed_at, revenue, cost in deals:
        row = (closed_at, revenue or ZERO, cost or ZERO)
        if is_private:
            if owner_id is not None:  # a private deal whose owner is gone is seen by no one
                private[(company_id, owner_id)].append(row)
        else:
            shared[company_id].append(row)
    views: dict[tuple[int, int | None], list] = {(c, None): rows for c, rows in shared.items()}
    for (company_id, owner_id), rows in private.items():
        views[(company_id, owner_id)] = shared.get(company_id, []) + rows
    wanted = {}
    for key, rows in views.items():
        revenue = sum((r[1] for r in rows), ZERO)
        figures = _Figures(
            moments=[r[0] for r in rows],
            revenue=revenue,
            profit=revenue - sum((r[2] for r in rows), ZERO),
        )
        wanted[key] = figures.values()
    return wanted


def _store(m: SimpleNamespace, ids: list[int]) -> int:
    """Count these companies again; how many rows were written or removed."""
    wanted = _wanted(m, ids)
    companies = {
        c.pk: _company_values(c)
        for c in m.Company._base_manager.filter(pk__in=ids).only(
            "pk", "deleted_at", "is_private", "owner_id", "relationship"
        )
    }
    held = {(s.company_id, s.viewer_id): s for s in m.PurchaseSummary.objects.filter(
        company_id__in=ids
    )}  # fmt: skip
    gone = [s.pk for key, s in held.items() if key not in wanted or key[0] not in companies]
    new, changed = [], []
    for key, values in wanted.items():
        if key[0] not in companies:
            continue
        values = {**values, **companies[key[0]]}
        row = held.get(key)
        if row is None:
            new.append(m.PurchaseSummary(company_id=key[0], viewer_id=key[1], **values))
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
    if gone:
        m.PurchaseSummary.objects.filter(pk__in=gone).delete()
    if changed:
        m.PurchaseSummary.objects.bulk_update(changed, [*FIGURES, *COMPANY], batch_size=500)
    if new:
        m.PurchaseSummary.objects.bulk_create(new, batch_size=500)
    return len(gone) + len(changed) + len(new)


def recount(company_ids: Iterable[int | None], *, models: SimpleNamespace | None = None) -> int:
    """Count these companies' purchases again (in the caller's transaction)."""
    ids = sorted({pk for pk in company_ids if pk})
    if not ids:
        return 0
    return _store(models or default_models(), ids)


def recount_all(*, models: SimpleNamespace | None = None) -> int:
    """Every company, a batch at a time: for bulk writes (imports) and the nightly check."""
    m = models or default_models()
    changed = 0
    ids = list(m.Company._base_manager.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        changed += _store(m, ids[start : start + BATCH])
    # Rows of companies that no longer exist go with them (cascade); nothing else is left.
    return changed


def _departure_values(company: Any) -> dict[str, Any]:
    values = _company_values(company)
    values.pop("is_customer")
    return values


def company_copied(company: Any) -> int:
    """A company saved: its visibility, trash and relationship copied onto its purchase
    summaries, and its visibility and trash onto its departures."""
    from attract.aftercare.models import Departure

    values = _company_values(company)
    changed = (
        default_models()
        .PurchaseSummary.objects.filter(company_id=company.pk)
        .exclude(**values)
        .update(**values)
    )
    values = _departure_values(company)
    return changed + Departure.all_objects.filter(company_id=company.pk).exclude(**values).update(
        **values
    )


def departures_copied(*, models: SimpleNamespace | None = None) -> int:
    """Every departure's copy of its company's visibility and trash checked (nightly, after
    bulk writes): one update per kind of company that differs."""
    m = models or default_models()
    Departure = getattr(m, "Departure", None)
    if Departure is None:
        from attract.aftercare.models import Departure
    changed = 0
    companies = m.Company._base_manager.filter(
        pk__in=Departure._base_manager.values("company_id")
    ).only("pk", "deleted_at", "is_private", "owner_id", "relationship")
    for company in companies.iterator(chunk_size=2_000):
        values = _departure_values(company)
        changed += (
            Departure._base_manager.filter(company_id=company.pk).exclude(**values).update(**values)
        )
    return changed
