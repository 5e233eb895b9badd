"""`attract partners list` and `attract refer`: the same rules as the pages and the API."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from attract.partners.tests.factories import make_partner
from attract.pipeline.models import Deal, Outcome
from attract.pipeline.services import deal_create

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_list_shows_partners_with_their_referrals(owner):
    partner = make_partner(owner, name="Allies Ltd")
    deal = deal_create(actor=owner, title="Small job", revenue=Decimal("400"))
    out = _run(
        "refer", f"deal:{deal.pk}", str(partner.pk), "--reason", "Too small", "--as", owner.email
    )
    assert "Referral recorded: Small job to Allies Ltd (400.00)" in out
    assert Deal.objects.get(pk=deal.pk).outcome == Outcome.REFERRED_OUT
    listing = _run("partners", "list", "--as", owner.email)
    assert "Allies Ltd" in listing and "400.00" in listing and "1 of 1 partners shown" in listing


def test_refer_refuses_bad_input_and_private_records(owner, outsider):
    partner = make_partner(owner)
    private = deal_create(actor=owner, title="Secret", is_private=True)
    with pytest.raises(CommandError, match="No deal"):
        _run("refer", f"deal:{private.pk}", str(partner.pk), "--as", outsider.email)
    with pytest.raises(CommandError, match="deal:ID"):
        _run("refer", "invoice:3", str(partner.pk), "--as", owner.email)
    with pytest.raises(CommandError, match="No partner"):
        _run("refer", f"deal:{private.pk}", "99999", "--as", owner.email)
    with pytest.raises(CommandError, match="themselves"):
        _run("refer", f"company:{partner.company_id}", str(partner.pk), "--as", owner.email)
    with pytest.raises(CommandError):
        _run("partners", "list", "--limit", "0", "--as", owner.email)


def test_a_private_partner_is_not_listed_for_others(owner, outsider):
    make_partner(owner, name="Hidden Allies", is_private=True)
    assert "Hidden Allies" not in _run("partners", "list", "--as", outsider.email)


def test_initiatives_list_ranks_by_what_they_brought(owner, teammate):
    from django.utils import timezone

    from attract.partners import initiative_services as initiatives
    from attract.people.services import person_create
    from attract.pipeline.services import deal_win

    partner = make_partner(owner, name="Allies Ltd")
    secret = make_partner(owner, name="Hush", is_private=True)
    today = timezone.localdate()
    common = {"kind": "seminar", "our_role": "speaker", "held_on": today}
    quiet = initiatives.initiative_create(actor=owner, partners=[partner], title="Quiet", **common)
    loud = initiatives.initiative_create(actor=owner, partners=[partner], title="Loud", **common)
    initiatives.initiative_create(actor=owner, partners=[secret], title="Hidden", **common)
    person = person_create(actor=owner, first_name="Ann")
    initiatives.initiative_add_person(actor=owner, initiative=loud, person=person)
    deal = deal_create(actor=owner, title="Ann's", contact=person, revenue=Decimal("900"))
    deal_win(actor=owner, deal=deal)
    out = _run("initiatives", "list", "--as", owner.email)
    assert out.index("Loud") < out.index("Quiet") and "900.00" in out
    assert "3 of 3 initiatives shown" in out
    out = _run("initiatives", "list", "--as", teammate.email)
    assert "Hidden" not in out and "2 of 2" in out
    assert quiet.pk
    with pytest.raises(CommandError):
        _run("initiatives", "list", "--limit", "0", "--as", owner.email)
