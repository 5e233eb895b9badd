"""`attract log` and `attract today`: the same rules as the web pages and the API."""

import io

import pytest
from django.core.management import CommandError, call_command

from attract.engagement.models import Interaction
from attract.engagement.tests.factories import TaskFactory
from attract.people.tests.factories import PersonFactory
from attract.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_log_a_call_where_they_reached_out(owner):
    ann = PersonFactory(owner=owner, first_name="Ann", last_name="Lee", search_name="ann lee")
    output = _run("log", "call", "Ann Lee", "--they-reached-out", "asked about pricing")
    assert "Logged: call with Ann Lee, they reached out. It awaits our reply." in output
    interaction = Interaction.objects.get()
    assert (interaction.person, interaction.summary) == (ann, "asked about pricing")


def test_log_an_email_we_replied_stops_the_clock(owner):
    PersonFactory(owner=owner, first_name="Ann", last_name="Lee", search_name="ann lee")
    _run("log", "call", "Ann Lee", "--they-reached-out", "asked about pricing")
    _run("log", "email", "Ann Lee", "--we-replied", "sent the price list")
    assert Interaction.objects.filter(answered_at__isnull=False).count() == 1


def test_a_person_who_does_not_exist_is_an_error(owner):
    with pytest.raises(CommandError, match="No person is called “Nobody Here”"):
        _run("log", "call", "Nobody Here", "--we-reached-out", "hello")


def test_a_future_date_is_refused_with_its_message(owner):
    PersonFactory(owner=owner, first_name="Ann", last_name="Lee", search_name="ann lee")
    with pytest.raises(CommandError, match="future"):
        _run("log", "call", "Ann Lee", "--we-reached-out", "x", "--at", "2999-01-01T10:00Z")
    assert not Interaction.objects.exists()


def test_today_prints_the_same_sections_as_the_page(owner):
    person = PersonFactory(owner=owner, first_name="Ann", last_name="Lee", search_name="ann lee")
    _run("log", "call", "Ann Lee", "--they-reached-out", "asked about pricing")
    TaskFactory(assignee=owner, person=person, title="Send brochure")
    DealFactory(owner=owner, title="Quiet deal")
    output = _run("today")
    for expected in (
        "Goals",
        "Awaiting our reply",
        "asked about pricing",
        "Send brochure",
        "Quiet deal",
        "Long maybes",
    ):
        assert expected in output, expected
