"""Customers who left: when, why (our guess, and the customer's own answer from the exit
survey, kept apart), and what they were worth to us in the year before they left.

The six reasons and their published shares come from a study of why customers leave (1%
death, 3% moved, 5% a friend, 9% a competitor, 14% product or price, 68% perceived
indifference), each with how much control the business has over it."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from attract.core.models import TrashableModel, trash_index

MONEY = {"max_digits": 14, "decimal_places": 2}


class Reason(models.TextChoices):
    DEATH = "death", "Death"
    MOVED = "moved", "Moved away"
    FRIEND = "friend", "Buys from a friend"
    COMPETITOR = "competitor", "Sold by a competitor"
    PRODUCT_PRICE = "product_price", "Product or price"
    INDIFFERENCE = "indifference", "Perceived indifference"
    OTHER = "other", "Other"


class Control(models.TextChoices):
    NONE = "none", "None"
    LITTLE = "little", "Little"
    SOME = "some", "Some"
    TOTAL = "total", "Total"


# reason -> (published share in percent, how much of it is in our control)
PUBLISHED: dict[str, tuple[int, str]] = {
    Reason.DEATH: (1, Control.NONE),
    Reason.MOVED: (3, Control.NONE),
    Reason.FRIEND: (5, Control.LITTLE),
    Reason.COMPETITOR: (9, Control.SOME),
    Reason.PRODUCT_PRICE: (14, Control.SOME),
    Reason.INDIFFERENCE: (68, Control.TOTAL),
}
# The reasons we can do something about: a customer lost to one of them could have been kept.
IN_OUR_CONTROL = frozenset(r for r, (_, c) in PUBLISHED.items() if c in {"some", "total"})

# The same reasons as a customer reads them on the exit survey.
PLAIN_WORDS: dict[str, str] = {
    Reason.DEATH: "Someone passed away, or the business closed",
    Reason.MOVED: "We moved away",
    Reason.FRIEND: "We now buy from a friend or relative",
    Reason.COMPETITOR: "Another company won us over",
    Reason.PRODUCT_PRICE: "The product or the price was not right for us",
    Reason.INDIFFERENCE: "We felt you did not care about us any more",
    Reason.OTHER: "Something else",
}


def control_of(reason: str) -> str:
    """The control level of a reason; "" for "other" (unknown until read)."""
    return PUBLISHED.get(reason, (0, ""))[1]


class WouldReturn(models.TextChoices):
    UNANSWERED = "", "Not answered"
    YES = "yes", "Yes"
    MAYBE = "maybe", "Maybe"
    NO = "no", "No"


class Departure(TrashableModel):
    """One customer period that ended. A customer who comes back and leaves again has two;
    the company itself is never removed, it becomes a former customer. A departure recorded
    by mistake goes to the trash (the company is a customer again) and can be restored."""

    company = models.ForeignKey(
        "people.Company", on_delete=models.CASCADE, related_name="departures"
    )
    contact = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who we dealt with: the exit survey is for them.",
    )
    departed_on = models.DateField()
    # The start of the customer period that ended (the company's "customer since" then),
    # so that a customer won again keeps both periods.
    customer_since = models.DateField(null=True, blank=True, editable=False)
    reason = models.CharField(
        max_length=20, choices=Reason.choices, verbose_name="why they left (our guess)"
    )
    reason_other = models.CharField(max_length=300, blank=True, verbose_name="other reason")
    note = models.TextField(blank=True, max_length=5_000)
    # What they were worth in the year before they left (won deals closed then): the figures
    # the "why ours leave" page sums, kept so it needs no scan of every deal.
    lost_yearly_revenue = models.DecimalField(default=Decimal("0"), editable=False, **MONEY)
    lost_yearly_profit = models.DecimalField(default=Decimal("0"), editable=False, **MONEY)
    # The customer's own answer, from the exit survey: never mixed with our guess.
    customer_reason = models.CharField(max_length=20, choices=Reason.choices, blank=True)
    customer_reason_other = models.CharField(max_length=300, blank=True)
    customer_could_have_done = models.TextField(blank=True, max_length=5_000)
    customer_would_return = models.CharField(
        max_length=5, choices=WouldReturn.choices, blank=True, default=""
    )
    customer_may_contact = models.BooleanField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Copied from the company (who may see it, whether it is in the trash), so that "why ours
    # leave" reads one index without looking up 10,000 companies; kept by
    # purchase_summary.company_copied on every save of the company, set when a departure is
    # recorded, and checked by the nightly recount.
    company_alive = models.BooleanField(default=True, editable=False)
    company_private = models.BooleanField(default=False, editable=False)
    company_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        editable=False,
    )

    history = HistoricalRecords(
        excluded_fields=["updated_at", "company_alive", "company_private", "company_owner"],
        no_db_index=["company", "contact", "created_by", "updated_by", "deleted_by"],
    )

    class Meta:
        ordering = ["-departed_on", "-id"]
        indexes = [
            models.Index(fields=["departed_on", "reason"], name="departure_date_reason_idx"),
            models.Index(fields=["company", "departed_on"], name="departure_company_idx"),
            trash_index("departure_trash_idx"),
            # "Why ours leave": a period's departures by reason, answer and value, from the
            # index alone; and the ones lost in our control, most profitable first.
            models.Index(
                fields=[
                    "departed_on",
                    "reason",
                    "customer_reason",
                    "lost_yearly_revenue",
                    "lost_yearly_profit",
                    "company_private",
                    "company_owner",
                    "company_alive",
                    "deleted_at",
                ],
                condition=Q(company_alive=True, deleted_at__isnull=True),
                name="departure_period_idx",
            ),  # fmt: skip
            models.Index(
                fields=["-lost_yearly_profit", "-departed_on", "-id"],
                condition=Q(company_alive=True, deleted_at__isnull=True),
                name="departure_lost_profit_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=Reason.values), name="departure_reason_valid"
            ),
            models.CheckConstraint(
                condition=Q(customer_reason="") | Q(customer_reason__in=Reason.values),
                name="departure_customer_reason_valid",
            ),
            models.CheckConstraint(
                condition=~Q(reason="other") | ~Q(reason_other=""),
                name="departure_other_has_words",
            ),
        ]

    # Seen by whoever sees the company: the access helpers read these.
    @property
    def is_private(self) -> bool:
        return self.company.is_private

    @property
    def owner_id(self) -> int | None:
        return self.company.owner_id

    def __str__(self) -> str:
        return f"{self.company} left on {self.departed_on:%Y-%m-%d}"

    @property
    def reason_label(self) -> str:
        if self.reason == Reason.OTHER and self.reason_other:
            return f"Other: {self.reason_other}"
        return self.get_reason_display()

    @property
    def customer_reason_label(self) -> str:
        if not self.customer_reason:
            return ""
        if self.customer_reason == Reason.OTHER and self.customer_reason_other:
            return f"Other: {self.customer_reason_other}"
        return self.get_customer_reason_display()

    @property
    def reason_control(self) -> str:
        return control_of(self.reason)

    @property
    def known_reason(self) -> str:
        """The customer's answer when there is one, else our guess."""
        return self.customer_reason or self.reason

    @property
    def control(self) -> str:
        return control_of(self.known_reason)
