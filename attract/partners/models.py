"""Partners we collaborate with (companies or persons, competitors too), their own perfect-
client definition, the steps of each alliance, and the referrals that go both ways."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from attract.core.models import TrackedModel, TrashableModel, trash_index

# Our confidence in a partner, on each of three counts, from 1 (none) to 5 (complete):
# our reputation goes with every referral we make to them.
CONFIDENCE = [MinValueValidator(1), MaxValueValidator(5)]


class Partner(TrashableModel):
    """A company or a person we collaborate with. Exactly one of the two is named; the
    partner's name is theirs, so renaming the company renames the partner."""

    company = models.ForeignKey(
        "people.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    is_competitor = models.BooleanField(
        default=False, help_text="They sell what we sell: referrals still go to them."
    )
    offers_same = models.TextField(
        blank=True, max_length=5_000, verbose_name="what they offer that we offer too"
    )
    offers_different = models.TextField(
        blank=True, max_length=5_000, verbose_name="what they offer that we do not"
    )
    where_we_meet = models.TextField(
        blank=True,
        max_length=2_000,
        verbose_name="where we meet",
        help_text="Associations, events, groups.",
    )
    confidence_ability = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=CONFIDENCE, verbose_name="ability to do the work"
    )
    confidence_account = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=CONFIDENCE, verbose_name="care of the account"
    )
    confidence_ethics = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=CONFIDENCE, verbose_name="acting ethically"
    )
    notes = models.TextField(blank=True, max_length=20_000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_partners",
    )
    is_private = models.BooleanField(
        default=False, help_text="Only the owner sees a private partner."
    )

    # Referral figures each way, team totals out of the trash, stored (partner_figures.py)
    # so that the list reads fifty rows instead of aggregating every referral of the page.
    in_count = models.PositiveIntegerField(default=0, editable=False)
    out_count = models.PositiveIntegerField(default=0, editable=False)
    in_customers = models.PositiveIntegerField(default=0, editable=False)
    out_customers = models.PositiveIntegerField(default=0, editable=False)
    in_value = models.DecimalField(max_digits=16, decimal_places=2, default=0, editable=False)
    out_value = models.DecimalField(max_digits=16, decimal_places=2, default=0, editable=False)
    in_won_revenue = models.DecimalField(max_digits=16, decimal_places=2, default=0, editable=False)
    out_won_revenue = models.DecimalField(
        max_digits=16, decimal_places=2, default=0, editable=False
    )
    in_won_profit = models.DecimalField(max_digits=16, decimal_places=2, default=0, editable=False)
    out_won_profit = models.DecimalField(max_digits=16, decimal_places=2, default=0, editable=False)
    last_referred_on = models.DateField(null=True, blank=True, editable=False)

    history = HistoricalRecords(
        excluded_fields=[
            "updated_at",
            *(
                f"{side}_{name}"
                for side in ("in", "out")
                for name in ("count", "customers", "value", "won_revenue", "won_profit")
            ),
            "last_referred_on",
        ],  # fmt: skip
        no_db_index=["owner", "created_by", "updated_by", "deleted_by", "company", "person"],
    )

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["-in_count", "id"], name="partner_referred_in_idx"),
            models.Index(fields=["-out_count", "id"], name="partner_referred_out_idx"),
            models.Index(fields=["owner", "is_private"], name="partner_owner_idx"),
            models.Index(fields=["-created_at"], name="partner_created_idx"),
            trash_index("partner_trash_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(company__isnull=False) & Q(person__isnull=True))
                | (Q(company__isnull=True) & Q(person__isnull=False)),
                name="partner_is_company_or_person",
            ),
            # One partner record per company or person, counting the trash: restoring must
            # never make two.
            models.UniqueConstraint(fields=["company"], name="partner_company_unique"),
            models.UniqueConstraint(fields=["person"], name="partner_person_unique"),
        ]

    def __str__(self) -> str:
        return str(self.company or self.person)

    @property
    def subject(self):
        return self.company or self.person

    @property
    def kind(self) -> str:
        return "company" if self.company_id else "person"


class LineKind(models.TextChoices):
    """The parts of a perfect-client definition, written the way the partner would."""

    QUALITY = "quality", "Quality"
    INDUSTRY = "industry", "Industry"
    SIZE = "size", "Size"
    PLACE = "place", "Place"
    BUDGET = "budget", "Budget"
    OFFER = "offer", "What they do that we don't"


class Mark(models.TextChoices):
    UNMARKED = "", "Not marked yet"
    OVERLAP = "overlap", "Overlap"
    COMPLEMENT = "complement", "Complement"


class DefinitionLine(TrackedModel):
    """One line of a partner's perfect-client definition, marked by us as overlapping ours
    (we would compete for that client) or complementing it (a client to send them)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=10, choices=LineKind.choices, default=LineKind.QUALITY)
    text = models.CharField(max_length=300)
    mark = models.CharField(max_length=10, choices=Mark.choices, blank=True, default="")
    position = models.IntegerField(default=0)
    # Removed lines are kept (history, and what a referral matched at the time).
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # A budget line read as the range it welcomes (budgets.budget_range), set with the text:
    # the database compares a prospect's budget with it. Both empty: no figure in the line.
    budget_min = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    budget_max = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=LineKind.values), name="partner_line_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(mark__in=Mark.values), name="partner_line_mark_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Step(models.TextChoices):
    """Alliances grow in steps, starting with something low-risk. The order is the growth."""

    IDENTIFIED = "identified", "Identified"
    GETTING_TO_KNOW = "getting_to_know", "Getting to know each other"
    FIRST_PROJECT = "first_project", "First joint project"
    EXPANDED = "expanded", "Expanded"


STEP_ORDER: tuple[str, ...] = tuple(Step.values)


class AllianceStep(TrackedModel):
    """A step the alliance with a partner reached, when, what we learned, what to do next."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=20, choices=Step.choices)
    reached_on = models.DateField()
    learned = models.TextField(blank=True, max_length=5_000, verbose_name="what we learned")
    next_step = models.TextField(blank=True, max_length=2_000, verbose_name="next step suggested")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["reached_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(step__in=STEP_ORDER), name="alliance_step_valid"),
            models.UniqueConstraint(fields=["partner", "step"], name="alliance_step_once"),
        ]

    def __str__(self) -> str:
        return self.get_step_display()


class Direction(models.TextChoices):
    OUT = "out", "Referred out"  # we sent a prospect to the partner
    IN = "in", "Referred in"  # the partner sent one to us


class Referral(TrashableModel):
    """A prospect or deal sent to a partner, or received from one. The subject is a deal, a
    person or a company (exactly one, as with tasks and notes).

    What came of it: a deal referred in says so itself (won or not, its revenue and cost);
    for any other referral — above all one referred out, whose sale is the partner's — we
    record whether the prospect became a customer, and the revenue and profit it brought."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="referrals")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    deal = models.ForeignKey(
        "pipeline.Deal", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    company = models.ForeignKey(
        "people.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    referred_on = models.DateField()
    reason = models.TextField(blank=True, max_length=2_000)
    # What the referral was worth when made (the deal's revenue, or an estimate).
    value = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    # Unknown (None) until we hear; referred out: they became the partner's customer.
    became_customer = models.BooleanField(null=True, blank=True, verbose_name="became a customer")
    won_revenue = models.DecimalField(
        max_digits=14, decimal_places=2, default=Decimal("0"), verbose_name="revenue won"
    )
    # A loss is a profit below zero.
    won_profit = models.DecimalField(
        max_digits=14, decimal_places=2, default=Decimal("0"), verbose_name="profit won"
    )

    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        no_db_index=["created_by", "updated_by", "deleted_by", "deal", "person", "company"],
    )

    class Meta:
        ordering = ["-referred_on", "-id"]
        indexes = [
            # Out of the trash only: the counts per partner (the list sorted by referrals)
            # then read the index alone, never the rows.
            models.Index(
                fields=["partner", "direction", "referred_on"],
                name="referral_partner_alive_idx",
                condition=Q(deleted_at__isnull=True),
            ),
            trash_index("referral_trash_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="referral_direction_valid"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="referral_value_not_negative"),
            models.CheckConstraint(
                condition=Q(won_revenue__gte=0), name="referral_won_revenue_not_negative"
            ),
            models.CheckConstraint(
                condition=(Q(deal__isnull=False) & Q(person__isnull=True) & Q(company__isnull=True))
                | (Q(deal__isnull=True) & Q(person__isnull=False) & Q(company__isnull=True))
                | (Q(deal__isnull=True) & Q(person__isnull=True) & Q(company__isnull=False)),
                name="referral_has_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()}: {self.subject}"

    @property
    def subject(self):
        return self.deal or self.person or self.company


CHALLENGE_DAYS = 21
# Referrals from the collaborators met are counted for this long after the challenge ends.
FOLLOW_UP_DAYS = 90


class Challenge(TrackedModel):
    """The 21-day challenge: for 21 days, meet or speak with a new potential collaborator
    each day. Days are the user's local days, counted from the day it was started."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="challenges"
    )
    started_on = models.DateField()

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["user", "-started_on"], name="challenge_user_idx")]

    def __str__(self) -> str:
        return f"21-day challenge from {self.started_on:%d %b %Y}"


class ChallengeMeeting(TrackedModel):
    """Who was met on one day of a challenge. A new collaborator each time: one person
    counts once per challenge, and one meeting per day counts."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="meetings")
    day = models.DateField()
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "day"], name="challenge_one_per_day"),
            models.UniqueConstraint(fields=["challenge", "person"], name="challenge_new_each_time"),
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.person}"


# --- Joint initiatives and the topics we speak and write about ------------------------------


class Topic(TrashableModel):
    """A topic for speaking and writing: in our field, one we enjoy, and one our perfect
    customers want to hear about. Initiatives pick one; the list says which used it."""

    name = models.CharField(max_length=200)
    notes = models.TextField(
        blank=True, max_length=5_000, help_text="What to say, the angle, the articles that used it."
    )
    in_our_field = models.BooleanField(default=True, verbose_name="in our field")
    we_enjoy = models.BooleanField(default=True, verbose_name="we enjoy it")
    customers_want = models.BooleanField(
        default=True, verbose_name="our perfect customers want to hear about it"
    )

    history = HistoricalRecords(
        excluded_fields=["updated_at"], no_db_index=["created_by", "updated_by", "deleted_by"]
    )

    class Meta:
        ordering = ["name", "id"]
        indexes = [trash_index("topic_trash_idx")]

    def __str__(self) -> str:
        return self.name


class InitiativeKind(models.TextChoices):
    SEMINAR = "seminar", "Seminar or workshop"
    HOST_BENEFICIARY = "host_beneficiary", "Host-beneficiary offer"
    FEATURE = "feature", "Newsletter, website or blog feature"
    CLIENT_MEETING = "client_meeting", "Joint client meeting"


class OurRole(models.TextChoices):
    """Which side we are. A host-beneficiary offer is always one of its two sides."""

    HOST = "host", "Host (our customers receive their offer)"
    BENEFICIARY = "beneficiary", "Beneficiary (their customers receive ours)"
    ORGANISER = "organiser", "Organiser"
    CO_ORGANISER = "co_organiser", "Co-organiser"
    SPEAKER = "speaker", "Speaker or guest"
    FEATURED = "featured", "Featured by them"
    FEATURING = "featuring", "Featuring them"


HOST_BENEFICIARY_ROLES = (OurRole.HOST, OurRole.BENEFICIARY)


class Initiative(TrashableModel):
    """Something done together with one or more partners. The people it brought in are
    linked from here (InitiativePerson), so the people app knows nothing of partners."""

    kind = models.CharField(max_length=20, choices=InitiativeKind.choices)
    title = models.CharField(max_length=200)
    held_on = models.DateField(verbose_name="date")
    partners = models.ManyToManyField(Partner, related_name="initiatives")
    our_role = models.CharField(max_length=20, choices=OurRole.choices, verbose_name="our role")
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="initiatives"
    )
    audience = models.PositiveIntegerField(
        default=0, verbose_name="audience reached", help_text="People who saw, read or attended."
    )
    notes = models.TextField(blank=True, max_length=20_000)
    # What it brought, stored so that the list can rank by it (figures.py keeps them: after
    # every change to the people it brought in and to their deals, and nightly). Team totals.
    people_count = models.PositiveIntegerField(default=0, editable=False)
    deal_count = models.PositiveIntegerField(default=0, editable=False)
    won_revenue = models.DecimalField(
        max_digits=16, decimal_places=2, default=Decimal("0"), editable=False
    )
    won_profit = models.DecimalField(
        max_digits=16, decimal_places=2, default=Decimal("0"), editable=False
    )

    history = HistoricalRecords(
        excluded_fields=["updated_at", "people_count", "deal_count", "won_revenue", "won_profit"],
        no_db_index=["created_by", "updated_by", "deleted_by", "topic"],
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["-held_on"], name="initiative_held_idx"),
            # The list ranked by what they brought: read in this order, a page at a time.
            models.Index(
                fields=["-won_profit", "-won_revenue", "-people_count", "-held_on", "-id"],
                name="initiative_brought_idx",
            ),
            trash_index("initiative_trash_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=InitiativeKind.values), name="initiative_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(our_role__in=OurRole.values), name="initiative_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class InitiativePerson(TrackedModel):
    """A person whose source is an initiative: one initiative per person at most."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="people")
    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="initiative_source"
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.person} ← {self.initiative}"


class Article(TrashableModel):
    """Something we wrote or said in public on a topic: where it was published and when. The
    topic list names the articles (and initiatives) that used each topic."""

    title = models.CharField(max_length=200)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="articles")
    published_on = models.DateField(verbose_name="date")
    where = models.CharField(
        max_length=200, blank=True, verbose_name="where published",
        help_text="A newsletter, a blog, a magazine, a podcast…",
    )  # fmt: skip
    link = models.URLField(max_length=500, blank=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        no_db_index=["created_by", "updated_by", "deleted_by", "topic"],
    )

    class Meta:
        ordering = ["-published_on", "-id"]
        indexes = [
            models.Index(fields=["topic", "-published_on"], name="article_topic_idx"),
            trash_index("article_trash_idx"),
        ]

    def __str__(self) -> str:
        return self.title
