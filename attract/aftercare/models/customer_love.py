"""Love your customers: events just for them (who was invited, who came, what they learned,
what followed), offers of something new to existing customers (who was offered what, who
took it), visits to watch a customer use what we sell, and the ideas for new products or
services that come from them, linked to the customers who inspired them.

Events and ideas are the team's (like care plans): the customers they name carry their own
privacy, and a reader sees only those they may see. Offers and visits belong to one customer
and follow that customer's privacy."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from attract.aftercare.models.care_plans import ONE_CUSTOMER
from attract.core.models import TrackedModel, TrashableModel, trash_index


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", "Workshop"
    CELEBRATION = "celebration", "Celebration"
    PREVIEW = "preview", "Preview"
    OTHER = "other", "Other"


class CustomerEvent(TrashableModel):
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=EventKind.choices, default=EventKind.WORKSHOP)
    held_on = models.DateField()
    what_they_learned = models.TextField(max_length=5_000, blank=True)
    what_followed = models.TextField(max_length=5_000, blank=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"], no_db_index=["created_by", "updated_by", "deleted_by"]
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["-held_on", "-id"], name="custevent_held_idx"),
            trash_index("custevent_trash_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="custevent_kind")
        ]

    def __str__(self) -> str:
        return self.title

    # The team's: never private (its guests carry their own privacy).
    is_private = False
    owner_id = None


class EventGuest(TrackedModel):
    """A customer invited to an event; `came` is None until attendance is recorded."""

    event = models.ForeignKey(CustomerEvent, on_delete=models.CASCADE, related_name="guests")
    company = models.ForeignKey(
        "people.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    came = models.BooleanField(null=True, blank=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        no_db_index=["event", "company", "person", "created_by", "updated_by"],
    )

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["company"], name="eventguest_company_idx"),
            models.Index(fields=["person"], name="eventguest_person_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=ONE_CUSTOMER, name="eventguest_one_customer"),
            models.UniqueConstraint(
                fields=["event", "company"],
                condition=Q(company__isnull=False),
                name="eventguest_company_once",
            ),
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(person__isnull=False),
                name="eventguest_person_once",
            ),
        ]

    @property
    def customer(self):
        return self.company or self.person

    @property
    def is_private(self) -> bool:
        return self.customer.is_private

    @property
    def owner_id(self) -> int | None:
        return self.customer.owner_id


class OfferKind(models.TextChoices):
    PRODUCT = "product", "A new product"
    SERVICE = "service", "A new service"
    TERMS = "terms", "Special terms"


class OfferOutcome(models.TextChoices):
    OPEN = "open", "No answer yet"
    TAKEN = "taken", "Taken"
    DECLINED = "declined", "Declined"


class _OneCustomer(TrashableModel):
    company = models.ForeignKey(
        "people.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def customer(self):
        return self.company or self.person

    @property
    def is_private(self) -> bool:
        return self.customer.is_private

    @property
    def owner_id(self) -> int | None:
        return self.customer.owner_id


class Offer(_OneCustomer):
    kind = models.CharField(max_length=10, choices=OfferKind.choices, default=OfferKind.PRODUCT)
    what = models.CharField(max_length=200, verbose_name="what we offered")
    terms = models.CharField(max_length=500, blank=True)
    offered_on = models.DateField()
    outcome = models.CharField(
        max_length=10, choices=OfferOutcome.choices, default=OfferOutcome.OPEN
    )
    answered_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        no_db_index=["company", "person", "created_by", "updated_by", "deleted_by"],
    )

    class Meta:
        ordering = ["-offered_on", "-id"]
        indexes = [
            models.Index(fields=["company", "-offered_on"], name="offer_company_idx"),
            models.Index(fields=["person", "-offered_on"], name="offer_person_idx"),
            models.Index(fields=["-offered_on", "-id"], name="offer_date_idx"),
            trash_index("offer_trash_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=ONE_CUSTOMER, name="offer_one_customer"),
            models.CheckConstraint(condition=Q(kind__in=OfferKind.values), name="offer_kind"),
            models.CheckConstraint(
                condition=Q(outcome__in=OfferOutcome.values), name="offer_outcome"
            ),
        ]

    def __str__(self) -> str:
        return self.what


class Visit(_OneCustomer):
    """Watching a customer use what we sell, and what we learned."""

    visited_on = models.DateField()
    what_we_watched = models.CharField(max_length=500)
    what_we_learned = models.TextField(max_length=5_000, blank=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        no_db_index=["company", "person", "created_by", "updated_by", "deleted_by"],
    )

    class Meta:
        ordering = ["-visited_on", "-id"]
        indexes = [
            models.Index(fields=["company", "-visited_on"], name="visit_company_idx"),
            models.Index(fields=["person", "-visited_on"], name="visit_person_idx"),
            models.Index(fields=["-visited_on", "-id"], name="visit_date_idx"),
            trash_index("visit_trash_idx"),
        ]
        constraints = [models.CheckConstraint(condition=ONE_CUSTOMER, name="visit_one_customer")]

    def __str__(self) -> str:
        return self.what_we_watched


class IdeaStatus(models.TextChoices):
    NEW = "new", "New"
    CONSIDERING = "considering", "Considering"
    DOING = "doing", "Doing it"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class Idea(TrashableModel):
    """An idea for a new product or service, and the customers who inspired it."""

    title = models.CharField(max_length=200)
    description = models.TextField(max_length=5_000, blank=True)
    status = models.CharField(max_length=12, choices=IdeaStatus.choices, default=IdeaStatus.NEW)
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas",
        verbose_name="from the visit",
    )  # fmt: skip
    companies = models.ManyToManyField("people.Company", blank=True, related_name="+")
    persons = models.ManyToManyField("people.Person", blank=True, related_name="+")

    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        no_db_index=["visit", "created_by", "updated_by", "deleted_by"],
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="idea_status_idx"),
            trash_index("idea_trash_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=IdeaStatus.values), name="idea_status")
        ]

    def __str__(self) -> str:
        return self.title

    is_private = False
    owner_id = None
