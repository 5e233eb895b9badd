"""Joint initiatives and topics: the rules (date against the partners, role against the
kind), what an initiative brought (computed in the database), the ranking, the pages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from attract.core.versions import VersionConflict
from attract.partners import initiative_selectors as selectors
from attract.partners import initiative_services as services
from attract.partners.models import Initiative, Topic
from attract.partners.tests.factories import make_partner
from attract.people.services import person_create
from attract.pipeline.services import deal_create, deal_win

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def make_initiative(owner, partners, title="Spring seminar", **fields) -> Initiative:
    fields.setdefault("kind", "seminar")
    fields.setdefault("our_role", "co_organiser")
    fields.setdefault("held_on", TODAY())
    return services.initiative_create(actor=owner, partners=partners, title=title, **fields)


def bring(owner, initiative, name, *, won=(), open_=()):
    """A person brought in by the initiative, with won and open deals of given revenue/cost."""
    person = person_create(actor=owner, first_name=name)
    services.initiative_add_person(actor=owner, initiative=initiative, person=person)
    for revenue, cost in won:
        deal = deal_create(
            actor=owner, title=f"{name} won", contact=person, revenue=revenue, cost=cost
        )
        deal_win(actor=owner, deal=deal)
    for revenue in open_:
        deal_create(actor=owner, title=f"{name} open", contact=person, revenue=revenue)
    return person


def test_create_with_partners_role_topic_and_audience(owner):
    partner = make_partner(owner, name="Bright")
    other = make_partner(owner, name="Clear")
    topic = services.topic_create(actor=owner, name="Pricing without fear")
    initiative = make_initiative(owner, [partner, other], topic=topic, audience=40)
    assert set(initiative.partners.all()) == {partner, other}
    assert initiative.topic == topic
    assert initiative.history.count() == 1


def test_an_initiative_dated_before_its_partners_existed_is_refused(owner):
    partner = make_partner(owner, name="Bright")
    with pytest.raises(ValidationError) as exc:
        make_initiative(owner, [partner], held_on=TODAY() - timedelta(days=3))
    assert "became a partner on" in str(exc.value)
    assert "cannot be dated before" in str(exc.value)
    assert not Initiative.objects.exists()


@pytest.mark.parametrize(
    "kind, role, ok",
    [
        ("host_beneficiary", "host", True),
        ("host_beneficiary", "beneficiary", True),
        ("host_beneficiary", "speaker", False),
        ("seminar", "host", False),
        ("feature", "featured", True),
        ("nonsense", "host", False),
        ("seminar", "nonsense", False),
    ],
)
def test_which_side_we_are_fits_the_kind(owner, kind, role, ok):
    partner = make_partner(owner)
    if ok:
        assert make_initiative(owner, [partner], kind=kind, our_role=role).our_role == role
    else:
        with pytest.raises(ValidationError):
            make_initiative(owner, [partner], kind=kind, our_role=role)


def test_no_partner_a_trashed_partner_or_a_bad_date_is_refused(owner):
    partner = make_partner(owner)
    with pytest.raises(ValidationError):
        make_initiative(owner, [])
    with pytest.raises(ValidationError):
        make_initiative(owner, [partner], held_on="31/12/2026")
    with pytest.raises(ValidationError):
        make_initiative(owner, [partner], audience=-3)
    from attract.partners.services import partner_trash

    partner_trash(actor=owner, partner=partner)
    with pytest.raises(ValidationError, match="trash"):
        make_initiative(owner, [partner])


def test_edit_checks_the_version_and_keeps_history(owner):
    partner = make_partner(owner)
    initiative = make_initiative(owner, [partner])
    services.initiative_update(actor=owner, initiative=initiative, expected_version=1, audience=9)
    with pytest.raises(VersionConflict):
        services.initiative_update(
            actor=owner, initiative=initiative, expected_version=1, audience=12
        )
    initiative.refresh_from_db()
    assert initiative.audience == 9
    assert initiative.history.count() == 2


def test_trash_and_restore(owner):
    initiative = make_initiative(owner, [make_partner(owner)])
    services.initiative_trash(actor=owner, initiative=initiative)
    assert not Initiative.objects.filter(pk=initiative.pk).exists()
    services.initiative_restore(actor=owner, initiative=initiative)
    assert Initiative.objects.filter(pk=initiative.pk).exists()


def test_a_person_comes_through_one_initiative_only(owner):
    partner = make_partner(owner)
    first = make_initiative(owner, [partner], title="First")
    second = make_initiative(owner, [partner], title="Second")
    person = bring(owner, first, "Ann")
    services.initiative_add_person(actor=owner, initiative=first, person=person)  # idempotent
    with pytest.raises(ValidationError, match="already came through"):
        services.initiative_add_person(actor=owner, initiative=second, person=person)


def test_what_it_brought_is_aggregated_and_ranked(owner):
    partner = make_partner(owner)
    small = make_initiative(owner, [partner], title="Small")
    big = make_initiative(owner, [partner], title="Big")
    crowd = make_initiative(owner, [partner], title="Crowd")
    bring(owner, small, "Ann", won=[(Decimal("1000"), Decimal("900"))])
    bring(owner, big, "Bob", won=[(Decimal("800"), Decimal("100")), (Decimal("200"), Decimal("0"))])
    bring(owner, big, "Cy", open_=[Decimal("5000")])
    for name in ["Di", "Ed", "Flo"]:
        bring(owner, crowd, name)
    rows = list(selectors.initiative_list_for_user(user=owner))
    assert [r.title for r in rows] == ["Big", "Small", "Crowd"]
    big_row = rows[0]
    assert (big_row.people_count, big_row.deal_count) == (2, 3)
    assert big_row.won_revenue == Decimal("1000")
    assert big_row.won_profit == Decimal("900")
    assert rows[2].people_count == 3 and rows[2].won_profit == 0


def test_the_list_page_ranks_and_takes_a_fixed_number_of_queries(owner_client, owner):
    partner = make_partner(owner)

    def measure() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = owner_client.get("/partners/initiatives/")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    first = make_initiative(owner, [partner], title="Quiet one")
    few = measure()
    for n in range(6):
        other = make_partner(owner, name=f"P{n}")
        make_initiative(owner, [partner, other], title=f"I{n}", kind="feature", our_role="featured")
    bring(owner, first, "Ann", won=[(Decimal("10"), Decimal("0"))])
    assert measure() == few
    content = owner_client.get("/partners/initiatives/").content.decode()
    assert content.index("Quiet one") < content.index("I0")


def test_create_page_and_partner_page(owner_client, owner):
    partner = make_partner(owner, name="Bright")
    topic = services.topic_create(actor=owner, name="Pricing")
    response = owner_client.get(f"/partners/initiatives/new/?partner={partner.pk}")
    assert response.status_code == 200
    response = owner_client.post(
        "/partners/initiatives/new/",
        {
            "title": "Pricing workshop",
            "kind": "seminar",
            "held_on": TODAY().isoformat(),
            "partners": [partner.pk],
            "our_role": "organiser",
            "topic": topic.pk,
            "audience": "25",
        },
    )
    assert response.status_code == 302
    initiative = Initiative.objects.get()
    assert owner_client.get(response.url).status_code == 200
    assert b"Pricing workshop" in owner_client.get(f"/partners/{partner.pk}/").content
    assert b"Pricing workshop" in owner_client.get("/partners/topics/").content
    # Before the partner existed: refused with the message, nothing made.
    response = owner_client.post(
        "/partners/initiatives/new/",
        {
            "title": "Too early",
            "kind": "seminar",
            "held_on": (TODAY() - timedelta(days=30)).isoformat(),
            "partners": [partner.pk],
            "our_role": "organiser",
            "audience": "0",
        },
    )
    assert response.status_code == 200
    assert "cannot be dated before" in response.content.decode()
    assert Initiative.objects.count() == 1
    # A stale edit is refused.
    data = {
        "title": "Renamed",
        "kind": "seminar",
        "held_on": TODAY().isoformat(),
        "partners": [partner.pk],
        "our_role": "organiser",
        "audience": "3",
        "version": "1",
    }
    assert (
        owner_client.post(f"/partners/initiatives/{initiative.pk}/edit/", data).status_code == 302
    )
    response = owner_client.post(f"/partners/initiatives/{initiative.pk}/edit/", data)
    assert response.status_code == 200


def test_add_a_person_from_the_page(owner_client, owner):
    initiative = make_initiative(owner, [make_partner(owner)])
    person = person_create(actor=owner, first_name="Zelda", last_name="Quill")
    response = owner_client.get(f"/partners/initiatives/{initiative.pk}/?q=zelda")
    assert b"Came through this" in response.content
    owner_client.post(f"/partners/initiatives/{initiative.pk}/people/", {"person": person.pk})
    assert initiative.people.get().person == person
    response = owner_client.post(f"/partners/initiatives/{initiative.pk}/people/", {"person": "x"})
    assert response.status_code == 302


def test_a_private_partners_initiative_is_hidden_from_others(owner, teammate, teammate_client):
    private = make_partner(owner, name="Secret", is_private=True)
    initiative = make_initiative(owner, [private], title="Hidden one")
    assert not selectors.initiative_list_for_user(user=teammate).exists()
    assert teammate_client.get(f"/partners/initiatives/{initiative.pk}/").status_code == 404
    assert b"Hidden one" not in teammate_client.get("/partners/initiatives/").content


def test_viewer_reads_but_cannot_write(viewer_client, owner):
    initiative = make_initiative(owner, [make_partner(owner)])
    assert viewer_client.get(f"/partners/initiatives/{initiative.pk}/").status_code == 200
    assert viewer_client.get("/partners/initiatives/new/").status_code == 403
    assert viewer_client.post(f"/partners/initiatives/{initiative.pk}/trash/").status_code == 403


def test_topics_add_edit_trash(owner_client, owner):
    response = owner_client.post("/partners/topics/", {"name": "Cash flow", "we_enjoy": "on"})
    assert response.status_code == 302
    topic = Topic.objects.get()
    assert topic.we_enjoy and not topic.in_our_field
    assert owner_client.post("/partners/topics/", {"name": ""}).status_code == 200
    response = owner_client.post(
        f"/partners/topics/{topic.pk}/", {"name": "Cash flow, simply", "version": "1"}
    )
    assert response.status_code == 302
    response = owner_client.post(f"/partners/topics/{topic.pk}/", {"name": "Stale", "version": "1"})
    assert response.status_code == 200
    topic.refresh_from_db()
    assert topic.name == "Cash flow, simply"
    owner_client.post(f"/partners/topics/{topic.pk}/trash/")
    assert not Topic.objects.exists()
    assert owner_client.get(f"/partners/topics/{topic.pk}/").status_code == 200
    trash = owner_client.get("/trash/").content.decode()
    assert "Cash flow, simply" in trash
    owner_client.post(f"/partners/topics/{topic.pk}/restore/")
    assert Topic.objects.exists()


def test_a_trashed_topic_cannot_be_picked(owner):
    topic = services.topic_create(actor=owner, name="Old")
    services.topic_trash(actor=owner, topic=topic)
    with pytest.raises(ValidationError, match="trash"):
        make_initiative(owner, [make_partner(owner)], topic=topic)


def test_bad_ids_are_404(owner_client):
    for url in ["/partners/initiatives/999/", "/partners/topics/999/"]:
        assert owner_client.get(url).status_code == 404


def test_stored_figures_follow_deals_and_people_and_a_recount_agrees(owner):
    """What the list ranks by is stored: it follows a deal won, moved to another contact,
    trashed, a person added; and the full recount (nightly, or after a bulk import) finds
    nothing to correct."""
    from decimal import Decimal

    from django.core.management import call_command

    from attract.partners import figures
    from attract.partners import initiative_services as services
    from attract.partners.models import Initiative
    from attract.partners.tests.factories import make_partner
    from attract.people.services import person_create
    from attract.pipeline.services import deal_create, deal_trash, deal_update, deal_win

    partner = make_partner(owner)
    first = services.initiative_create(
        actor=owner, partners=[partner], title="First", kind="seminar",
        our_role="co_organiser", held_on=timezone.localdate(),
    )  # fmt: skip
    second = services.initiative_create(
        actor=owner, partners=[partner], title="Second", kind="seminar",
        our_role="co_organiser", held_on=timezone.localdate(),
    )  # fmt: skip
    ann = person_create(actor=owner, first_name="Ann")
    bob = person_create(actor=owner, first_name="Bob")
    services.initiative_add_person(actor=owner, initiative=first, person=ann)
    services.initiative_add_person(actor=owner, initiative=second, person=bob)
    deal = deal_create(
        actor=owner, title="D", contact=ann, revenue=Decimal("900"), cost=Decimal("100")
    )
    deal_win(actor=owner, deal=deal)

    def stored(initiative):
        i = Initiative.all_objects.get(pk=initiative.pk)
        return (i.people_count, i.deal_count, i.won_revenue, i.won_profit)

    assert stored(first) == (1, 1, Decimal("900"), Decimal("800"))
    deal.refresh_from_db()
    deal_update(actor=owner, deal=deal, contact=bob)
    assert stored(first) == (1, 0, 0, 0) and stored(second) == (1, 1, 900, 800)
    deal.refresh_from_db()
    deal_trash(actor=owner, deal=deal)
    assert stored(second) == (1, 0, 0, 0)
    Initiative.objects.update(won_profit=5)  # a write that bypasses the receivers
    call_command("initiatives", "recount")
    assert figures.recount_all() == 0 and stored(first)[3] == 0
