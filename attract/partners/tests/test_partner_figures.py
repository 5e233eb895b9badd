"""Each partner's referral figures are stored on it, so the list reads its own rows: they
follow every referral and every deal referred, in the same transaction, and a recount
catches writes that bypassed the receivers."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attract.partners import services
from attract.partners.models import Partner, Referral
from attract.partners.selectors import partner_list_for_user
from attract.partners.tests.factories import make_partner
from attract.people.services import person_create
from attract.pipeline.services import deal_create, deal_win

pytestmark = pytest.mark.django_db


def _listed(owner, sort: str = "name") -> dict[str, Partner]:
    return {str(p): p for p in partner_list_for_user(user=owner, sort=sort)}


def test_referrals_added_corrected_trashed_and_restored_show_on_the_list(owner):
    partner = make_partner(owner, name="Lumen Partners")
    ann = person_create(actor=owner, first_name="Ann")
    out = services.referral_create(
        actor=owner, partner=partner, direction="out", person=ann, value="400",
        referred_on="2026-03-04",
    )  # fmt: skip
    services.referral_create(actor=owner, partner=partner, direction="in", person=ann)
    listed = _listed(owner)["Lumen Partners"]
    assert (listed.out_count, listed.in_count, listed.balance) == (1, 1, 0)
    assert listed.out_value == Decimal("400")

    services.referral_update(
        actor=owner, referral=out, became_customer=True, won_revenue="900", won_profit="250"
    )
    listed = _listed(owner)["Lumen Partners"]
    assert (listed.out_customers, listed.out_won_revenue, listed.out_won_profit) == (
        1, Decimal("900"), Decimal("250"),
    )  # fmt: skip

    services.referral_trash(actor=owner, referral=Referral.objects.get(pk=out.pk))
    assert _listed(owner)["Lumen Partners"].out_count == 0
    services.referral_restore(actor=owner, referral=Referral.all_objects.get(pk=out.pk))
    assert _listed(owner)["Lumen Partners"].out_count == 1


def test_a_deal_referred_in_that_we_win_counts_as_a_customer_with_its_profit(owner):
    partner = make_partner(owner, name="Harbor Allies")
    deal = deal_create(actor=owner, title="Roof", revenue=Decimal("1000"), cost=Decimal("300"))
    services.referral_create(actor=owner, partner=partner, direction="in", deal=deal)
    assert _listed(owner)["Harbor Allies"].in_customers == 0

    deal_win(actor=owner, deal=deal)

    listed = _listed(owner)["Harbor Allies"]
    assert (listed.in_customers, listed.in_won_revenue, listed.in_won_profit) == (
        1, Decimal("1000"), Decimal("700"),
    )  # fmt: skip


def test_the_list_sorts_by_the_stored_counts_in_a_fixed_number_of_queries(owner):
    quiet, busy = make_partner(owner, name="Quiet Co"), make_partner(owner, name="Busy Co")
    people = [person_create(actor=owner, first_name=f"P{n}") for n in range(3)]
    for person in people:
        services.referral_create(actor=owner, partner=busy, direction="in", person=person)
    services.referral_create(actor=owner, partner=quiet, direction="in", person=people[0])

    with CaptureQueriesContext(connection) as few:
        rows = partner_list_for_user(user=owner, sort="referred_in")[0:50]
    assert [str(p) for p in rows] == ["Busy Co", "Quiet Co"]
    for n in range(5):
        make_partner(owner, name=f"More {n}")
    with CaptureQueriesContext(connection) as more:
        again = partner_list_for_user(user=owner, sort="referred_in")[0:50]
    assert len(again) == 7
    assert len(more) == len(few) == 2, "\n".join(q["sql"][:90] for q in more.captured_queries)


def test_a_bulk_write_that_bypassed_the_receivers_is_caught_by_the_recount(owner):
    partner = make_partner(owner, name="Bulk Friends")
    ann = person_create(actor=owner, first_name="Ann")
    Referral.objects.bulk_create(
        [Referral(partner=partner, direction="out", person=ann, referred_on="2026-02-01",
                  value=Decimal("10"), created_by=owner, updated_by=owner)] * 1
    )  # fmt: skip
    assert _listed(owner)["Bulk Friends"].out_count == 0  # an import's bulk write

    out = io.StringIO()
    call_command("partners", "recount", stdout=out)

    assert "1 partner recounted" in out.getvalue()
    listed = _listed(owner)["Bulk Friends"]
    assert listed.out_count == 1 and str(listed.last_referred_on) == "2026-02-01"
