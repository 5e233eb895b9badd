"""The world the persona walk runs in: six personas and, for every kind of record, one that a
persona may see and one that only some may (DESIGN.md §5, "Private means private through
every door").

Every record that some persona may not see carries a marker, a word found nowhere else, in
its name or text; `World.markers` says who may read each one. The walk fails when a marker
reaches anyone else, in a page, a JSON answer, an export or a CLI listing.

Records are made through the services, as a user would make them, so that everything the
app derives from them (history, outbox events and webhook deliveries, fit scores, search
names, stage moves, push/pull signals) exists too and is walked as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from attract.accounts.models import Role, User
from attract.accounts.services import api_token_create, invitation_create
from attract.accounts.tests.factories import UserFactory
from attract.attraction import services as plan_services
from attract.attraction.models import ExpectationCategory
from attract.core.saved_views import saved_view_create
from attract.engagement import services as engagement_services
from attract.jobs.tests.sample_tasks import create_user_then_fail
from attract.people.bulk import bulk_apply
from attract.people.models import Person
from attract.people.services import company_create, company_trash, person_create
from attract.pipeline.models import ToughQuestion
from attract.pipeline.services import deal_create, quote_create
from attract.transfer.importing import import_job_create
from attract.webhooks.dispatch import fan_out_events
from attract.webhooks.models import Subscription
from attract.webhooks.services import subscription_ping

# The personas, in the order failures are reported. The visitor is not signed in.
OWNER, ADMIN, MEMBER_A, MEMBER_B, VIEWER, VISITOR = (
    "owner",
    "admin",
    "member_a",
    "member_b",
    "viewer",
    "visitor",
)
PERSONAS = (OWNER, ADMIN, MEMBER_A, MEMBER_B, VIEWER, VISITOR)
SIGNED_IN = frozenset(PERSONAS) - {VISITOR}
MANAGERS = frozenset({OWNER, ADMIN})
WRITERS = frozenset({OWNER, ADMIN, MEMBER_A, MEMBER_B})

# Who may read what member A keeps to themself, and what member A did that the owner and
# admins oversee (an import), and what only the team's managers see (webhooks, invitations).
ONLY_A = frozenset({MEMBER_A})
A_AND_MANAGERS = frozenset({MEMBER_A}) | MANAGERS
ONLY_OWNER = frozenset({OWNER})

# Every marker starts with this, so that a leak of a marker the world forgot to declare is
# still caught (see World.forbidden_for).
MARKER_PREFIX = "zqmk"
# A marker starts a word: inside a random token (a page's CSRF token is 64 letters and
# digits) "zqmk" turns up by chance about once in a few walks, and is no leak.
MARKER_WORD = re.compile("(?<![a-z0-9])" + MARKER_PREFIX + "[a-z0-9]*")


@dataclass
class World:
    users: dict[str, User]
    tokens: dict[str, str]
    # kind -> {"shared": pk, "private": pk}; "private" is the record only `access[kind]` sees.
    records: dict[str, dict[str, object]] = field(default_factory=dict)
    access: dict[str, frozenset[str]] = field(default_factory=dict)
    markers: dict[str, frozenset[str]] = field(default_factory=dict)
    # Markers kept even out of the owner's full export: what only its author ever sees.
    personal: set[str] = field(default_factory=set)

    def add(self, kind: str, *, shared=None, private=None, seen_by=ONLY_A) -> None:
        self.records[kind] = {"shared": shared, "private": private}
        self.access[kind] = seen_by

    def mark(self, marker: str, seen_by: frozenset[str]) -> str:
        key = marker.lower()
        assert key.startswith(MARKER_PREFIX) and key not in self.markers, marker
        self.markers[key] = seen_by
        return marker

    def leaks(self, persona: str, text: str, *, backup: bool = False) -> list[str]:
        """The markers in `text` this persona must not be shown. Any word starting with the
        prefix counts unless it starts with a marker this persona may read, so a record the
        world forgot to declare is still caught. A `backup` (the full export) holds every
        record but the personal ones of others."""
        allowed = [
            marker
            for marker, seen_by in self.markers.items()
            if persona in seen_by or (backup and marker not in self.personal)
        ]
        found = set(MARKER_WORD.findall(text.lower()))
        return sorted(word for word in found if not word.startswith(tuple(allowed)))


def _users() -> dict[str, User]:
    roles = {
        OWNER: Role.OWNER,
        ADMIN: Role.ADMIN,
        MEMBER_A: Role.MEMBER,
        MEMBER_B: Role.MEMBER,
        VIEWER: Role.VIEWER,
    }
    names = {
        OWNER: "Olive Owner",
        ADMIN: "Adam Admin",
        MEMBER_A: "Alma Member",
        MEMBER_B: "Bert Member",
        VIEWER: "Vic Viewer",
    }
    return {
        persona: UserFactory(email=f"{persona}@walk.example", full_name=names[persona], role=role)
        for persona, role in roles.items()
    }


def build_world() -> World:
    users = _users()
    owner, a, b = users[OWNER], users[MEMBER_A], users[MEMBER_B]
    tokens = {}
    for persona, user in users.items():
        name = "zqmktokenname" if persona == MEMBER_A else f"{persona} token"
        tokens[persona] = api_token_create(user=user, name=name)[1]
    world = World(users=users, tokens=tokens)
    m = world.mark
    m("zqmktokenname", ONLY_A)

    # --- People: a private company and contact of member A, shared ones beside them.
    private_company = company_create(
        actor=a, name=m("Zqmkprivco", ONLY_A) + " Ltd", is_private=True, city="Zqmkprivcity"
    )
    m("zqmkprivcity", ONLY_A)
    private_person = person_create(
        actor=a,
        first_name=m("Zqmkprivfirst", ONLY_A),
        last_name=m("Zqmkprivlast", ONLY_A),
        company=private_company,
        is_private=True,
        emails=[m("zqmkprivmail", ONLY_A) + "@example.org"],
        phones=["+1 212 555 0199"],
        job_title=m("Zqmkprivjob", ONLY_A),
        # A tag used on private records only: its name is theirs too.
        tags=[m("zqmkprivtag", ONLY_A)],
        unreadable=[("email", m("zqmkprivbad", ONLY_A) + "@@", "not an address")],
    )
    shared_company = company_create(actor=a, name="Shared Works")
    shared_person = person_create(
        actor=a, first_name="Sam", last_name="Shared", company=shared_company
    )
    # A shared contact who works at the private company: others see "a private company".
    person_create(actor=a, first_name="Pat", last_name="Between", company=private_company)
    trashed = company_create(actor=a, name=m("Zqmktrashedco", ONLY_A), is_private=True)
    company_trash(actor=a, company=trashed)
    world.add("company", shared=shared_company.pk, private=private_company.pk)
    world.add("person", shared=shared_person.pk, private=private_person.pk)
    # A bulk change member A made on their private contact: undone only by them.
    change = bulk_apply(
        actor=a,
        model=Person,
        ids=[private_person.pk],
        action="add_tag",
        tag=m("zqmkbulktag", ONLY_A),
    )
    world.add("bulkchange", private=change.pk, seen_by=ONLY_A)
    world.add("trashed_company", private=trashed.pk)

    # --- Deals: a private one, and a shared one linked to the private company and contact.
    private_deal = deal_create(
        actor=a,
        title=m("Zqmkprivdeal", ONLY_A),
        company=private_company,
        contact=private_person,
        is_private=True,
        pain=m("zqmkprivpain", ONLY_A),
        revenue=Decimal("1000"),
    )
    deal_create(actor=a, title="Shared but linked", company=private_company, contact=private_person)
    shared_deal = deal_create(
        actor=a, title="Shared deal", company=shared_company, contact=shared_person
    )
    world.add("deal", shared=shared_deal.pk, private=private_deal.pk)
    world.add(
        "quote",
        shared=quote_create(actor=a, deal=shared_deal, amount="500", description="Shared").pk,
        private=quote_create(
            actor=a, deal=private_deal, amount="700", description=m("zqmkprivquote", ONLY_A)
        ).pk,
    )
    question = ToughQuestion.objects.create(
        text="What does it cost you not to act?", created_by=owner, updated_by=owner
    )
    world.add("tough_question", shared=question.pk)

    # --- Engagement: interactions and tasks on the private records.
    now = timezone.now()
    world.add(
        "interaction",
        shared=engagement_services.interaction_log(
            actor=a, channel="call", direction="they_reached_out", summary="Shared call",
            person=shared_person, deal=shared_deal,
        ).pk,
        private=engagement_services.interaction_log(
            actor=a, channel="email", direction="they_reached_out",
            summary=m("zqmkprivcall", ONLY_A), person=private_person, deal=private_deal,
            occurred_at=now - timedelta(days=2), needs_reply=True,
        ).pk,
    )  # fmt: skip
    engagement_services.interaction_log(
        actor=a, channel="call", direction="we_reached_out",
        summary=m("zqmkcompanycall", ONLY_A), company=private_company,
    )  # fmt: skip
    # An interaction about the private contact, in the trash: restored only by A.
    binned = engagement_services.interaction_log(
        actor=a, channel="letter", direction="we_reached_out",
        summary=m("zqmkbinnedcall", ONLY_A), person=private_person,
    )  # fmt: skip
    engagement_services.interaction_delete(actor=a, interaction=binned)
    world.add("trashed_interaction", private=binned.pk)
    world.add(
        "task",
        shared=engagement_services.task_create(
            actor=a, title="Shared task", due_at=now, person=shared_person, assignee=b
        ).pk,
        private=engagement_services.task_create(
            actor=a, title=m("zqmkprivtask", ONLY_A), due_at=now, deal=private_deal, assignee=a
        ).pk,
    )
    binned_task = engagement_services.task_create(
        actor=a, title=m("zqmkbinnedtask", ONLY_A), due_at=now, person=private_person
    )
    engagement_services.task_trash(actor=a, task=binned_task)
    world.add("trashed_task", private=binned_task.pk)
    # Member A hands member B a task about the private deal: B sees the task, not the deal.
    engagement_services.task_create(
        actor=a, title="Prepare the offer", due_at=now, deal=private_deal, assignee=b
    )
    engagement_services.verdict_override_set(
        actor=a, deal=private_deal, verdict="pull", reason=m("zqmkprivverdict", ONLY_A)
    )
    # Member B's own feed: a calendar feed is its holder's secret, like a token.
    world.add("calendar_feed", shared=engagement_services.calendar_feed_for(user=b).token)

    # --- The plan (the team's), and what is assessed against it about the private records.
    quality = plan_services.quality_create(actor=owner, text="Pays on time")
    expectation = plan_services.expectation_create(
        actor=owner,
        text="Delivery within 48 hours",
        category=ExpectationCategory.SERVICES,
        metric="delivery time",
        value="48",
        unit="hours",
        better="lower",
    )
    plan_services.assessment_set(actor=a, quality=quality, answer="yes", company=private_company)
    plan_services.assessment_set(actor=a, quality=quality, answer="no", person=private_person)
    plan_services.requirement_set(
        actor=a, expectation=expectation, value="24", note=m("zqmkprivneed", ONLY_A),
        company=private_company,
    )  # fmt: skip
    world.add("quality", shared=quality.pk)
    world.add("expectation", shared=expectation.pk)
    world.add(
        "plan_question",
        shared=plan_services.question_create(actor=owner, text="Why do they get up?").pk,
    )
    world.add(
        "complaint",
        shared=plan_services.complaint_create(
            actor=a, text="Haggled over every invoice", company=private_company
        ).pk,
    )
    world.add(
        "trait",
        shared=plan_services.trait_create(
            actor=owner, less_than_perfect="Late payer", opposite="Pays early"
        ).pk,
    )
    plan_services.plan_revision_create(actor=owner, note="First version")
    world.add(
        "note",
        private=plan_services.thank_you_note_create(
            actor=a, text=m("zqmknotetext", ONLY_A), to_whom=m("Zqmknoteto", ONLY_A)
        ).pk,
    )
    world.personal |= {"zqmknotetext", "zqmknoteto"}
    # A saved view is its user's own: no one else reads, renames or deletes it.
    saved = saved_view_create(
        actor=a, list_name="deals", name=m("Zqmksavedview", ONLY_A), query="stage=interest"
    )
    world.add("saved_view", private=saved.pk, seen_by=ONLY_A)
    plan_services.thank_you_note_create(
        actor=owner, text=m("zqmkownernote", ONLY_OWNER), to_whom="A previous customer"
    )

    # --- An import member A started: they and the team's managers see it.
    csv = b"First name,Last name,Email\nZqmkimportrow,Person,imp@example.org\n"
    job = import_job_create(
        actor=a, kind="persons", file_name="zqmkimportfile.csv", chunks=iter([csv])
    )
    m("zqmkimportrow", A_AND_MANAGERS)
    m("zqmkimportfile", A_AND_MANAGERS)
    world.add("import", private=job.pk, seen_by=A_AND_MANAGERS)

    # --- Team management: an invitation, the members themselves. The invitation's address
    # is no marker: its invitee reads it on the acceptance page, whose link is their secret.
    invitation, invite_token = invitation_create(
        actor=owner, email="invited@walk.example", role=Role.MEMBER
    )
    world.add("invitation", private=invitation.pk, seen_by=MANAGERS)
    world.add("invite_token", shared=invite_token)
    world.add("member", private=b.pk, seen_by=MANAGERS)
    world.add("api_token", private=a.api_tokens.get().pk)

    # --- Webhooks: a subscription (made directly: its address is not resolved in tests), and
    # the deliveries every event above turns into, with a ping.
    subscription = Subscription.objects.create(
        url="https://hooks.walk.invalid/attract",
        description=m("zqmkhook", MANAGERS),
        secret="whsec_" + "x" * 32,
        created_by=owner,
    )
    fan_out_events()
    ping = subscription_ping(actor=owner, subscription=subscription)
    world.add("subscription", private=subscription.pk, seen_by=MANAGERS)
    world.add("delivery", private=ping.pk, seen_by=MANAGERS)

    # --- Background work: a failed task, as the jobs page lists it.
    result = create_user_then_fail.enqueue(email="walk-task@example.com")
    # Failed for good without running a worker here: what the worker leaves after two tries.
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.FAILED, worker_ids=["w1", "w2"], finished_at=now
    )
    world.add("job", private=str(result.id), seen_by=MANAGERS)
    _add_partners(world, a, private_person)
    _add_care(world, a)
    _add_aftercare(world, a)
    _add_mail(world, a)
    _add_mailbox(world, a)
    _add_customer_love(world, a)
    return world


def _add_mail(world: World, a: User) -> None:
    """E-mail sending (issue 19): a template and a trashed one (templates are the team's,
    never private), a person with an address of each kind, a send of member A's, and an
    unsubscribe token."""
    from attract.mail import template_services as letters
    from attract.mail.send_services import send_prepare
    from attract.mail.send_unsubscribe import unsubscribe_token
    from attract.people.models import EmailAddress

    m = world.mark
    template = letters.template_create(actor=a, name="Walk letter", subject="Hi", body="Hi")
    binned = letters.template_create(actor=a, name="Walk binned letter", subject="Hi", body="Hi")
    letters.template_trash(actor=a, template=binned)
    world.add("mail_template", shared=template.pk, seen_by=SIGNED_IN)
    world.add("trashed_mail_template", shared=binned.pk, seen_by=SIGNED_IN)
    reader = person_create(actor=a, first_name="Rita", last_name="Reader")
    hidden = person_create(
        actor=a, first_name=m("Zqmkprivreader", ONLY_A), last_name="Quiet", is_private=True
    )
    EmailAddress.objects.create(person=reader, email="rita@walk.example", is_primary=True)
    EmailAddress.objects.create(person=hidden, email="quiet@walk.example", is_primary=True)
    world.add("mail_person", shared=reader.pk, private=hidden.pk)
    send = send_prepare(actor=a, persons=[hidden], subject="Hi", body="Hi",
                        base_url="http://testserver")  # fmt: skip
    world.add("mail_send", private=send.pk, seen_by=ONLY_A | MANAGERS)
    world.add(
        "unsubscribe_token",
        shared=unsubscribe_token("rita@walk.example"),
        seen_by=frozenset(PERSONAS),
    )


def _add_mailbox(world: World, a: User) -> None:
    """Member A's mailbox (a port nothing listens on: a test fails at once) and an address
    that wrote to A and is no person: both A's alone."""
    from attract.mail.mailbox_services import mailbox_connect
    from attract.mail.models import UnmatchedAddress

    mailbox_connect(
        actor=a,
        host="127.0.0.1",
        port=9,
        security="none",
        username=world.mark("zqmkmailuser", ONLY_A) + "@walk.example",
        password="walk-app-password",  # noqa: S106
    )
    now = timezone.now()
    stranger = UnmatchedAddress.objects.create(
        user=a,
        address=world.mark("zqmkstranger", ONLY_A) + "@new.example",
        name="Stan Ger",
        first_seen_at=now,
        last_seen_at=now,
        last_subject="A question",
    )
    world.add("unmatched", private=stranger.pk, seen_by=ONLY_A)


def _add_initiatives(world: World, a: User, shared_partner, private_partner) -> None:
    """A joint initiative with the shared partner, one with member A's private partner (only
    A sees it), a trashed one with the private partner, a topic and a trashed topic."""
    from attract.partners import initiative_services as initiatives

    m = world.mark
    today = timezone.localdate()
    topic = initiatives.topic_create(actor=a, name="Walking topics")
    shared = initiatives.initiative_create(
        actor=a, partners=[shared_partner], title="Allied seminar", kind="seminar",
        our_role="co_organiser", held_on=today, topic=topic,
    )  # fmt: skip
    private = initiatives.initiative_create(
        actor=a, partners=[private_partner], title=m("Zqmkprivinitiative", ONLY_A),
        kind="feature", our_role="featured", held_on=today, notes=m("zqmkinitnote", ONLY_A),
    )  # fmt: skip
    trashed = initiatives.initiative_create(
        actor=a, partners=[private_partner], title=m("Zqmktrashedinitiative", ONLY_A),
        kind="client_meeting", our_role="co_organiser", held_on=today,
    )  # fmt: skip
    initiatives.initiative_trash(actor=a, initiative=trashed)
    old_topic = initiatives.topic_create(actor=a, name="Retired topic")
    initiatives.topic_trash(actor=a, topic=old_topic)
    world.add("initiative", shared=shared.pk, private=private.pk)
    world.add("trashed_initiative", private=trashed.pk)
    world.add("topic", shared=topic.pk)
    world.add("trashed_topic", shared=old_topic.pk)
    article = initiatives.article_add(actor=a, topic=topic, title="Walking in print")
    old_article = initiatives.article_add(actor=a, topic=topic, title="Walked off the page")
    initiatives.article_trash(actor=a, article=old_article)
    world.add("article", shared=article.pk)
    world.add("trashed_article", shared=old_article.pk)


def _add_partners(world: World, a: User, private_person: Person) -> None:
    """Partners: a shared one, member A's private one, a shared partner that is A's private
    company (so no one else may see it either), a trashed one, and a referral of A's private
    contact to the shared partner (others see "a private contact", never its reason)."""
    from attract.partners import services as partner_services

    m = world.mark
    shared = partner_services.partner_create(
        actor=a, company=company_create(actor=a, name="Allied Works"), where_we_meet="Rotary"
    )
    private = partner_services.partner_create(
        actor=a,
        company=company_create(actor=a, name=m("Zqmkprivpartner", ONLY_A), is_private=True),
        is_private=True,
        notes=m("zqmkpartnernote", ONLY_A),
    )
    partner_services.partner_create(
        actor=a, company=company_create(actor=a, name=m("Zqmkpartnerco", ONLY_A), is_private=True)
    )
    trashed = partner_services.partner_create(
        actor=a,
        person=person_create(actor=a, first_name=m("Zqmktrashedpartner", ONLY_A), is_private=True),
        is_private=True,
    )
    partner_services.partner_trash(actor=a, partner=trashed)
    world.add("partner", shared=shared.pk, private=private.pk)
    world.add("trashed_partner", private=trashed.pk)
    _add_initiatives(world, a, shared, private)
    world.add(
        "partner_line",
        shared=partner_services.line_add(
            actor=a, partner=shared, kind="industry", text="Family firms"
        ).pk,
        private=partner_services.line_add(
            actor=a, partner=private, kind="quality", text=m("zqmkprivline", ONLY_A)
        ).pk,
    )
    partner_services.step_record(
        actor=a, partner=private, step="identified", learned=m("zqmkprivlearned", ONLY_A)
    )
    # Member A's challenge: day one, with their private contact met.
    from attract.partners import challenge as challenge_rules

    challenge_rules.challenge_start(actor=a)
    challenge_rules.challenge_meet(
        actor=a, person=private_person, note=m("zqmkchallengenote", ONLY_A)
    )
    private_referral = partner_services.referral_create(
        actor=a, partner=shared, direction="in", person=private_person,
        reason=m("zqmkprivreason", ONLY_A), value="250",
    )  # fmt: skip
    walker = person_create(actor=a, first_name="Referred", last_name="Walker")
    shared_referral = partner_services.referral_create(
        actor=a, partner=shared, direction="out", person=walker, reason="Walked out"
    )
    trashed_referral = partner_services.referral_create(
        actor=a, partner=shared, direction="out", person=walker, reason="Walked away"
    )
    partner_services.referral_trash(actor=a, referral=trashed_referral)
    world.add("referral", shared=shared_referral.pk, private=private_referral.pk)
    world.add("trashed_referral", shared=trashed_referral.pk)


def _add_care(world: World, a: User) -> None:
    """Care after the sale: a plan (team-wide) and a trashed one, a shared customer and
    member A's private customer, each won through a deal with an expectation (so each has
    care steps and a promise), an experience on each, and an expectation on an open deal."""
    from attract.aftercare import care_plan_services as care_plans
    from attract.aftercare import experience_services, promise_services
    from attract.aftercare.models import CareStep, CustomerCare, DealExpectation, Promise
    from attract.pipeline.models import Deal
    from attract.pipeline.services import deal_create, deal_win

    m = world.mark
    plan = care_plans.care_plan_create(actor=a, name="Walked care")
    step = care_plans.care_plan_step_add(actor=a, plan=plan, title="Welcome call", day=0)
    trashed = care_plans.care_plan_create(actor=a, name="Old care")
    care_plans.care_plan_trash(actor=a, plan=trashed)
    world.add("care_plan", shared=plan.pk)
    world.add("plan_step", shared=step.pk)
    world.add("trashed_care_plan", shared=trashed.pk)
    customers, experiences = {}, {}
    for variant, name, private in (
        ("shared", "Walked customer", False),
        ("private", m("Zqmkprivcustomer", ONLY_A), True),
    ):
        company = company_create(actor=a, name=name, is_private=private)
        deal = deal_create(actor=a, title=f"{name} order", company=company, is_private=private)
        promise_services.deal_expectation_add(
            actor=a, deal=deal, their_words=m("zqmkprivexpect", ONLY_A) if private else "Fast",
            our_answer=m("zqmkprivpromise", ONLY_A) if private else "Within a week",
        )  # fmt: skip
        deal_win(actor=a, deal=deal)
        experiences[variant], _ = experience_services.experience_record(
            actor=a, company=company, feeling="angry",
            what=m("zqmkprivexperience", ONLY_A) if private else "Late delivery",
        )  # fmt: skip
        customers[variant] = company
    world.add(
        "care_step",
        shared=CareStep.objects.filter(care__company=customers["shared"]).first().pk,
        private=CareStep.objects.filter(care__company=customers["private"]).first().pk,
    )
    world.add(
        "care",
        shared=CustomerCare.objects.get(company=customers["shared"]).pk,
        private=CustomerCare.objects.get(company=customers["private"]).pk,
    )
    world.add(
        "promise",
        shared=Promise.objects.get(company=customers["shared"]).pk,
        private=Promise.objects.get(company=customers["private"]).pk,
    )
    world.add("experience", shared=experiences["shared"].pk, private=experiences["private"].pk)
    from attract.aftercare.customer_dates import person_date_add

    persons = world.records["person"]
    world.add(
        "person_date",
        shared=person_date_add(actor=a, person=Person.objects.get(pk=persons["shared"]),
                               label="Birthday", month=5, day=3).pk,
        private=person_date_add(actor=a, person=Person.objects.get(pk=persons["private"]),
                                label=m("zqmkprivdate", ONLY_A), month=5, day=4).pk,
    )  # fmt: skip
    deals = world.records["deal"]
    world.add(
        "deal_expectation",
        shared=DealExpectation.objects.create(deal_id=deals["shared"], their_words="Soon").pk,
        private=DealExpectation.objects.create(
            deal=Deal.objects.get(pk=deals["private"]), their_words=m("zqmkprivexp2", ONLY_A)
        ).pk,
    )


def _add_aftercare(world: World, a: User) -> None:
    """Customers (a shared one, member A's private one), a departure of each kind with a
    survey link for the shared one, testimonials and case studies (with a picture) about
    both, and a trashed one of each about the private customer."""
    import io
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from attract.aftercare import testimonial_services as praise
    from attract.aftercare.departure_services import departure_record, departure_trash
    from attract.aftercare.survey_services import survey_link_create
    from attract.aftercare.tests.departure_factories import make_customer

    m = world.mark
    shared = make_customer(a, name="Loyal Walkers", contact=False,
                           purchases=[(date(2025, 1, 1), "900", "300")])  # fmt: skip
    private = make_customer(
        a, name=m("Zqmkprivbuyer", ONLY_A), is_private=True, contact=False,
        purchases=[(date(2025, 1, 1), "700", "100")],
    )  # fmt: skip
    world.add("customer", shared=shared.pk, private=private.pk)
    sam = person_create(actor=a, first_name="Sue", last_name="Said", company=shared)
    hidden = person_create(
        actor=a, first_name=m("Zqmkprivsayer", ONLY_A), last_name="Quiet", company=private,
        is_private=True,
    )  # fmt: skip
    gone = make_customer(a, name="Gone Walkers", contact=False,
                         purchases=[(date(2025, 1, 1), "500", "100")])  # fmt: skip
    gone_private = make_customer(
        a, name=m("Zqmkprivgone", ONLY_A), is_private=True, contact=False,
        purchases=[(date(2025, 1, 1), "500", "100")],
    )  # fmt: skip
    left = departure_record(
        actor=a, company=gone, departed_on=date(2025, 6, 1), reason="indifference"
    )
    left_private = departure_record(
        actor=a, company=gone_private, departed_on=date(2025, 6, 1), reason="other",
        reason_other=m("zqmkprivwhy", ONLY_A), note=m("zqmkdepnote", ONLY_A),
    )  # fmt: skip
    world.add("departure", shared=left.pk, private=left_private.pk)
    back = make_customer(a, name="Back Walkers", contact=False,
                         purchases=[(date(2025, 1, 1), "500", "100")])  # fmt: skip
    mistaken = departure_record(actor=a, company=back, departed_on=date(2025, 6, 1), reason="moved")
    departure_trash(actor=a, departure=mistaken)
    world.add("trashed_departure", shared=mistaken.pk)
    world.add("survey_token", shared=survey_link_create(actor=a, departure=left)[1])

    def picture():
        out = io.BytesIO()
        Image.new("RGB", (40, 30), "teal").save(out, "PNG")
        return SimpleUploadedFile("p.png", out.getvalue())

    world.add(
        "testimonial",
        shared=praise.testimonial_create(
            actor=a, company=shared, person=sam, words="Always there", consent="full"
        ).pk,
        private=praise.testimonial_create(
            actor=a, company=private, person=hidden, words=m("zqmkprivpraise", ONLY_A),
            consent="first_name",
        ).pk,
    )  # fmt: skip
    binned = praise.testimonial_create(
        actor=a, company=private, words=m("zqmkbinnedpraise", ONLY_A), consent="none"
    )
    praise.testimonial_trash(actor=a, testimonial=binned)
    world.add("trashed_testimonial", private=binned.pk)
    case = {"pain": "Slow", "what_we_did": "Fast", "result": "2x faster", "consent": "full"}
    world.add(
        "case_study",
        shared=praise.case_study_create(
            actor=a, company=shared, person=sam, title="Walk faster", image=picture(), **case
        ).pk,
        private=praise.case_study_create(
            actor=a, company=private, person=hidden, title=m("Zqmkprivcase", ONLY_A),
            image=picture(), **case,
        ).pk,
    )  # fmt: skip
    binned_case = praise.case_study_create(
        actor=a, company=private, title=m("Zqmkbinnedcase", ONLY_A), **{**case, "consent": "none"}
    )
    praise.case_study_trash(actor=a, case=binned_case)
    world.add("trashed_case_study", private=binned_case.pk)


def _add_customer_love(world: World, a: User) -> None:
    """Events, offers, visits and ideas (after _add_aftercare, whose customers they name): an
    event held (team-wide) with the shared and the private customer as guests, an offer and
    a visit to each, an idea inspired by both, and one of each in the trash."""
    from datetime import date

    from attract.aftercare import customer_love_services as love
    from attract.people.models import Company

    m = world.mark
    customers = world.records["customer"]
    shared = Company.objects.get(pk=customers["shared"])
    private = Company.objects.get(pk=customers["private"])
    event = love.event_create(actor=a, title="Walked workshop", held_on=date(2026, 1, 5))
    binned_event = love.event_create(actor=a, title="Old party", held_on=date(2025, 1, 5))
    love.event_trash(actor=a, event=binned_event)
    world.add("customer_event", shared=event.pk)
    world.add("trashed_customer_event", shared=binned_event.pk)
    world.add(
        "event_guest",
        shared=love.event_invite(actor=a, event=event, company=shared).pk,
        private=love.event_invite(actor=a, event=event, company=private).pk,
    )
    world.add(
        "offer",
        shared=love.offer_make(actor=a, company=shared, what="Walked terms").pk,
        private=love.offer_make(actor=a, company=private, what=m("zqmkprivoffer", ONLY_A)).pk,
    )
    binned_offer = love.offer_make(actor=a, company=private, what=m("zqmkbinnedoffer", ONLY_A))
    love.offer_trash(actor=a, offer=binned_offer)
    world.add("trashed_offer", private=binned_offer.pk)
    world.add(
        "visit",
        shared=love.visit_record(actor=a, company=shared, what_we_watched="the walk").pk,
        private=love.visit_record(
            actor=a, company=private, what_we_watched=m("zqmkprivvisit", ONLY_A)
        ).pk,
    )
    binned_visit = love.visit_record(
        actor=a, company=private, what_we_watched=m("zqmkbinnedvisit", ONLY_A)
    )
    love.visit_trash(actor=a, visit=binned_visit)
    world.add("trashed_visit", private=binned_visit.pk)
    idea = love.idea_create(actor=a, title="Walked idea", companies=[shared, private])
    binned_idea = love.idea_create(actor=a, title="Old idea")
    love.idea_trash(actor=a, idea=binned_idea)
    world.add("idea", shared=idea.pk)
    world.add("trashed_idea", shared=binned_idea.pk)
