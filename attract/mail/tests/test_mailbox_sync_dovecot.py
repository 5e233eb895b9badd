"""Syncing against a real Dovecot filled with real-world messages: directions by threading,
lists, auto-replies, the team and a forged team sender, idempotent re-syncs, only new mail
fetched, a 30 MB message read by its headers, a changed password and a silent server."""

import socket
import tracemalloc
import uuid

import pytest

from attract.engagement.models import Direction, Interaction
from attract.mail.mailbox_imap import MailboxError
from attract.mail.mailbox_services import mailbox_connect
from attract.mail.mailbox_sync import mailbox_sync, mailbox_sync_all, mailbox_test
from attract.mail.models import MailboxFolder, MailMessage, UnmatchedAddress
from attract.mail.tests.conftest import message_bytes
from attract.people.tests.factories import EmailAddressFactory, PersonFactory

pytestmark = pytest.mark.django_db

SENT = ["02_our_answer_sent.eml", "10_we_reached_out_sent.eml"]
INBOX = [
    "01_question_multipart_qp.eml",
    "03_their_reply_without_headers.eml",
    "04_newsletter.eml",
    "05_auto_reply.eml",
    "06_stranger_cyrillic_base64.eml",
    "07_forged_team_sender.eml",
    "08_team_internal.eml",
    "09_malformed_headers.eml",
    "11_reply_with_references_only.eml",
]


def _person(owner, first, address):
    person = PersonFactory(first_name=first, owner=owner)
    EmailAddressFactory(person=person, email=address, is_primary=True)
    return person


@pytest.fixture
def imap_user(dovecot):
    name = f"u{uuid.uuid4().hex[:10]}@example.com"
    dovecot.add_user(name, "app-password-1")
    connection = dovecot.connect(name)
    connection.create('"Sent"')
    connection.logout()
    return name


def _mailbox(dovecot, user, imap_user, password="app-password-1"):  # noqa: S107
    return mailbox_connect(
        actor=user,
        host=dovecot.host,
        port=dovecot.port,
        security="none",
        username=imap_user,
        password=password,
        inbox_folder="INBOX",
        sent_folder="Sent",
    )


def _directions(person):
    return list(
        Interaction.objects.filter(person=person)
        .order_by("occurred_at")
        .values_list("direction", flat=True)
    )


def test_a_real_mailbox_is_logged_with_directions_by_threading(dovecot, imap_user, owner, teammate):
    ana = _person(owner, "Ana", "ana@client.example")
    taro = _person(owner, "Taro", "taro@kaisha.example")
    for name in SENT:
        dovecot.deliver(imap_user, "Sent", message_bytes(name))
    for name in INBOX:
        dovecot.deliver(imap_user, "INBOX", message_bytes(name))
    mailbox = _mailbox(dovecot, owner, imap_user)

    report = mailbox_sync(mailbox=mailbox)

    assert report.total == 11 and not report.problems
    assert _directions(ana) == [
        Direction.THEY_REACHED_OUT,  # her question
        Direction.WE_REPLIED,  # our answer, In-Reply-To hers
        Direction.THEY_REPLIED,  # her reply without headers, within the window of ours
    ]
    # Our first message to Taro, then his answer naming it in References only, 17 days later.
    assert _directions(taro) == [Direction.WE_REACHED_OUT, Direction.THEY_REPLIED]
    assert Interaction.objects.get(person=ana, direction=Direction.THEY_REACHED_OUT).summary == (
        "Pregunta sobre el presupuesto — junio"
    )
    newsletter = MailMessage.objects.get(message_id="nl-2026-06@news.vendor.example")
    auto = MailMessage.objects.get(message_id="ooo-1@client.example")
    assert not newsletter.counted and not auto.counted
    dmitri = UnmatchedAddress.objects.get(user=owner, address="dmitri@newlead.example")
    assert (dmitri.name, dmitri.last_subject, dmitri.suspicious) == (
        "Дмитрий Иванов",
        "Запрос цены",
        False,
    )
    forged = UnmatchedAddress.objects.get(user=owner, address="teammate@example.com")
    assert forged.suspicious and "check failed" in forged.suspicious_reason
    assert not MailMessage.objects.get(message_id="forged-1@relay.evil.example").counted
    # The broken message is kept: its sender read loosely, its Message-ID derived.
    assert UnmatchedAddress.objects.filter(address="sender@odd.example").exists()
    assert report.counts["suspicious"] == 1 and report.counts["team"] == 1
    mailbox.refresh_from_db()
    assert mailbox.last_sync_at and mailbox.last_error == "" and mailbox.last_sync_logged == 5


def test_a_resync_fetches_only_new_mail_and_doubles_nothing(dovecot, imap_user, owner):
    ana = _person(owner, "Ana", "ana@client.example")
    dovecot.deliver(imap_user, "INBOX", message_bytes("01_question_multipart_qp.eml"))
    mailbox = _mailbox(dovecot, owner, imap_user)
    assert mailbox_sync(mailbox=mailbox).logged == 1

    assert mailbox_sync(mailbox=mailbox).total == 0  # nothing above the last UID
    dovecot.deliver(imap_user, "INBOX", message_bytes("03_their_reply_without_headers.eml"))
    again = mailbox_sync(mailbox=mailbox)
    assert again.total == 1 and again.logged == 1

    # The server renumbered the folder (a new UIDVALIDITY): all is read again, nothing doubles.
    MailboxFolder.objects.filter(mailbox=mailbox).update(uidvalidity=1)
    renumbered = mailbox_sync(mailbox=mailbox)
    assert renumbered.total == 2 and renumbered.counts["already logged"] == 2
    assert Interaction.objects.filter(person=ana).count() == 2
    assert MailMessage.objects.count() == 2


def test_a_30_mb_message_is_read_by_its_headers_only(dovecot, imap_user, owner):
    ana = _person(owner, "Ana", "ana@client.example")
    head = message_bytes("01_question_multipart_qp.eml").split(b"\r\n\r\n", 1)[0]
    head = head.replace(b"multipart/alternative", b"multipart/mixed")
    attachment = (b"QUJD" * 19 + b"\r\n") * 400_000  # 30.4 MB of base64
    big = (
        head
        + b"\r\n\r\n--000000000000b1c2d3\r\nContent-Type: application/zip\r\n"
        + (
            b"Content-Transfer-Encoding: base64\r\n\r\n"
            + attachment
            + b"--000000000000b1c2d3--\r\n"
        )
    )
    assert len(big) > 30_000_000
    dovecot.deliver(imap_user, "INBOX", big)
    mailbox = _mailbox(dovecot, owner, imap_user)

    tracemalloc.start()
    report = mailbox_sync(mailbox=mailbox)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert report.logged == 1 and Interaction.objects.filter(person=ana).count() == 1
    assert peak < 5_000_000  # the attachment never came over


def test_a_changed_password_is_recorded_and_other_mailboxes_still_sync(
    dovecot, imap_user, owner, teammate
):
    _person(owner, "Ana", "ana@client.example")
    other_user = f"t{uuid.uuid4().hex[:10]}@example.com"
    dovecot.add_user(other_user, "teammate-pw")
    dovecot.connect(other_user).create('"Sent"')
    dovecot.deliver(other_user, "INBOX", message_bytes("01_question_multipart_qp.eml"))
    broken = _mailbox(dovecot, owner, imap_user)
    working = _mailbox(dovecot, teammate, other_user, password="teammate-pw")
    dovecot.add_user(imap_user, "a-new-password")  # changed at the provider

    totals = mailbox_sync_all()

    broken.refresh_from_db()
    working.refresh_from_db()
    assert "refused the login" in broken.last_error and broken.last_error_at
    assert broken.last_sync_at is None
    assert "app-password-1" not in broken.last_error and "a-new-password" not in broken.last_error
    assert working.last_error == "" and working.last_sync_at is not None
    assert totals == {"mailboxes": 2, "logged": 1, "failed": 1}
    with pytest.raises(MailboxError, match="refused the login"):
        mailbox_test(mailbox=broken)


def test_a_server_that_never_answers_times_out_with_the_error_recorded(owner, settings):
    settings.ATTRACT_MAIL_IMAP_TIMEOUT = 0.5
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection, never sends a greeting
    try:
        mailbox = mailbox_connect(
            actor=owner,
            host="127.0.0.1",
            port=silent.getsockname()[1],
            security="none",
            username="owner",
            password="x",
        )
        report = mailbox_sync(mailbox=mailbox)
    finally:
        silent.close()
    mailbox.refresh_from_db()
    assert "did not answer within 0.5 seconds" in mailbox.last_error
    assert report.total == 0 and not MailMessage.objects.exists()


def test_a_missing_folder_is_the_error_shown_and_the_inbox_is_still_read(dovecot, imap_user, owner):
    _person(owner, "Ana", "ana@client.example")
    dovecot.deliver(imap_user, "INBOX", message_bytes("01_question_multipart_qp.eml"))
    mailbox = _mailbox(dovecot, owner, imap_user)
    mailbox.sent_folder = "Sent Items"
    mailbox.save()

    report = mailbox_sync(mailbox=mailbox)

    mailbox.refresh_from_db()
    assert report.logged == 1
    assert "'Sent Items' cannot be opened" in mailbox.last_error
