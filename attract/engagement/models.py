"""Every touch with a prospect or customer (interactions), the verdict overrides of the honest
pipeline review, per-user daily goals, tasks and the private calendar feed of tasks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from attract.core.models import TrackedModel, TrashableModel, trash_index


class Channel(models.TextChoices):
    CALL = "call", "Call"
    EMAIL = "email", "Email"
    MEETING = "meeting", "Meeting"
    VISIT = "visit", "Visit"
    MESSAGE = "message", "Message"
    LETTER = "letter", "Letter"
    EVENT = "event", "Event"


class Direction(models.TextChoices):
    THEY_REACHED_OUT = "they_reached_out", "They reached out"
    THEY_REPLIED = "they_replied", "They replied"
    WE_REACHED_OUT = "we_reached_out", "We reached out"
    WE_REPLIED = "we_replied", "We replied"


INBOUND = (Direction.THEY_REACHED_OUT, Direction.THEY_REPLIED)
OUTBOUND = (Direction.WE_REACHED_OUT, Direction.WE_REPLIED)
# A spoken conversation counts toward the daily conversations goal; an email does not.
CONVERSATION_CHANNELS = (Channel.CALL, Channel.MEETING, Channel.VISIT)


class Verdict(models.TextChoices):
    PULL = "pull", "Pull"
    PUSH = "push", "Push"


class Interaction(TrashableModel):
    # Deleted to the trash (restorable, with Undo): `objects` hides trashed interactions from
    # every timeline, signal, goal count and answer clock; restoring brings them back.

    channel = models.CharField(max_length=10, choices=Channel.choices)
    direction = models.CharField(max_length=20, choices=Direction.choices)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    company = models.ForeignKey(
        "people.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    deal = models.ForeignKey(
        "pipeline.Deal", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    occurred_at = models.DateTimeField(default=timezone.now)
    summary = models.CharField(max_length=500)
    outcome = models.CharField(max_length=500, blank=True)
    # An inbound message that needs an answer starts the response clock; our next outbound
    # to the same person (or company) stops it.
    needs_reply = models.BooleanField(default=False)
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Working seconds (Monday–Friday, 9:00–17:00 in the answerer's time zone) from arrival to
    # our answer, stored by the service that stops the clock, so that response times are
    # counted without computing a calendar per message at read time (see ResponseDay).
    response_seconds = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # For "they replied": how long after our last outbound to them, measured when logged, so
    # that the quick-reply rule needs no scan of earlier interactions at read time.
    reply_after = models.DurationField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["deal", "occurred_at"], name="interaction_deal_time_idx"),
            models.Index(fields=["person", "occurred_at"], name="interaction_person_time_idx"),
            models.Index(fields=["company", "occurred_at"], name="interaction_company_time_idx"),
            models.Index(fields=["created_by", "occurred_at"], name="interaction_author_time_idx"),
            models.Index(
                fields=["occurred_at"],
                condition=models.Q(needs_reply=True, answered_at__isnull=True),
                name="interaction_awaiting_idx",
            ),
            trash_index("interaction_trash_idx"),
            models.Index(fields=["answered_by", "answered_at"], name="interaction_answered_idx"),
            # Pull signals of a window, read from the signals' side (review shares).
            models.Index(
                fields=["direction", "occurred_at", "deal", "reply_after"],
                name="interaction_signal_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False)
                | models.Q(company__isnull=False)
                | models.Q(deal__isnull=False),
                name="interaction_names_someone",
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=Channel.values), name="interaction_channel_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(direction__in=Direction.values),
                name="interaction_direction_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.summary}"

    @property
    def is_inbound(self) -> bool:
        return self.direction in INBOUND

    @property
    def counterpart_name(self) -> str:
        """Who it was with, in the most specific words we have."""
        if self.person_id:
            return self.person.full_name
        return self.company.name if self.company_id else self.deal.title


class VerdictOverride(TrackedModel):
    """A seller's own call on a deal, with the reason they wrote; the history keeps every one."""

    deal = models.OneToOneField(
        "pipeline.Deal", on_delete=models.CASCADE, related_name="verdict_override"
    )
    verdict = models.CharField(max_length=4, choices=Verdict.choices)
    reason = models.TextField(max_length=2_000)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(verdict__in=Verdict.values), name="override_verdict_valid"
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="override_has_reason"),
        ]


class DealSignal(models.Model):
    """When the prospect of a deal last pulled (reached out, or replied quickly), kept in step
    with every save and delete of an interaction, so that the review never scans a million of
    them. The verdict itself depends on the clock (a Pull turns into Push once the window has
    passed), so it is never stored: it is `last_pull_at > now - window`, decided in SQL when
    read. Deals that never pulled have no row (they are Push).

    The deal's owner, privacy and openness are copied here (kept in step when a deal is saved)
    so that the share of Pull per owner is counted from this table's index alone. Changing
    ATTRACT_QUICK_REPLY_HOURS, or writing deals or interactions in bulk, needs
    `attract engagement_refresh`."""

    deal = models.OneToOneField(
        "pipeline.Deal",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="engagement_signal",
    )
    last_pull_at = models.DateTimeField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    is_private = models.BooleanField(default=False)
    is_open = models.BooleanField(default=True)

    class Meta:
        indexes = [
            # The share of Pull: open rows, per owner and privacy, pulled since the cut-off.
            models.Index(
                fields=["is_open", "owner", "is_private", "last_pull_at"],
                name="dealsignal_share_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Deal {self.deal_id}: last pull {self.last_pull_at:%Y-%m-%d %H:%M}"


class PullShareWeek(models.Model):
    """The share of Pull as it stood at the end of a past week, judged once on the signals known
    then and kept: the week-by-week chart reads a handful of rows instead of re-judging every
    deal at every week's end. `counts` holds [owner id, is private, pull, open] rows, so each
    user sums only what they may see. A back-dated interaction removes the weeks it changes;
    they are judged again on the next visit."""

    week_end = models.DateTimeField(unique=True)
    counts = models.JSONField(default=list)
    computed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Pull share at {self.week_end:%Y-%m-%d}"


class ResponseDay(models.Model):
    """How many answers a user gave on one day (UTC), per waiting time in tenths of a working
    hour (a started tenth counts, the conservative truth): the response times of the last 30
    days are read from a few thousand of these rows however many messages were answered.
    Kept in step with every answer, edit, trash and restore of an answered message (services
    and receivers); `attract engagement_refresh` counts them again from the messages."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    tenths = models.PositiveIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day", "tenths"], name="responseday_unique"),
        ]
        indexes = [
            # The window's rows, read from the index alone.
            models.Index(fields=["day", "user", "tenths", "count"], name="responseday_window_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day} {self.tenths / 10} h: {self.count}"


class GoalKind(models.TextChoices):
    CONVERSATIONS = "conversations", "Conversations with prospects"
    QUOTES = "quotes", "New quotes sent"
    THANK_YOU_LETTERS = "thank_you_letters", "Thank-you letters to previous customers"


class Period(models.TextChoices):
    DAY = "day", "a day"
    WEEK = "week", "a week"


# kind: (target, period) when a user has not set their own.
DEFAULT_GOALS: dict[str, tuple[int, str]] = {
    GoalKind.CONVERSATIONS: (5, Period.DAY),
    GoalKind.QUOTES: (1, Period.DAY),
    GoalKind.THANK_YOU_LETTERS: (3, Period.WEEK),
}


class Goal(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=GoalKind.choices)
    target = models.PositiveSmallIntegerField()

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="goal_one_per_kind"),
            models.CheckConstraint(condition=models.Q(target__lte=1000), name="goal_target_max"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.target}"


class GoalDay(models.Model):
    """How many goal-counting interactions a user logged on one of their local days: kept in
    step with every save and delete of an interaction (the day taken in the author's time zone,
    the kind from the company's relationship at that time), so that goals, streaks and the
    history read a few rows instead of every interaction of the last months. Quotes are counted
    from the quotes themselves. `attract engagement_refresh` counts them all again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    kind = models.CharField(max_length=20, choices=GoalKind.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day", "kind"], name="goalday_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day} {self.kind}: {self.count}"


class Task(TrashableModel):
    # Deleted to the trash (restorable, with Undo): `objects` hides trashed tasks from the
    # tasks page, Today and the calendar feed.

    title = models.CharField(max_length=300)
    due_at = models.DateTimeField()
    # Exactly one of person, company, deal (explicit foreign keys, no generic relation).
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    company = models.ForeignKey(
        "people.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    deal = models.ForeignKey(
        "pipeline.Deal", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="engagement_tasks"
    )
    done_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Doing this task counts toward the assignee's goal of this kind on the day it is done
    # (a thank-you to a referrer is a thank-you letter).
    counts_toward = models.CharField(
        max_length=20, choices=GoalKind.choices, blank=True, default="", editable=False
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["assignee", "done_at", "due_at"], name="task_assignee_due_idx"),
            trash_index("task_trash_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, company__isnull=True, deal__isnull=True)
                | models.Q(person__isnull=True, company__isnull=False, deal__isnull=True)
                | models.Q(person__isnull=True, company__isnull=True, deal__isnull=False),
                name="task_linked_to_exactly_one",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return not self.is_done and self.due_at < timezone.now()

    @property
    def subject(self):
        return self.person or self.company or self.deal


class CalendarFeed(models.Model):
    """The secret in a user's private calendar URL; resetting it kills the old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
