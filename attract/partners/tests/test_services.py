from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from attract.partners import selectors, services
from attract.partners.models import Partner, Referral, Step
from attract.partners.tests.factories import make_partner, make_person_partner
from attract.people.models import Relationship
from attract.people.services import company_create, person_create
from attract.pipeline.models import Deal, Outcome, Source
from attract.pipeline.services import deal_create

pytestmark = pytest.mark.django_db


def test_a_prospect_company_made_a_partner_takes_the_partner_relationship(owner):
    partner = make_partner(owner, confidence_ethics=4)
    partner.company.refresh_from_db()
    assert partner.company.relationship == Relationship.PARTNER
    assert partner.history.count() == 1 and partner.confidence_ethics == 4


def test_a_customer_made_a_partner_stays_a_customer(owner):
    company = company_create(actor=owner, name="Cust", relationship=Relationship.CUSTOMER)
    services.partner_create(actor=owner, company=company)
    company.refresh_from_db()
    assert company.relationship == Relationship.CUSTOMER


def test_a_person_can_be_a_partner_but_only_once_even_from_the_trash(owner):
    partner = make_person_partner(owner)
    services.partner_trash(actor=owner, partner=partner)
    with pytest.raises(ValidationError, match="already a partner"):
        services.partner_create(actor=owner, person=partner.person)


def test_a_partner_needs_exactly_one_of_company_and_person(owner):
    with pytest.raises(ValidationError):
        services.partner_create(actor=owner)


def test_someone_elses_private_company_cannot_be_made_a_partner(owner, outsider):
    company = company_create(actor=owner, name="Mine", is_private=True)
    with pytest.raises(ValidationError, match="you can see"):
        services.partner_create(actor=outsider, company=company)


def test_confidence_outside_one_to_five_is_refused_and_nothing_changes(owner):
    partner = make_partner(owner)
    with pytest.raises(ValidationError):
        services.partner_update(actor=owner, partner=partner, confidence_ability=9)
    partner.refresh_from_db()
    assert partner.confidence_ability is None and partner.version == 1


def test_a_stale_edit_is_refused(owner):
    from attract.core.versions import VersionConflict

    partner = make_partner(owner)
    services.partner_update(
        actor=owner, partner=partner, where_we_meet="Chamber", expected_version=1
    )
    with pytest.raises(VersionConflict):
        services.partner_update(actor=owner, partner=partner, notes="x", expected_version=1)


def test_a_viewer_cannot_change_a_partner(owner, viewer):
    partner = make_partner(owner)
    with pytest.raises(PermissionDenied):
        services.partner_update(actor=viewer, partner=partner, notes="x")


def test_trash_and_restore_keep_the_history(owner):
    partner = make_partner(owner)
    services.partner_trash(actor=owner, partner=partner)
    assert not Partner.objects.filter(pk=partner.pk).exists()
    services.partner_restore(actor=owner, partner=partner)
    assert Partner.objects.filter(pk=partner.pk).exists()
    assert partner.history.count() == 3


def test_definition_lines_are_marked_overlap_or_complement(owner):
    partner = make_partner(owner)
    line = services.line_add(actor=owner, partner=partner, kind="industry", text="Dentists")
    services.line_mark(actor=owner, line=line, mark="complement", expected_version=1)
    assert line.mark == "complement" and line.version == 2
    with pytest.raises(ValidationError):
        services.line_mark(actor=owner, line=line, mark="maybe")
    with pytest.raises(ValidationError):
        services.line_add(actor=owner, partner=partner, kind="industry", text="  ")
    services.line_remove(actor=owner, line=line)
    assert selectors.partner_lines(partner) == []


def test_the_alliance_stands_at_its_furthest_step_for_the_days_since(owner):
    partner = make_partner(owner)
    today = timezone.localdate()
    services.step_record(
        actor=owner, partner=partner, step=Step.IDENTIFIED, reached_on=today - timedelta(days=40)
    )
    services.step_record(
        actor=owner, partner=partner, step=Step.GETTING_TO_KNOW,
        reached_on=today - timedelta(days=12), learned="They answer fast", next_step="A seminar",
    )  # fmt: skip
    standing = selectors.alliance_standing(partner, today=today)
    assert standing.current.step == Step.GETTING_TO_KNOW
    assert standing.days_there == 12
    assert [reached is not None for _, _, reached in standing.steps] == [True, True, False, False]


def test_recording_a_step_again_corrects_it_and_a_future_date_is_refused(owner):
    partner = make_partner(owner)
    services.step_record(actor=owner, partner=partner, step="identified", learned="a")
    services.step_record(actor=owner, partner=partner, step="identified", learned="b")
    assert partner.steps.get().learned == "b"
    with pytest.raises(ValidationError):
        services.step_record(
            actor=owner, partner=partner, step="expanded",
            reached_on=timezone.localdate() + timedelta(days=1),
        )  # fmt: skip
    with pytest.raises(ValidationError):
        services.step_record(actor=owner, partner=partner, step="nope")


def test_a_deal_referred_out_leaves_the_board_as_referred_out(owner):
    partner = make_partner(owner)
    deal = deal_create(actor=owner, title="Too small for us", revenue=Decimal("1200"))
    referral = services.referral_create(
        actor=owner, partner=partner, direction="out", deal=deal, reason="Poor fit"
    )
    deal.refresh_from_db()
    assert deal.outcome == Outcome.REFERRED_OUT
    assert "Bright Partners" in deal.lost_reason
    assert referral.value == Decimal("1200.00")
    assert not Deal.objects.filter(outcome=Outcome.OPEN).exists()


def test_a_deal_referred_in_takes_the_partner_referral_source(owner):
    partner = make_partner(owner)
    deal = deal_create(actor=owner, title="From them", revenue=Decimal("500"))
    services.referral_create(actor=owner, partner=partner, direction="in", deal=deal)
    deal.refresh_from_db()
    assert deal.source == Source.PARTNER_REFERRAL and deal.outcome == Outcome.OPEN


def test_referral_counts_and_values_per_partner_both_ways(owner):
    partner = make_partner(owner)
    other = make_partner(owner, name="Other")
    person = person_create(actor=owner, first_name="Ann", last_name="Lee")
    services.referral_create(
        actor=owner, partner=partner, direction="out", person=person, value="100"
    )
    services.referral_create(
        actor=owner, partner=partner, direction="out", person=person, value="50"
    )
    services.referral_create(
        actor=owner, partner=partner, direction="in", person=person, value="70"
    )
    rows = {p.pk: p for p in selectors.partner_list_for_user(user=owner)}
    assert (rows[partner.pk].out_count, rows[partner.pk].out_value) == (2, Decimal("150"))
    assert (rows[partner.pk].in_count, rows[partner.pk].in_value) == (1, Decimal("70"))
    assert (rows[other.pk].out_count, rows[other.pk].in_value) == (0, Decimal("0"))


def test_bad_referrals_are_refused_and_change_nothing(owner, outsider):
    partner = make_partner(owner)
    person_partner = make_person_partner(owner)
    private_deal = deal_create(actor=owner, title="Secret", is_private=True)
    with pytest.raises(ValidationError, match="no such"):
        services.referral_create(
            actor=outsider, partner=partner, direction="out", deal=private_deal
        )
    with pytest.raises(ValidationError, match="themselves"):
        services.referral_create(
            actor=owner, partner=partner, direction="out", company=partner.company
        )
    with pytest.raises(ValidationError, match="themselves"):
        services.referral_create(
            actor=owner, partner=person_partner, direction="in", person=person_partner.person
        )
    with pytest.raises(ValidationError):
        services.referral_create(
            actor=owner, partner=partner, direction="sideways", deal=private_deal
        )
    with pytest.raises(ValidationError):
        services.referral_create(
            actor=owner, partner=partner, direction="out", deal=private_deal, value="-3"
        )
    with pytest.raises(ValidationError):
        services.referral_create(
            actor=owner, partner=partner, direction="out", deal=private_deal,
            referred_on=timezone.localdate() + timedelta(days=2),
        )  # fmt: skip
    assert not Referral.objects.exists()
    private_deal.refresh_from_db()
    assert private_deal.outcome == Outcome.OPEN


def test_a_private_partner_of_another_user_does_not_exist_for_them(owner, outsider):
    partner = make_partner(owner, is_private=True)
    shared_on_private_company = make_person_partner(owner)
    shared_on_private_company.person.is_private = True
    shared_on_private_company.person.save()
    assert list(selectors.partner_list_for_user(user=outsider)) == []
    assert len(selectors.partner_list_for_user(user=owner)) == 2
    with pytest.raises(ValidationError, match="no such partner"):
        services.referral_create(
            actor=outsider, partner=partner, direction="in",
            person=person_create(actor=outsider, first_name="X"),
        )  # fmt: skip


@time_machine.travel("2026-03-01 23:30:00+00:00", tick=False)
def test_days_at_a_step_count_calendar_days(owner):
    partner = make_partner(owner)
    services.step_record(actor=owner, partner=partner, step="identified", reached_on="2026-02-27")
    standing = selectors.alliance_standing(partner)
    assert standing.days_there == (timezone.localdate() - partner.steps.get().reached_on).days


def test_a_referral_received_asks_for_a_thank_you_task_that_names_no_private_subject(owner):
    from attract.engagement.models import Task

    partner = make_partner(owner)
    secret = person_create(actor=owner, first_name="Secret", is_private=True)
    services.referral_create(actor=owner, partner=partner, direction="in", person=secret)
    task = Task.objects.get()
    assert task.company_id == partner.company_id and task.assignee == owner
    assert "Thank Bright Partners" in task.title and "Secret" not in task.title
    services.referral_create(actor=owner, partner=partner, direction="out", person=secret)
    assert Task.objects.count() == 1  # only referrals received ask for thanks


def test_won_deals_from_their_referrals_and_the_last_date(owner):
    from attract.pipeline.services import deal_win

    partner = make_partner(owner)
    won = deal_create(actor=owner, title="Won", revenue=Decimal("1000"))
    deal_create_open = deal_create(actor=owner, title="Open", revenue=Decimal("50"))
    services.referral_create(actor=owner, partner=partner, direction="in", deal=won)
    services.referral_create(actor=owner, partner=partner, direction="in", deal=deal_create_open)
    deal_win(actor=owner, deal=won)
    row = next(p for p in selectors.partner_list_for_user(user=owner) if p.pk == partner.pk)
    assert (row.in_won_count, row.in_won_value) == (1, Decimal("1000"))
    assert row.last_referred_on == timezone.localdate()


def test_thanking_the_referrer_counts_toward_the_thank_you_letter_goal(owner, owner_client):
    """End to end: a referral received makes the task; ticking it done (the tasks' own route)
    counts one thank-you letter today; undoing it takes the count back."""
    from django.urls import reverse

    from attract.engagement.goals import goal_progress
    from attract.engagement.models import GoalKind, Task

    def letters() -> int:
        return next(
            g for g in goal_progress(user=owner) if g.kind == GoalKind.THANK_YOU_LETTERS
        ).today

    partner = make_partner(owner)
    prospect = person_create(actor=owner, first_name="Referred")
    services.referral_create(actor=owner, partner=partner, direction="in", person=prospect)
    task = Task.objects.get(company=partner.company)
    assert task.counts_toward == GoalKind.THANK_YOU_LETTERS and letters() == 0
    owner_client.post(reverse("engagement:task_done", args=[task.pk]))
    assert letters() == 1
    owner_client.post(reverse("engagement:task_undo", args=[task.pk]))
    assert letters() == 0
