"""Deals moving through the five-step sales cycle, with their quotes, stage moves and the
per-stage settings (chance of success, when a deal has stalled) an admin may change."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from attract.core.models import TrackedModel, TrashableModel, trash_index


class Stage(models.TextChoices):
    """The five progressive steps, in order. Their order is what "forward" means."""

    ATTENTION = "attention", "Attention"
    INTEREST = "interest", "Interest"
    CONVICTION = "conviction", "Conviction"
    DESIRE = "desire", "Desire"
    ACTION = "action", "Action"


STAGE_ORDER: tuple[str, ...] = tuple(Stage.values)


def stage_index(stage: str) -> int:
    return STAGE_ORDER.index(stage)


class Outcome(models.TextChoices):
    OPEN = "open", "Open"
    WON = "won", "Won"
    LOST = "lost", "Lost"
    REFERRED_OUT = "referred_out", "Referred out"


class Source(models.TextChoices):
    INBOUND = "inbound", "Inbound"
    OUTBOUND = "outbound", "Outbound"
    PARTNER_REFERRAL = "partner_referral", "Referral from a partner"
    EXISTING_CUSTOMER = "existing_customer", "Existing customer"


MONEY = {"max_digits": 14, "decimal_places": 2}


class Deal(TrashableModel):
    title = models.CharField(max_length=200)
    company = models.ForeignKey(
        "people.Company", null=True, blank=True, on_delete=models.SET_NULL, related_name="deals"
    )
    contact = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deals",
        verbose_name="main contact",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_deals",
    )
    is_private = models.BooleanField(default=False, help_text="Only the owner sees a private deal.")
    pain = models.TextField(
        blank=True,
        max_length=5_000,
        verbose_name="the customer's pain",
        help_text="The customer's problem, in their own words.",
    )
    revenue = models.DecimalField(default=Decimal("0"), **MONEY)
    cost = models.DecimalField(default=Decimal("0"), **MONEY)
    expected_close_date = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.OUTBOUND)
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.ATTENTION)
    # The furthest stage ever reached (0–4), kept by the services, so that learned
    # probabilities need no scan of a million stage moves.
    furthest_stage_index = models.PositiveSmallIntegerField(default=0, editable=False)
    stage_entered_at = models.DateTimeField(default=timezone.now, editable=False)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.OPEN)
    lost_reason = models.TextField(blank=True, max_length=2_000)
    # Why it was lost, from the list the business edits (issue 18: the lost-deals report
    # counts by it); the free text above stays as the note.
    lost_reason_kind = models.ForeignKey(
        "pipeline.LostReason",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deals",
        verbose_name="reason lost",
    )
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    conviction_problem_acknowledged = models.BooleanField(
        default=False, verbose_name="the customer acknowledges the problem"
    )
    conviction_we_are_the_ones = models.BooleanField(
        default=False, verbose_name="the customer believes we are the ones to solve it"
    )
    position = models.IntegerField(default=0, help_text="Order of the card in its column.")
    tags = models.ManyToManyField("people.Tag", blank=True, related_name="deals")
    # The deal's id in the CRM it was imported from (a Salesforce Opportunity's Id): a
    # re-import finds it by this, and two deals of the same title with different ids are two.
    source_id = models.CharField(max_length=100, blank=True, default="", editable=False)

    history = HistoricalRecords(m2m_fields=[tags], excluded_fields=["updated_at", "position"])

    class Meta:
        ordering = ["position", "id"]
        indexes = [
            models.Index(
                fields=["source_id"], name="deal_source_idx", condition=~models.Q(source_id="")
            ),
            models.Index(fields=["outcome", "stage", "position", "id"], name="deal_board_idx"),
            trash_index("deal_trash_idx"),
            models.Index(
                fields=[
                    "outcome",
                    "stage",
                    "stage_entered_at",
                    "deleted_at",
                    "is_private",
                    "owner",
                ],
                name="deal_stalled_idx",
            ),
            # Long maybes, longest-stalled first: read in order and stop after one page.
            models.Index(fields=["outcome", "stage_entered_at"], name="deal_oldest_idx"),
            # Covering indexes: the board totals and the forecast read only index entries,
            # never the table, so they stay fast with a hundred thousand open deals.
            models.Index(
                fields=["outcome", "stage", "deleted_at", "is_private", "owner", "revenue"],
                name="deal_stage_totals_idx",
            ),
            models.Index(
                fields=[
                    "outcome",
                    "expected_close_date",
                    "stage",
                    "deleted_at",
                    "is_private",
                    "owner",
                    "revenue",
                ],
                name="deal_forecast_idx",
            ),
            models.Index(
                fields=["outcome", "furthest_stage_index", "deleted_at"], name="deal_learned_idx"
            ),
            models.Index(fields=["owner", "outcome"], name="deal_owner_outcome_idx"),
            models.Index(fields=["outcome", "-closed_at"], name="deal_closed_idx"),
            # The deal lists sorted by title or by revenue: a page is read in order.
            models.Index(fields=["outcome", "title"], name="deal_title_idx"),
            models.Index(fields=["outcome", "revenue"], name="deal_revenue_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(revenue__gte=0), name="deal_revenue_not_neg"),
            models.CheckConstraint(condition=models.Q(cost__gte=0), name="deal_cost_not_negative"),
            models.CheckConstraint(
                condition=models.Q(stage__in=STAGE_ORDER), name="deal_stage_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(outcome__in=Outcome.values), name="deal_outcome_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=Source.values), name="deal_source_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(outcome="open", closed_at__isnull=True)
                | (~models.Q(outcome="open") & models.Q(closed_at__isnull=False)),
                name="deal_closed_at_matches_outcome",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def profit(self) -> Decimal:
        return (self.revenue or Decimal("0")) - (self.cost or Decimal("0"))

    @property
    def margin(self) -> Decimal | None:
        """Profit as a percentage of revenue; None when there is no revenue to divide by."""
        if not self.revenue:
            return None
        return (self.profit * 100 / self.revenue).quantize(Decimal("0.1"))

    @property
    def is_open(self) -> bool:
        return self.outcome == Outcome.OPEN

    @property
    def days_in_stage(self) -> int:
        end = self.closed_at or timezone.now()
        return max(0, (end - self.stage_entered_at).days)

    @property
    def loses_money(self) -> bool:
        return self.cost > self.revenue

    @property
    def close_date_passed(self) -> bool:
        return bool(
            self.is_open
            and self.expected_close_date
            and self.expected_close_date < timezone.localdate()
        )

    def warnings(self, today: date | None = None) -> list[str]:
        """Things allowed but worth a second look, shown wherever the deal is."""
        today = today or timezone.localdate()
        found = []
        if self.cost > self.revenue:
            found.append("Cost is above revenue: this deal loses money.")
        if self.is_open and self.expected_close_date and self.expected_close_date < today:
            found.append("The expected close date has passed.")
        return found + self.privacy_warnings()

    def privacy_warnings(self) -> list[str]:
        """A shared deal that names a private company or contact: the team sees the deal but
        not them, so its owner is told what the others see in their place."""
        if self.is_private:
            return []
        found = []
        if self.company_id and self.company.is_private:
            found.append("Its company is private: the team sees “a private company” in its place.")
        if self.contact_id and self.contact.is_private:
            found.append(
                "Its contact is private: the team sees “a private contact” in their place."
            )
        return found


class QuoteStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


# A quote counts as "sent" for the Action gate once it has left our hands.
SENT_QUOTE_STATUSES = (QuoteStatus.SENT, QuoteStatus.ACCEPTED, QuoteStatus.DECLINED)


class Quote(TrackedModel):
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="quotes")
    amount = models.DecimalField(**MONEY)
    description = models.CharField(max_length=300, blank=True)
    sent_on = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=QuoteStatus.choices, default="draft")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "sent_on"], name="quote_status_sent_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="quote_amount_not_neg"),
            models.CheckConstraint(
                condition=models.Q(status__in=QuoteStatus.values), name="quote_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(sent_on__isnull=False),
                name="quote_sent_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Quote {self.amount} for {self.deal}"


class StageSetting(models.Model):
    """Per-stage numbers an admin may tune; seeded by a migration with the defaults."""

    stage = models.CharField(max_length=12, choices=Stage.choices, unique=True)
    probability = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Estimated chance of success, in percent.",
    )
    stale_after_days = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text="A deal longer than this in the stage is a long maybe.",
    )
    enforce_entry_criteria = models.BooleanField(
        default=True, help_text="Refuse a forward move into this stage until its criteria hold."
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(probability__lte=100), name="stage_probability_max_100"
            ),
            models.CheckConstraint(
                condition=models.Q(stale_after_days__gte=1), name="stage_stale_days_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} ({self.probability}%)"


class StageMove(models.Model):
    """One step of a deal's path: where from, where to, who, when and why."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="moves")
    # Blank for the first entry, written when the deal is created.
    from_stage = models.CharField(max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=12, choices=Stage.choices)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    moved_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True, max_length=2_000)
    override_reason = models.TextField(blank=True, max_length=2_000)
    is_backward = models.BooleanField(default=False)
    # How long the deal had been in the stage it leaves: from its latest move strictly before
    # this one to this one (None for its first move). Stored so that the sales cycle's medians
    # are taken by the database; kept by pipeline/stage_times.py wherever moves are written.
    time_in_previous_stage = models.DurationField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["moved_at", "id"]
        indexes = [
            models.Index(fields=["deal", "moved_at"], name="stagemove_deal_time_idx"),
            # The sales cycle's median days in a stage: the middle moves of a stage, read in
            # this order (moved_at and deal so that the period and reader filters need no row).
            models.Index(
                fields=["from_stage", "time_in_previous_stage", "moved_at", "deal"],
                name="stagemove_spent_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deal_id}: {self.from_stage or '—'} → {self.to_stage}"


class ToughQuestion(TrackedModel):
    """A question that gets a stalled deal to a yes or a no; the bank is the user's to edit."""

    text = models.CharField(max_length=300)
    is_active = models.BooleanField(default=True)
    position = models.IntegerField(default=0)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


# The defaults the first migration seeds; also used when a row is missing (a flushed test
# database, a hand-edited table) so that the board never breaks for want of a setting.
DEFAULT_STAGE_SETTINGS: dict[str, tuple[int, int]] = {
    Stage.ATTENTION: (10, 21),
    Stage.INTEREST: (20, 21),
    Stage.CONVICTION: (40, 30),
    Stage.DESIRE: (70, 21),
    Stage.ACTION: (90, 14),
}


class LostReason(models.Model):
    """One reason a deal may be lost for, in the list the business edits. A retired reason
    is no longer offered but keeps the deals lost for it."""

    name = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)
    position = models.IntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("name"), name="lostreason_name_ci_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name
