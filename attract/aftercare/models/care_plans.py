"""Care plans: the steps a business takes with every customer after the sale, counted from the
day the customer was won (or their customer-since date), and each customer's own steps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from attract.core.models import TrackedModel, TrashableModel, trash_index

# A customer is a company, or a person who bought without one: exactly one is named.
ONE_CUSTOMER = (Q(company__isnull=False) & Q(person__isnull=True)) | (
    Q(company__isnull=True) & Q(person__isnull=False)
)


class Doer(models.TextChoices):
    """Who does a step: the person who won the deal, a named user, or the business owner in
    person (the personal touch)."""

    DEAL_OWNER = "deal_owner", "The deal's owner"
    USER = "user", "A named user"
    BUSINESS_OWNER = "business_owner", "The business owner in person"


class CarePlan(TrashableModel):
    """A sequence of steps, and which customers it is for. The first plan (by position) whose
    conditions a customer meets is theirs; a plan without conditions is for everyone."""

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=2_000)
    # Which customers: every condition set must hold.
    tag = models.ForeignKey(
        "people.Tag", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    relationship = models.CharField(max_length=20, blank=True)
    size = models.CharField(max_length=10, blank=True, verbose_name="company size")
    min_fit = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name="fit at least", help_text="0–100, blank for any fit."
    )
    # The rhythm of personal touches this plan promises: a customer not touched for longer
    # shows in the care signal.
    rhythm_days = models.PositiveSmallIntegerField(
        default=90, verbose_name="touch at least every (days)"
    )
    position = models.IntegerField(default=0)

    history = HistoricalRecords(
        excluded_fields=["updated_at"], no_db_index=["created_by", "updated_by", "deleted_by"]
    )

    class Meta:
        ordering = ["position", "id"]
        indexes = [trash_index("careplan_trash_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_fit__isnull=True) | Q(min_fit__lte=100), name="careplan_fit_range"
            ),
            models.CheckConstraint(condition=Q(rhythm_days__gte=1), name="careplan_rhythm_pos"),
        ]

    def __str__(self) -> str:
        return self.name

    # Plans are shared by the team: never private (the records they name carry the privacy).
    is_private = False
    owner_id = None


class CarePlanStep(TrackedModel):
    """One step of a plan: at `day` days after the start, or — repeating — every
    `repeat_months` months after it (plus `day` days), counted in calendar months so that a
    customer won on 31 January has a quarterly check-in on 30 April, 31 July, 31 October."""

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(max_length=200)
    day = models.IntegerField(default=0, verbose_name="day after the start")
    repeat_months = models.PositiveSmallIntegerField(
        default=0, verbose_name="repeat every (months)", help_text="0: once."
    )
    doer = models.CharField(max_length=20, choices=Doer.choices, default=Doer.DEAL_OWNER)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=10, default="call")
    position = models.IntegerField(default=0)
    # A step taken off the plan stays for the customers who already did it.
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["day", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(day__gte=0), name="careplanstep_day_not_negative"),
            models.CheckConstraint(
                condition=Q(doer__in=Doer.values), name="careplanstep_doer_valid"
            ),
            models.CheckConstraint(
                condition=~Q(doer=Doer.USER) | Q(user__isnull=False),
                name="careplanstep_user_named",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def when(self) -> str:
        if self.repeat_months:
            every = {1: "every month", 3: "every quarter", 12: "every year"}.get(
                self.repeat_months, f"every {self.repeat_months} months"
            )
            return every + (f", day {self.day}" if self.day else "")
        return f"day {self.day}"


class CustomerCare(models.Model):
    """A customer in care: the plan they follow from which date, and their care signal kept
    in step by the services (see care_signal.py) so that the at-risk list of 100,000
    customers is read through an index instead of counted per request."""

    company = models.OneToOneField(
        "people.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="care"
    )
    person = models.OneToOneField(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="care"
    )
    # The plan in the trash (or gone) leaves the customer their steps.
    plan = models.ForeignKey(
        CarePlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="customers"
    )
    started_on = models.DateField()
    deal = models.ForeignKey(
        "pipeline.Deal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The deal's owner, who does the "deal owner" steps.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The care signal and its evidence (refreshed by care_signal.refresh).
    profit = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    last_touch_at = models.DateTimeField(null=True, blank=True)
    last_owner_touch_at = models.DateTimeField(null=True, blank=True)
    days_untouched = models.PositiveIntegerField(default=0)
    slow_answers = models.PositiveIntegerField(default=0)
    broken_promises = models.PositiveIntegerField(default=0)
    bad_experiences = models.PositiveIntegerField(default=0)
    missed_steps = models.PositiveIntegerField(default=0)
    risk = models.PositiveIntegerField(default=0)  # 0: not at risk
    signal_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["-profit", "id"], condition=Q(risk__gt=0), name="care_at_risk_idx"
            ),
            models.Index(fields=["-risk", "id"], condition=Q(risk__gt=0), name="care_urgent_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=ONE_CUSTOMER, name="care_one_customer"),
        ]

    def __str__(self) -> str:
        return str(self.company or self.person)

    @property
    def customer(self):
        return self.company or self.person


class StepState(models.TextChoices):
    DONE = "done", "Done"
    DUE = "due", "Due"
    MISSED = "missed", "Missed"
    UPCOMING = "upcoming", "Upcoming"


# A step not done this many days after its date is missed (it was due until then).
MISSED_AFTER_DAYS = 7


class CareStep(models.Model):
    """One step a customer is due: a plan step's occurrence at its date, with who does it,
    the task it became and the interaction that did it."""

    care = models.ForeignKey(CustomerCare, on_delete=models.CASCADE, related_name="steps")
    plan_step = models.ForeignKey(
        CarePlanStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    occurrence = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    channel = models.CharField(max_length=10, default="call")
    due_on = models.DateField()
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_business_owner = models.BooleanField(default=False)
    task = models.ForeignKey(
        "engagement.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    interaction = models.ForeignKey(
        "engagement.Interaction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(max_length=500, blank=True)

    history = HistoricalRecords(
        no_db_index=["care", "plan_step", "assignee", "task", "done_by", "interaction"]
    )

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["care", "due_on"], name="carestep_care_due_idx"),
            models.Index(
                fields=["due_on", "assignee"],
                condition=Q(done_at__isnull=True),
                name="carestep_open_due_idx",
            ),
            models.Index(
                fields=["due_on"],
                condition=Q(done_at__isnull=True, task__isnull=True),
                name="carestep_untasked_idx",
            ),
            # A user's own steps due (the Care page): without it SQLite reads every step of
            # the assignee through the foreign key's index and sorts them.
            models.Index(
                fields=["assignee", "due_on"],
                condition=Q(done_at__isnull=True),
                name="carestep_mine_due_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["care", "plan_step", "occurrence"], name="carestep_occurrence_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def state(self, today) -> str:
        if self.done_at is not None:
            return StepState.DONE
        if self.due_on > today:
            return StepState.UPCOMING
        if (today - self.due_on).days > MISSED_AFTER_DAYS:
            return StepState.MISSED
        return StepState.DUE
