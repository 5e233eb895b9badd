from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from attract.accounts.models import Role
from attract.accounts.tests.factories import UserFactory
from attract.core.versions import VersionConflict
from attract.people.models import Relationship
from attract.people.tests.factories import CompanyFactory, PersonFactory
from attract.pipeline.configuration import stage_setting_update, tough_question_create
from attract.pipeline.gates import StageGateRefused
from attract.pipeline.models import Outcome, Stage, StageMove, StageSetting
from attract.pipeline.services import (
    deal_close_as_no,
    deal_create,
    deal_lose,
    deal_move_to_stage,
    deal_refer_out,
    deal_reopen,
    deal_update,
    deal_win,
    quote_create,
    quote_send,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def deal(owner):
    company = CompanyFactory(owner=owner, name="Bakery Blum")
    return deal_create(actor=owner, title="Website for Blum", company=company, revenue="5000")


def _sent_quote(deal, actor):
    return quote_send(actor=actor, quote=quote_create(actor=actor, deal=deal, amount="5000"))


def test_a_new_deal_starts_in_attention_with_its_first_move_recorded(deal, owner):
    assert deal.stage == Stage.ATTENTION
    assert deal.outcome == Outcome.OPEN
    move = StageMove.objects.get(deal=deal)
    assert (move.from_stage, move.to_stage, move.moved_by) == ("", Stage.ATTENTION, owner)


def test_forward_move_to_interest_is_refused_until_the_pain_is_described(deal, owner):
    with pytest.raises(StageGateRefused) as refused:
        deal_move_to_stage(actor=owner, deal=deal, stage=Stage.INTEREST)
    assert refused.value.missing == [
        "the customer's pain, described in their own words (needed for Interest)"
    ]
    deal.refresh_from_db()
    assert deal.stage == Stage.ATTENTION
    assert deal.moves.count() == 1

    deal = deal_update(actor=owner, deal=deal, pain="Our orders get lost between shifts.")
    deal = deal_move_to_stage(actor=owner, deal=deal, stage=Stage.INTEREST)
    assert deal.stage == Stage.INTEREST


def test_forward_move_to_desire_lists_both_missing_parts_of_conviction(deal, owner):
    deal = deal_update(actor=owner, deal=deal, pain="Too many no-shows.")
    deal = deal_move_to_stage(actor=owner, deal=deal, stage=Stage.CONVICTION)
    deal = deal_update(actor=owner, deal=deal, conviction_problem_acknowledged=True)
    with pytest.raises(StageGateRefused) as refused:
        deal_move_to_stage(actor=owner, deal=deal, stage=Stage.DESIRE)
    assert refused.value.missing == [
        "the customer believes we are the ones to solve it (needed for Desire)"
    ]
    assert "cannot move to Desire yet" in str(refused.value)


def test_action_needs_a_sent_quote_and_a_draft_is_not_enough(deal, owner):
    deal = deal_update(
        actor=owner,
        deal=deal,
        pain="Late invoices.",
        conviction_problem_acknowledged=True,
        conviction_we_are_the_ones=True,
    )
    deal = deal_move_to_stage(actor=owner, deal=deal, stage=Stage.DESIRE)
    quote = quote_create(actor=owner, deal=deal, amount="4800")
    with pytest.raises(StageGateRefused) as refused:
        deal_move_to_stage(actor=owner, deal=deal, stage=Stage.ACTION)
    assert refused.value.missing == ["a sent quote (needed for Action)"]
    quote_send(actor=owner, quote=quote)
    deal = deal_move_to_stage(actor=owner, deal=deal, stage=Stage.ACTION)
    assert deal.stage == Stage.ACTION


def test_skipping_stages_still_checks_every_gate_on_the_way(deal, owner):
    with pytest.raises(StageGateRefused) as refused:
        deal_move_to_stage(actor=owner, deal=deal, stage=Stage.ACTION)
    assert len(refused.value.missing) == 4


def test_a_backward_move_is_always_allowed_and_recorded_as_backward(deal, owner):
    deal = deal_update(actor=owner, deal=deal, pain="Stock outs.")
    deal = deal_move_to_stage(actor=owner, deal=deal, stage=Stage.CONVICTION)
    deal = deal_update(actor=owner, deal=deal, pain="")
    deal = deal_move_to_stage(actor=owner, deal=deal, stage=Stage.ATTENTION, note="Budget frozen")
    last = deal.moves.order_by("-id").first()
    assert (last.from_stage, last.to_stage, last.is_backward, last.note) == (
        Stage.CONVICTION,
        Stage.ATTENTION,
        True,
        "Budget frozen",
    )
    assert deal.furthest_stage_index == 2


def test_an_admin_may_override_a_gate_with_a_written_reason_which_is_recorded(deal, owner):
    moved = deal_move_to_stage(
        actor=owner, deal=deal, stage=Stage.INTEREST, override_reason="Pain told by phone"
    )
    assert moved.stage == Stage.INTEREST
    assert moved.moves.order_by("-id").first().override_reason == "Pain told by phone"


def test_a_member_cannot_override_a_gate(owner, teammate):
    deal = deal_create(actor=teammate, title="Shop fit-out")
    with pytest.raises(PermissionDenied):
        deal_move_to_stage(
            actor=teammate, deal=deal, stage=Stage.INTEREST, override_reason="Trust me"
        )


def test_a_blank_override_reason_does_not_override(deal, owner):
    with pytest.raises(StageGateRefused):
        deal_move_to_stage(actor=owner, deal=deal, stage=Stage.INTEREST, override_reason="   ")


def test_a_move_to_an_unknown_stage_is_refused(deal, owner):
    with pytest.raises(ValidationError) as error:
        deal_move_to_stage(actor=owner, deal=deal, stage="negotiation")
    assert "stage" in error.value.message_dict


def test_the_second_of_two_simultaneous_moves_is_told_and_nothing_is_overwritten(deal, owner):
    seen_version = deal.version
    deal = deal_update(actor=owner, deal=deal, pain="Churn.", expected_version=seen_version)
    with pytest.raises(VersionConflict) as conflict:
        deal_move_to_stage(
            actor=owner, deal=deal, stage=Stage.INTEREST, expected_version=seen_version
        )
    assert "Someone else changed" in str(conflict.value)
    deal.refresh_from_db()
    assert deal.stage == Stage.ATTENTION
    assert deal.moves.count() == 1


def test_a_stale_edit_is_refused_and_keeps_the_other_users_change(deal, owner, teammate):
    seen = deal.version
    deal_update(actor=teammate, deal=deal, title="Renamed by Tom", expected_version=seen)
    with pytest.raises(VersionConflict):
        deal_update(actor=owner, deal=deal, title="Renamed by Olivia", expected_version=seen)
    deal.refresh_from_db()
    assert deal.title == "Renamed by Tom"


def test_winning_makes_the_company_and_the_contacts_company_customers_from_today(owner):
    company = CompanyFactory(owner=owner, relationship=Relationship.PROSPECT)
    other = CompanyFactory(owner=owner, relationship=Relationship.FORMER_CUSTOMER)
    contact = PersonFactory(owner=owner, company=other)
    deal = deal_create(actor=owner, title="Audit", company=company, contact=contact)
    with time_machine.travel(date(2026, 3, 10)):
        deal_win(actor=owner, deal=deal)
    company.refresh_from_db()
    other.refresh_from_db()
    assert company.relationship == Relationship.CUSTOMER
    assert company.customer_since == date(2026, 3, 10)
    assert other.relationship == Relationship.CUSTOMER


def test_winning_keeps_the_customer_since_date_of_an_existing_customer(owner):
    company = CompanyFactory(
        owner=owner, relationship=Relationship.CUSTOMER, customer_since=date(2020, 1, 1)
    )
    deal_win(actor=owner, deal=deal_create(actor=owner, title="Repeat order", company=company))
    company.refresh_from_db()
    assert company.customer_since == date(2020, 1, 1)


def test_a_lost_deal_needs_a_reason_and_a_closed_deal_cannot_move(deal, owner):
    with pytest.raises(ValidationError) as error:
        deal_lose(actor=owner, deal=deal, reason=" ")
    assert "lost_reason" in error.value.message_dict
    deal = deal_lose(actor=owner, deal=deal, reason="Chose a cheaper offer")
    assert deal.outcome == Outcome.LOST and deal.closed_at is not None
    with pytest.raises(ValidationError):
        deal_move_to_stage(actor=owner, deal=deal, stage=Stage.INTEREST, override_reason="x")
    with pytest.raises(ValidationError):
        deal_win(actor=owner, deal=deal)


def test_closing_as_a_no_writes_the_reason_for_us(deal, owner):
    closed = deal_close_as_no(actor=owner, deal=deal)
    assert closed.outcome == Outcome.LOST
    assert closed.lost_reason.startswith("Fast no: no decision after")


def test_referring_out_and_reopening(deal, owner):
    referred = deal_refer_out(actor=owner, deal=deal, note="Sent to Ana, who does catering")
    assert referred.outcome == Outcome.REFERRED_OUT
    reopened = deal_reopen(actor=owner, deal=referred)
    assert reopened.outcome == Outcome.OPEN and reopened.closed_at is None


def test_negative_amounts_are_refused(owner):
    with pytest.raises(ValidationError) as error:
        deal_create(actor=owner, title="Bad", revenue="-1")
    assert error.value.message_dict["revenue"] == ["Revenue cannot be negative."]
    deal = deal_create(actor=owner, title="Ok")
    with pytest.raises(ValidationError) as error:
        deal_update(actor=owner, deal=deal, cost="-5")
    assert "cost" in error.value.message_dict
    with pytest.raises(ValidationError):
        quote_create(actor=owner, deal=deal, amount="-10")


def test_cost_above_revenue_is_allowed_but_flagged(owner):
    deal = deal_create(actor=owner, title="Loss leader", revenue="100", cost="250")
    assert deal.profit == Decimal("-150")
    assert deal.warnings() == ["Cost is above revenue: this deal loses money."]


def test_a_past_close_date_is_flagged_on_an_open_deal_only(owner):
    with time_machine.travel(date(2026, 5, 1)):
        deal = deal_create(actor=owner, title="Late", expected_close_date=date(2026, 5, 20))
        assert deal.warnings() == []
    with time_machine.travel(date(2026, 6, 1)):
        assert deal.warnings() == ["The expected close date has passed."]
        deal = deal_win(actor=owner, deal=deal)
        assert deal.warnings() == []


def test_profit_and_margin_come_from_revenue_and_cost(owner):
    deal = deal_create(actor=owner, title="Margin", revenue="2000", cost="500")
    assert deal.profit == Decimal("1500")
    assert deal.margin == Decimal("75.0")


def test_a_viewer_cannot_create_or_move_a_deal(viewer, deal):
    with pytest.raises(PermissionDenied):
        deal_create(actor=viewer, title="Nope")
    with pytest.raises(PermissionDenied):
        deal_move_to_stage(actor=viewer, deal=deal, stage=Stage.ATTENTION)


def test_an_outsider_cannot_move_a_private_deal(owner, outsider):
    deal = deal_create(actor=owner, title="Secret", is_private=True)
    with pytest.raises(PermissionDenied):
        deal_move_to_stage(actor=outsider, deal=deal, stage=Stage.INTEREST)


def test_a_deal_cannot_point_to_a_company_the_actor_cannot_see(owner, teammate):
    hidden = CompanyFactory(owner=owner, is_private=True)
    with pytest.raises(ValidationError) as error:
        deal_create(actor=teammate, title="Sneaky", company=hidden)
    assert "company" in error.value.message_dict


def test_a_quote_cannot_be_sent_twice(deal, owner):
    quote = _sent_quote(deal, owner)
    with pytest.raises(ValidationError):
        quote_send(actor=owner, quote=quote)


def test_an_admin_changes_a_stage_percentage_and_the_change_is_recorded(owner):
    setting = stage_setting_update(
        actor=owner, stage=Stage.DESIRE, probability="65", stale_after_days=30
    )
    assert (setting.probability, setting.stale_after_days) == (65, 30)
    assert StageSetting.history.filter(stage=Stage.DESIRE, history_user=owner).exists()


def test_a_member_cannot_change_stage_settings_and_bad_numbers_are_refused(owner, teammate):
    with pytest.raises(PermissionDenied):
        stage_setting_update(actor=teammate, stage=Stage.DESIRE, probability=1, stale_after_days=1)
    with pytest.raises(ValidationError) as error:
        stage_setting_update(actor=owner, stage=Stage.DESIRE, probability=120, stale_after_days=1)
    assert "probability" in error.value.message_dict


def test_the_question_bank_accepts_new_questions_but_not_empty_ones(owner):
    assert tough_question_create(actor=owner, text=" What if you wait a year? ").text == (
        "What if you wait a year?"
    )
    with pytest.raises(ValidationError):
        tough_question_create(actor=owner, text="  ")


def test_a_deal_can_be_created_in_a_later_stage_only_when_its_gates_hold(owner):
    with pytest.raises(ValidationError) as error:
        deal_create(actor=owner, title="Imported", stage=Stage.INTEREST)
    assert "stage" in error.value.message_dict
    deal = deal_create(actor=owner, title="Imported", stage=Stage.INTEREST, pain="Slow site")
    assert deal.stage == Stage.INTEREST and deal.furthest_stage_index == 1


def test_an_admin_user_other_than_the_owner_may_override(owner):
    admin = UserFactory(role=Role.ADMIN)
    deal = deal_create(actor=admin, title="Admin deal")
    moved = deal_move_to_stage(
        actor=admin, deal=deal, stage=Stage.INTEREST, override_reason="Known need"
    )
    assert moved.stage == Stage.INTEREST
    assert moved.stage_entered_at > deal.created_at - timedelta(seconds=1)


def test_an_admin_can_switch_off_a_stages_criteria_and_moves_then_pass(owner, teammate):
    deal = deal_create(actor=teammate, title="No pain needed")
    stage_setting_update(
        actor=owner,
        stage=Stage.INTEREST,
        probability=20,
        stale_after_days=21,
        enforce_entry_criteria=False,
    )
    moved = deal_move_to_stage(actor=teammate, deal=deal, stage=Stage.INTEREST)
    assert moved.stage == Stage.INTEREST
    with pytest.raises(StageGateRefused) as refused:
        deal_move_to_stage(actor=teammate, deal=moved, stage=Stage.DESIRE)
    assert len(refused.value.missing) == 2  # Desire still asks for both parts of Conviction
