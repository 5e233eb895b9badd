"""The 21-day challenge: one at a time, a new collaborator each day, days counted in the
user's own time zone, the grid, the streak and the referrals that came afterwards."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from attract.partners import challenge as rules
from attract.partners import services
from attract.partners.models import Challenge
from attract.people.services import company_create, person_create

pytestmark = pytest.mark.django_db


def _person(owner, name: str, **fields):
    return person_create(actor=owner, first_name=name, last_name="Collaborator", **fields)


def test_a_challenge_started_twice_is_refused(owner):
    rules.challenge_start(actor=owner)
    with pytest.raises(ValidationError, match="already running"):
        rules.challenge_start(actor=owner)
    assert Challenge.objects.count() == 1


def test_meeting_the_same_collaborator_twice_counts_once_and_one_meeting_a_day(owner):
    ann, bob = _person(owner, "Ann"), _person(owner, "Bob")
    with time_machine.travel("2026-05-04 09:00:00+00:00", tick=False):
        rules.challenge_start(actor=owner)
        rules.challenge_meet(actor=owner, person=ann)
        with pytest.raises(ValidationError, match="Today already counts"):
            rules.challenge_meet(actor=owner, person=bob)
    with time_machine.travel("2026-05-05 09:00:00+00:00", tick=False):
        with pytest.raises(ValidationError, match="a new collaborator each day"):
            rules.challenge_meet(actor=owner, person=ann)
        rules.challenge_meet(actor=owner, person=bob)
    with time_machine.travel("2026-05-07 09:00:00+00:00", tick=False):
        status = rules.challenge_status(rules.latest_challenge(owner), user=owner)
    states = [d.state for d in status.days[:5]]
    assert states == ["met", "met", "missed", "today", "to_come"]
    assert status.met == 2 and status.streak == 0 and status.running


def test_the_streak_counts_met_days_up_to_today(owner):
    people = [_person(owner, f"P{n}") for n in range(3)]
    for n, person in enumerate(people):
        with time_machine.travel(f"2026-05-0{4 + n} 09:00:00+00:00", tick=False):
            if n == 0:
                rules.challenge_start(actor=owner)
            rules.challenge_meet(actor=owner, person=person)
    with time_machine.travel("2026-05-07 09:00:00+00:00", tick=False):
        status = rules.challenge_status(rules.latest_challenge(owner), user=owner)
    assert status.streak == 3  # today is still open: it does not break the streak


def test_days_are_the_users_local_days_across_midnight(owner):
    owner.time_zone = "Asia/Tokyo"
    owner.save()
    ann, bob = _person(owner, "Ann"), _person(owner, "Bob")
    # 14:30 UTC is 23:30 in Tokyo on 4 May; 15:30 UTC is already 5 May there.
    with time_machine.travel("2026-05-04 14:30:00+00:00", tick=False):
        challenge = rules.challenge_start(actor=owner)
        rules.challenge_meet(actor=owner, person=ann)
    with time_machine.travel("2026-05-04 15:30:00+00:00", tick=False):
        meeting = rules.challenge_meet(actor=owner, person=bob)
    assert challenge.started_on == date(2026, 5, 4) and meeting.day == date(2026, 5, 5)


def test_after_21_days_it_ends_and_a_new_one_may_start(owner):
    with time_machine.travel("2026-05-01 09:00:00+00:00", tick=False):
        rules.challenge_start(actor=owner)
    with time_machine.travel("2026-05-22 09:00:00+00:00", tick=False):
        assert rules.running_challenge(owner) is None
        with pytest.raises(ValidationError, match="Start the 21-day challenge"):
            rules.challenge_meet(actor=owner, person=_person(owner, "Late"))
        rules.challenge_start(actor=owner)
    assert Challenge.objects.count() == 2


def test_referrals_from_those_met_in_the_following_90_days(owner):
    works = company_create(actor=owner, name="Met Works")
    ann = _person(owner, "Ann", company=works)
    with time_machine.travel("2026-05-01 09:00:00+00:00", tick=False):
        rules.challenge_start(actor=owner)
        rules.challenge_meet(actor=owner, person=ann)
    partner = services.partner_create(actor=owner, company=works)
    prospect = _person(owner, "Prospect")
    services.referral_create(
        actor=owner, partner=partner, direction="in", person=prospect,
        referred_on=date(2026, 5, 21) + timedelta(days=90),
    )  # fmt: skip
    services.referral_create(
        actor=owner, partner=partner, direction="in", person=prospect,
        referred_on=date(2026, 5, 21) + timedelta(days=91),
    )  # fmt: skip
    status = rules.challenge_status(rules.latest_challenge(owner), user=owner)
    assert len(status.referrals) == 1


def test_someone_elses_private_person_cannot_be_ticked(owner, outsider):
    secret = person_create(actor=owner, first_name="Secret", is_private=True)
    rules.challenge_start(actor=outsider)
    with pytest.raises(ValidationError, match="no such person"):
        rules.challenge_meet(actor=outsider, person=secret)


def test_the_page_starts_and_ticks_a_day(owner_client, owner):
    ann = _person(owner, "Ann")
    assert b"Start the 21-day challenge" in owner_client.get("/partners/challenge/").content
    owner_client.post("/partners/challenge/start/")
    found = owner_client.get("/partners/challenge/?q=ann").content.decode()
    assert "Met Ann Collaborator today" in found
    owner_client.post("/partners/challenge/meet/", {"person": ann.pk, "note": "Coffee"})
    page = owner_client.get("/partners/challenge/").content.decode()
    assert 'data-state="met"' in page and "Today counts" in page
    bad = owner_client.post("/partners/challenge/meet/", {"person": "x"}, follow=True)
    assert bad.status_code == 200 and b"Choose the person" in bad.content


def test_the_api_and_cli_start_tick_and_show_the_challenge(owner):
    import io

    from django.core.management import CommandError, call_command

    from attract.people.tests.test_api import ApiClient

    api = ApiClient(owner)
    assert api.get("/challenge").json() == {"challenge": None}
    assert api.post("/challenge").status_code == 201
    assert api.post("/challenge").status_code == 422  # started twice
    ann = _person(owner, "Ann")
    body = api.post("/challenge/meetings", {"person": ann.pk}).json()
    assert body["met"] == 1 and body["days"][0]["person"] == "Ann Collaborator"
    assert api.post("/challenge/meetings", {"person": 999999}).status_code == 422
    out = io.StringIO()
    call_command("challenge", "today", "--as", owner.email, stdout=out)
    assert "Today counts: you met Ann Collaborator" in out.getvalue()
    assert "1 of 21 met, streak 1" in out.getvalue()
    with pytest.raises(CommandError, match="already running"):
        call_command("challenge", "start", "--as", owner.email, stdout=io.StringIO())


def test_today_shows_the_days_challenge_while_one_runs(owner_client, owner):
    from attract.partners import challenge as rules
    from attract.people.services import person_create

    assert b"today-challenge" not in owner_client.get("/").content
    rules.challenge_start(actor=owner)
    page = owner_client.get("/").content.decode()
    assert "day 1 of 21" in page and "Not met yet" in page
    assert "/partners/challenge/#today-challenge" in page
    rules.challenge_meet(actor=owner, person=person_create(actor=owner, first_name="Nia"))
    page = owner_client.get("/").content.decode()
    assert "Met today" in page and "Nia" in page
