"""What each customer bought from us, stored so that "who buys again" reads an index instead
of grouping every won deal on each request: the number of deals won, the first, second and
last purchase, lifetime revenue and profit (purchase_summary.py keeps it).

Deals can be private (only their owner sees them), so a company has one row for the team —
its won deals that are not private — and, for each user who owns private won deals there,
one row of what that user sees (the team's deals and their own). A reader takes their own
row when there is one, else the team's. The company's visibility, trash and relationship
are copied beside the figures, so that the cohorts and the one-time buyers are filtered and
ordered from one index without reading the companies."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

MONEY = {"max_digits": 16, "decimal_places": 2}


class PurchaseSummary(models.Model):
    company = models.ForeignKey("people.Company", on_delete=models.CASCADE, related_name="+")
    # Empty: the team's view (won deals that are not private). Else what this user sees.
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    deals = models.PositiveIntegerField()
    first_at = models.DateTimeField()
    second_at = models.DateTimeField(null=True, blank=True)
    last_at = models.DateTimeField()
    first_year = models.PositiveSmallIntegerField()  # of first_at, in the installation's zone
    revenue = models.DecimalField(default=Decimal("0"), **MONEY)
    profit = models.DecimalField(default=Decimal("0"), **MONEY)  # may be below zero
    # Copied from the company (who may see it, whether it is in the trash or a customer).
    company_alive = models.BooleanField(default=True)
    company_private = models.BooleanField(default=False)
    company_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    is_customer = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company"], condition=Q(viewer__isnull=True), name="purchase_team_once"
            ),
            models.UniqueConstraint(
                fields=["company", "viewer"],
                condition=Q(viewer__isnull=False),
                name="purchase_viewer_once",
            ),
            models.CheckConstraint(condition=Q(deals__gte=1), name="purchase_has_deals"),
        ]
        # Partial on the company's trash (and relationship): Django writes a true boolean as
        # the bare column, which SQLite's planner takes as a condition, not as an equality
        # to walk an index by; as the index's own condition it is matched instead (and the
        # columns are carried at the end so that the counts read the index alone).
        indexes = [
            # The cohorts: grouped by first year in index order, every filter read from it.
            models.Index(
                fields=[
                    "viewer",
                    "first_year",
                    "deals",
                    "company_private",
                    "company_owner",
                    "company_alive",
                ],  # fmt: skip
                condition=Q(company_alive=True),
                name="purchase_cohort_idx",
            ),
            # The one-time buyers, most recent or most profitable first, a page at a time,
            # and counted from the index alone.
            models.Index(
                fields=[
                    "viewer",
                    "deals",
                    "last_at",
                    "company_private",
                    "company_owner",
                    "company_alive",
                    "is_customer",
                ],  # fmt: skip
                condition=Q(company_alive=True, is_customer=True),
                name="purchase_recent_idx",
            ),
            models.Index(
                fields=[
                    "viewer",
                    "deals",
                    "profit",
                    "company_private",
                    "company_owner",
                    "company_alive",
                    "is_customer",
                ],  # fmt: skip
                condition=Q(company_alive=True, is_customer=True),
                name="purchase_profit_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company_id}: {self.deals} won"

    # Read by the one-time buyers' page and API like the company's own fields.
    @property
    def name(self) -> str:
        return self.company.name

    @property
    def last_won(self):
        return self.last_at

    @property
    def lifetime_profit(self) -> Decimal:
        return self.profit
