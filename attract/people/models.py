"""Companies and the persons who work there: the records every later part of Attract hangs on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

# BulkChange moved to core (all lists act on many through it); named here for old imports.
from attract.core.models import BulkAction, BulkChange, TrashableModel, trash_index  # noqa: F401


class Tag(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="tag_name_ci_unique")]

    def __str__(self) -> str:
        return self.name


class Relationship(models.TextChoices):
    PROSPECT = "prospect", "Prospect"
    CUSTOMER = "customer", "Customer"
    FORMER_CUSTOMER = "former_customer", "Former customer"
    PARTNER = "partner", "Partner"


class CompanySize(models.TextChoices):
    SOLO = "1", "Just one person"
    SMALL = "2-10", "2–10"
    MEDIUM = "11-50", "11–50"
    LARGE = "51-250", "51–250"
    ENTERPRISE = "251+", "More than 250"


# Columns of the history tables nothing looks up: the history is read by record (id) and by
# date, so these indexes would only slow down every write (an import writes 70,000 rows).
HISTORY_UNINDEXED = ["owner", "created_by", "updated_by", "deleted_by", "merged_into", "company"]


class Company(TrashableModel):
    name = models.CharField(max_length=200)
    website = models.URLField(max_length=300, blank=True)
    industry = models.CharField(max_length=100, blank=True)
    size = models.CharField(max_length=10, choices=CompanySize.choices, blank=True)
    street = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=100, blank=True)
    relationship = models.CharField(
        max_length=20, choices=Relationship.choices, default=Relationship.PROSPECT
    )
    customer_since = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True, max_length=20_000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_companies",
    )
    is_private = models.BooleanField(
        default=False, help_text="Only the owner sees a private company."
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="companies")
    # Lower-cased, accent-free name for fast, forgiving search; kept by the services.
    search_name = models.CharField(max_length=200, editable=False, db_index=True, default="")
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    # The record's id in the CRM it was imported from (a Salesforce Account's Id), so that
    # records imported later (opportunities) find it through their AccountId.
    source_id = models.CharField(max_length=100, blank=True, default="", editable=False)

    history = HistoricalRecords(
        m2m_fields=[tags],
        excluded_fields=["search_name", "updated_at"],
        no_db_index=HISTORY_UNINDEXED,
    )

    class Meta:
        ordering = ["search_name", "id"]
        verbose_name_plural = "companies"
        indexes = [
            models.Index(
                fields=["source_id"],
                name="company_source_idx",
                condition=~models.Q(source_id=""),
            ),
            models.Index(fields=["relationship", "search_name"], name="company_rel_name_idx"),
            models.Index(fields=["owner", "search_name"], name="company_owner_name_idx"),
            models.Index(fields=["-created_at"], name="company_created_idx"),
            trash_index("company_trash_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(relationship__in=[r.value for r in Relationship]),
                name="company_relationship_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        parts = [self.street, " ".join(p for p in [self.postal_code, self.city] if p), self.country]
        return ", ".join(p for p in parts if p)


class Person(TrashableModel):
    # Names are free text in any script; no assumptions about which part is the family name.
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    job_title = models.CharField(max_length=150, blank=True)
    company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.SET_NULL, related_name="persons"
    )
    notes = models.TextField(blank=True, max_length=20_000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_persons",
    )
    is_private = models.BooleanField(
        default=False, help_text="Only the owner sees a private person."
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="persons")
    # They asked not to be e-mailed: every send from Attract refuses them, one or in bulk.
    do_not_email = models.BooleanField(default=False, verbose_name="do not e-mail")
    search_name = models.CharField(max_length=210, editable=False, db_index=True, default="")
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    # The person's id in the CRM they were imported from (a Salesforce Contact's Id), so that
    # a later file of the same contacts finds them by it.
    source_id = models.CharField(max_length=100, blank=True, default="", editable=False)

    history = HistoricalRecords(
        m2m_fields=[tags],
        excluded_fields=["search_name", "updated_at"],
        no_db_index=HISTORY_UNINDEXED,
    )

    class Meta:
        ordering = ["search_name", "id"]
        indexes = [
            models.Index(
                fields=["source_id"], name="person_source_idx", condition=~models.Q(source_id="")
            ),
            models.Index(fields=["owner", "search_name"], name="person_owner_name_idx"),
            models.Index(fields=["company", "search_name"], name="person_company_name_idx"),
            models.Index(fields=["-created_at"], name="person_created_idx"),
            trash_index("person_trash_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(first_name="", last_name=""), name="person_has_a_name"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in [self.first_name, self.last_name] if p)


class EmailAddress(models.Model):
    """One of a person's email addresses, stored normalised (lower-case domain and local part)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="emails")
    email = models.EmailField(max_length=254)
    label = models.CharField(max_length=30, blank=True)
    is_primary = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_primary", "id"]
        constraints = [
            # An address belongs to one person, even one in the trash: restoring must never
            # create a duplicate.
            models.UniqueConstraint(Lower("email"), name="email_address_unique"),
        ]

    def __str__(self) -> str:
        return self.email


class PhoneNumber(models.Model):
    """One of a person's phone numbers, stored in E.164 (+14155550123, +14155550100;ext=12)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones")
    # E.164 (at most 16 characters) and an extension in RFC 3966's form (;ext=4601).
    number = models.CharField(max_length=32, db_index=True)
    label = models.CharField(max_length=30, blank=True)
    is_primary = models.BooleanField(default=False)

    history = HistoricalRecords(no_db_index=["number"])  # looked up by person, never by number

    class Meta:
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "number"], name="phone_unique_per_person"),
        ]

    def __str__(self) -> str:
        return self.number


class UnreadableKind(models.TextChoices):
    PHONE = "phone", "not a valid number"
    EMAIL = "email", "not a valid address"


class UnreadableValue(models.Model):
    """A phone number or email address that could not be read (an import's "+1 555 CALL-NOW"),
    kept as written on the person rather than losing the person or the value: shown marked,
    found by search, fixed by hand later."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="unreadable")
    kind = models.CharField(max_length=10, choices=UnreadableKind.choices)
    text = models.CharField(max_length=300)
    reason = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=UnreadableKind.values), name="unreadable_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.text} ({self.get_kind_display()})"
