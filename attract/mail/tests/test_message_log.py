"""The one place mail becomes interactions: once per Message-ID, with the right direction,
on every matched person the user may see, never on the team or a newsletter."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from attract.engagement.models import Channel, Direction, Interaction
from attract.mail.message_log import MessageFacts, log_message
from attract.mail.models import MailMessage, MessageSource
from attract.people.tests.factories import EmailAddressFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _facts(message_id, sender, *to, minutes_ago=60, **headers):
    return MessageFacts(
        message_id=message_id,
        from_address=sender,
        to_addresses=tuple(to),
        subject=headers.pop("subject", "About the proposal"),
        sent_at=timezone.now() - timedelta(minutes=minutes_ago),
        **headers,
    )


@pytest.fixture
def ana(owner):
    person = PersonFactory(first_name="Ana", owner=owner)
    EmailAddressFactory(person=person, email="ana@client.example", is_primary=True)
    EmailAddressFactory(person=person, email="ana.private@mail.example", is_primary=False)
    return person


def test_an_inbound_message_is_logged_once_as_they_reached_out(owner, ana):
    facts = _facts("<first@client.example>", "Ana@Client.example", "owner@example.com")
    first = log_message(actor=owner, facts=facts, source=MessageSource.MAILBOX, outbound=False)
    again = log_message(actor=owner, facts=facts, source=MessageSource.FILE, outbound=False)

    assert first.created and not again.created
    assert again.message.pk == first.message.pk
    logged = Interaction.objects.get(person=ana)
    assert (logged.channel, logged.direction) == (Channel.EMAIL, Direction.THEY_REACHED_OUT)
    assert logged.needs_reply  # the response clock starts
    assert MailMessage.objects.get().message_id == "first@client.example"


def test_a_reply_naming_ours_is_they_replied_and_our_answer_stops_the_clock(owner, ana):
    ours = _facts("ours@example.com", "owner@example.com", "ana.private@mail.example")
    log_message(actor=owner, facts=ours, source=MessageSource.SENT, outbound=True)
    theirs = _facts(
        "theirs@client.example",
        "ana@client.example",
        "owner@example.com",
        minutes_ago=30,
        in_reply_to="<ours@example.com>",
    )
    reply = log_message(actor=owner, facts=theirs, source=MessageSource.MAILBOX, outbound=False)
    assert reply.message.direction == Direction.THEY_REPLIED

    cold = _facts("cold@client.example", "ana@client.example", "owner@example.com", minutes_ago=20)
    # Within the window, even without headers naming ours, it answers what we wrote.
    assert (
        log_message(
            actor=owner, facts=cold, source=MessageSource.MAILBOX, outbound=False
        ).message.direction
        == Direction.THEY_REPLIED
    )


def test_a_first_message_from_them_then_ours_is_we_replied_and_answers_it(owner, ana):
    theirs = _facts("q@client.example", "ana@client.example", "owner@example.com", minutes_ago=90)
    asked = log_message(actor=owner, facts=theirs, source=MessageSource.MAILBOX, outbound=False)
    ours = _facts(
        "a@example.com", "owner@example.com", "ana@client.example", in_reply_to="q@client.example"
    )
    answer = log_message(actor=owner, facts=ours, source=MessageSource.SENT, outbound=True)

    assert answer.message.direction == Direction.WE_REPLIED
    asked_interaction = asked.interactions[0]
    asked_interaction.refresh_from_db()
    assert asked_interaction.answered_at is not None


def test_newsletters_the_team_and_strangers_count_nowhere(owner, teammate, ana):
    bulk = _facts("news@client.example", "ana@client.example", "owner@example.com")
    kept = log_message(
        actor=owner, facts=bulk, source=MessageSource.MAILBOX, outbound=False, counted=False
    )
    internal = _facts("team@example.com", "teammate@example.com", "owner@example.com")
    log_message(actor=owner, facts=internal, source=MessageSource.MAILBOX, outbound=False)
    stranger = _facts("s@elsewhere.example", "new.lead@elsewhere.example", "owner@example.com")
    unknown = log_message(actor=owner, facts=stranger, source=MessageSource.MAILBOX, outbound=False)

    assert kept.created and not kept.message.counted
    assert not Interaction.objects.exists()
    assert unknown.message.unmatched_addresses == ["new.lead@elsewhere.example"]


def test_a_colleagues_private_person_is_not_touched(owner, teammate):
    hidden = PersonFactory(first_name="Hidden", owner=teammate, is_private=True)
    EmailAddressFactory(person=hidden, email="hidden@client.example")
    facts = _facts("h@client.example", "hidden@client.example", "owner@example.com")
    logged = log_message(actor=owner, facts=facts, source=MessageSource.MAILBOX, outbound=False)

    assert not Interaction.objects.filter(person=hidden).exists()
    assert logged.message.unmatched_addresses == ["hidden@client.example"]


def test_a_message_without_a_message_id_is_refused_and_nothing_is_logged(owner, ana):
    with pytest.raises(ValidationError) as refused:
        log_message(
            actor=owner,
            facts=_facts("  <>  ", "ana@client.example", "owner@example.com"),
            source=MessageSource.FILE,
            outbound=False,
        )
    assert "message_id" in refused.value.message_dict
    assert not MailMessage.objects.exists() and not Interaction.objects.exists()
