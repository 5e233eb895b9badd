"""Sending against a real SMTP server (aiosmtpd in-process): what arrives, what is logged,
and that retries and failures never send twice nor log what did not go."""

import pytest
from django.core.exceptions import ValidationError

from attract.engagement.models import Channel, Direction, Interaction
from attract.jobs.testing import run_queued_tasks
from attract.mail.models import MailMessage, RecipientStatus, SendRecipient, SendStatus
from attract.mail.send_services import MailServerError, send_prepare, send_run
from attract.mail.send_tasks import send_enqueue
from attract.mail.send_unsubscribe import unsubscribe_address, unsubscribe_record
from attract.mail.template_services import signature_set
from attract.people.tests.factories import CompanyFactory, EmailAddressFactory, PersonFactory

pytestmark = pytest.mark.django_db

BASE = "https://crm.example.com"


def _person(owner, first, address, **extra):
    company = extra.pop("company", None)
    person = PersonFactory(first_name=first, last_name=extra.pop("last", "Ng"), owner=owner,
                           company=company, **extra)  # fmt: skip
    if address:
        EmailAddressFactory(person=person, email=address, is_primary=True)
    return person


@pytest.fixture
def sender(owner):
    owner.full_name = "Zoë Ørsted"
    owner.save()
    signature_set(actor=owner, signature="Zoë Ørsted\nØrsted Plumbing")
    return owner


def test_one_letter_arrives_with_our_message_id_and_is_logged_as_we_reached_out(
    sender, smtp_server
):
    company = CompanyFactory(name="Café Ñandú", owner=sender)
    ana = _person(sender, "Anaïs", "anais@client.example", company=company, last="Müller")
    send = send_prepare(
        actor=sender,
        persons=[ana],
        subject="Grüße, {{ first_name }} — ça va?",
        body="Dear {{ first_name }} at {{ company }},\n\nThank you.\n\n{{ signature }}",
        base_url=BASE,
    )
    send_run(send)

    [got] = smtp_server.messages
    message = got.message
    assert got.sender == "owner@example.com"
    assert got.recipients == ["anais@client.example"]
    assert message["Subject"] == "Grüße, Anaïs — ça va?"
    assert message["From"].addresses[0].display_name == "Zoë Ørsted"
    assert message["To"].addresses[0].display_name == "Anaïs Müller"
    # Non-ASCII headers travel encoded (RFC 2047), not raw.
    assert b"=?utf-8?" in got.raw.split(b"\r\n\r\n", 1)[0].lower()
    text = message.get_content()
    assert "Dear Anaïs at Café Ñandú," in text and "Ørsted Plumbing" in text
    assert "unsubscribe" not in text.lower()  # one letter to one person is not bulk
    row = SendRecipient.objects.get(send=send)
    assert row.status == RecipientStatus.SENT
    assert message["Message-ID"] == f"<{row.message_id}>"
    assert row.message_id.endswith("@example.com")
    logged = MailMessage.objects.get(message_id=row.message_id)
    assert logged.direction == Direction.WE_REACHED_OUT
    interaction = Interaction.objects.get(person=ana)
    assert (interaction.channel, interaction.direction) == (Channel.EMAIL, Direction.WE_REACHED_OUT)
    assert interaction.summary == "Grüße, Anaïs — ça va?"


def test_a_bulk_send_carries_a_working_unsubscribe_link_and_skips_who_may_not_be_mailed(
    sender, smtp_server
):
    ana = _person(sender, "Ana", "ana@client.example")
    ben = _person(sender, "Ben", "ben@client.example")
    no_mail = _person(sender, "Cleo", "cleo@client.example", do_not_email=True)
    no_address = _person(sender, "Dan", "")
    gone = _person(sender, "Eve", "eve@client.example")
    unsubscribe_record("EVE@client.example")
    send = send_prepare(
        actor=sender,
        persons=[ana, ben, no_mail, no_address, gone],
        subject="News for {{ first_name }}",
        body="Hello {{ first_name }}",
        base_url=BASE,
    )
    send_enqueue(send)
    run_queued_tasks()

    assert sorted(r for m in smtp_server.messages for r in m.recipients) == [
        "ana@client.example",
        "ben@client.example",
    ]
    message = smtp_server.messages[0].message
    link = message["List-Unsubscribe"].strip().strip("<>")
    assert link.startswith(f"{BASE}/mail/unsubscribe/")
    assert link in message.get_content()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert unsubscribe_address(token) == smtp_server.messages[0].recipients[0]
    reasons = dict(
        SendRecipient.objects.filter(send=send, status=RecipientStatus.SKIPPED).values_list(
            "person__first_name", "reason"
        )
    )
    assert reasons == {
        "Cleo": "Cleo Ng asked not to be e-mailed.",
        "Dan": "Dan Ng has no e-mail address.",
        "Eve": "eve@client.example unsubscribed from our e-mails.",
    }
    send.refresh_from_db()
    assert send.status == SendStatus.DONE
    assert Interaction.objects.filter(person__in=[no_mail, no_address, gone]).count() == 0
    assert Interaction.objects.filter(person__in=[ana, ben]).count() == 2


@pytest.mark.parametrize(
    ("flag", "address", "words"),
    [
        ({"do_not_email": True}, "x@client.example", "asked not to be e-mailed"),
        ({}, "", "has no e-mail address"),
    ],
)
def test_one_letter_to_someone_who_cannot_receive_it_is_refused(
    sender, smtp_server, flag, address, words
):
    person = _person(sender, "Finn", address, **flag)
    with pytest.raises(ValidationError, match=words):
        send_prepare(actor=sender, persons=[person], subject="Hi", body="Hi", base_url=BASE)
    assert smtp_server.messages == []


def test_running_a_send_again_sends_nothing_twice(sender, smtp_server):
    persons = [_person(sender, f"P{i}", f"p{i}@client.example") for i in range(3)]
    send = send_prepare(actor=sender, persons=persons, subject="Hi", body="Hi", base_url=BASE)
    send_run(send)
    send_run(send)
    send_enqueue(send)
    run_queued_tasks()
    assert len(smtp_server.messages) == 3
    assert MailMessage.objects.count() == 3


def test_a_row_left_mid_call_by_a_dead_worker_is_not_sent_again(sender, smtp_server):
    persons = [_person(sender, f"P{i}", f"p{i}@client.example") for i in range(2)]
    send = send_prepare(actor=sender, persons=persons, subject="Hi", body="Hi", base_url=BASE)
    first = send.recipients.order_by("id").first()
    SendRecipient.objects.filter(pk=first.pk).update(status=RecipientStatus.SENDING)
    send_run(send)
    assert [m.recipients for m in smtp_server.messages] == [["p1@client.example"]]
    first.refresh_from_db()
    assert first.status == RecipientStatus.FAILED and "not sent again" in first.reason


def test_a_recipient_the_server_refuses_is_failed_with_its_answer_and_not_logged(
    sender, smtp_server
):
    smtp_server.refuse.add("nobody@client.example")
    ok = _person(sender, "Ok", "ok@client.example")
    bad = _person(sender, "Bad", "nobody@client.example")
    send = send_prepare(actor=sender, persons=[ok, bad], subject="Hi", body="Hi", base_url=BASE)
    send_run(send)
    row = SendRecipient.objects.get(send=send, person=bad)
    assert row.status == RecipientStatus.FAILED
    assert "550" in row.reason and "No such mailbox" in row.reason
    assert not Interaction.objects.filter(person=bad).exists()
    assert [m.to_addresses for m in MailMessage.objects.all()] == [["ok@client.example"]]


def test_a_server_that_refuses_the_connection_gives_a_clear_error_and_logs_nothing(
    sender, closed_smtp_port
):
    ana = _person(sender, "Ana", "ana@client.example")
    send = send_prepare(actor=sender, persons=[ana], subject="Hi", body="Hi", base_url=BASE)
    with pytest.raises(MailServerError, match="refused the connection. Nothing was sent"):
        send_run(send)
    send.refresh_from_db()
    assert send.status == SendStatus.FAILED and "127.0.0.1" in send.error
    assert SendRecipient.objects.get(send=send).status == RecipientStatus.PENDING
    assert not MailMessage.objects.exists() and not Interaction.objects.exists()


def test_a_server_that_never_answers_times_out_with_a_clear_error(sender, silent_smtp_server):
    ana = _person(sender, "Ana", "ana@client.example")
    send = send_prepare(actor=sender, persons=[ana], subject="Hi", body="Hi", base_url=BASE)
    with pytest.raises(MailServerError, match="did not answer in time"):
        send_run(send)
    assert not MailMessage.objects.exists() and not Interaction.objects.exists()


def test_a_send_the_server_refused_is_delivered_when_tried_again(sender, closed_smtp_port):
    from attract.mail.tests.smtp_server import running_smtp_server

    ana = _person(sender, "Ana", "ana@client.example")
    send = send_prepare(actor=sender, persons=[ana], subject="Hi", body="Hi", base_url=BASE)
    with pytest.raises(MailServerError):
        send_run(send)
    with running_smtp_server() as inbox:
        send_run(send)
    assert len(inbox.messages) == 1
    assert MailMessage.objects.count() == 1
