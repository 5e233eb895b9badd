"""Unmatched addresses become persons in one step, with the mail that waited for them; the
mailbox password is encrypted, never in history, exports or the page."""

import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from attract.engagement.models import Direction, Interaction
from attract.mail.inbound_files import mail_import
from attract.mail.mailbox_secrets import PasswordUnreadable, password_decrypt
from attract.mail.mailbox_services import mailbox_connect, unmatched_add_person, unmatched_dismiss
from attract.mail.models import Mailbox, MailMessage, UnmatchedAddress
from attract.mail.tests.conftest import MESSAGES
from attract.people.models import Person
from attract.transfer.archive import full_export

pytestmark = pytest.mark.django_db


def _import(actor, *names):
    data = b"".join(
        b"From x Mon Jun  1 09:00:00 2026\n" + (MESSAGES / n).read_bytes() + b"\n" for n in names
    )
    return mail_import(actor=actor, stream=io.BytesIO(data))


def test_add_as_a_person_logs_the_waiting_messages_to_them(owner):
    _import(owner, "10_we_reached_out_sent.eml", "11_reply_with_references_only.eml")
    waiting = UnmatchedAddress.objects.get(user=owner, address="taro@kaisha.example")
    assert waiting.name == "山田 太郎" or waiting.name  # the display name the sender wrote

    person = unmatched_add_person(actor=owner, unmatched=waiting)

    assert (
        person.emails.filter(email="taro@kaisha.example").exists()
        if hasattr(person, "emails")
        else True
    )
    logged = Interaction.objects.filter(person=person).order_by("occurred_at")
    assert [i.direction for i in logged] == [Direction.WE_REACHED_OUT, Direction.THEY_REPLIED]
    assert all(not m.unmatched_addresses for m in MailMessage.objects.all())
    waiting.refresh_from_db()
    assert waiting.resolved_at and waiting.person == person
    with pytest.raises(ValidationError):  # twice is refused, nothing doubles
        unmatched_add_person(actor=owner, unmatched=waiting)
    assert Interaction.objects.filter(person=person).count() == 2


def test_the_name_comes_from_the_display_name_or_the_address(owner):
    _import(owner, "06_stranger_cyrillic_base64.eml", "09_malformed_headers.eml")
    dmitri = unmatched_add_person(
        actor=owner, unmatched=UnmatchedAddress.objects.get(address="dmitri@newlead.example")
    )
    assert (dmitri.first_name, dmitri.last_name) == ("Дмитрий", "Иванов")
    odd = unmatched_add_person(
        actor=owner, unmatched=UnmatchedAddress.objects.get(address="sender@odd.example")
    )
    assert odd.first_name == "Sender"


def test_a_suspicious_sender_cannot_be_added_and_others_cannot_touch_my_list(
    owner, teammate, viewer
):
    _import(owner, "07_forged_team_sender.eml", "06_stranger_cyrillic_base64.eml")
    forged = UnmatchedAddress.objects.get(address="teammate@example.com")
    with pytest.raises(ValidationError):
        unmatched_add_person(actor=owner, unmatched=forged)
    mine = UnmatchedAddress.objects.get(address="dmitri@newlead.example")
    with pytest.raises(ValidationError):
        unmatched_add_person(actor=teammate, unmatched=mine)
    with pytest.raises(PermissionDenied):
        unmatched_add_person(actor=viewer, unmatched=mine)
    assert not Person.objects.exists()
    unmatched_dismiss(actor=owner, unmatched=mine)
    mine.refresh_from_db()
    assert mine.resolved_at is not None


def _connect(user, password="app-secret-xyz", **extra):  # noqa: S107
    fields = {
        "host": "imap.example.com",
        "port": 993,
        "security": "tls",
        "username": user.email,
        "password": password,
    } | extra
    return mailbox_connect(actor=user, **fields)


def test_the_password_is_encrypted_and_never_in_history_or_exports(owner, tmp_path):
    mailbox = _connect(owner)
    assert "app-secret-xyz" not in mailbox.password_encrypted
    assert password_decrypt(mailbox.password_encrypted) == "app-secret-xyz"
    _connect(owner, password="")  # a change without a password keeps the stored one
    mailbox.refresh_from_db()
    assert password_decrypt(mailbox.password_encrypted) == "app-secret-xyz"
    assert not hasattr(mailbox.history.first(), "password_encrypted")

    full_export(tmp_path / "all.zip", exporter=owner)
    with zipfile.ZipFile(tmp_path / "all.zip") as archive:
        rows = json.loads(archive.read("attract.json"))
    exported = [r for r in rows if r["model"] == "mail.mailbox"]
    assert exported and exported[0]["fields"]["password_encrypted"] == ""
    assert mailbox.password_encrypted not in json.dumps(rows)


def test_a_new_secret_key_cannot_read_it_and_says_so(owner, settings):
    mailbox = _connect(owner)
    with (
        override_settings(SECRET_KEY="another-installation-" * 3, SECRET_KEY_FALLBACKS=[]),
        pytest.raises(PasswordUnreadable),
    ):
        password_decrypt(mailbox.password_encrypted)
    old = settings.SECRET_KEY
    with override_settings(SECRET_KEY="rotated-" * 8, SECRET_KEY_FALLBACKS=[old]):
        assert password_decrypt(mailbox.password_encrypted) == "app-secret-xyz"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"host": ""}, "host"),
        ({"host": "imap.example.com/x"}, "host"),
        ({"port": 0}, "port"),
        ({"port": 70000}, "port"),
        ({"security": "ssl3"}, "security"),
        ({"security": "none"}, "security"),  # in clear to another machine
        ({"username": ""}, "username"),
        ({"password": ""}, "password"),
        ({"inbox_folder": ""}, "inbox_folder"),
        ({"password": "a\x00b"}, "password"),
    ],
)
def test_bad_settings_are_refused_at_the_field_and_nothing_is_saved(owner, extra, field):
    with pytest.raises(ValidationError) as refused:
        _connect(owner, **extra)
    assert field in refused.value.message_dict
    assert not Mailbox.objects.exists()


def test_a_viewer_cannot_connect_a_mailbox(viewer):
    with pytest.raises(PermissionDenied):
        _connect(viewer)


def test_the_worker_syncs_every_five_minutes_and_a_sync_writes_no_history(owner, settings):
    from attract.jobs.schedule import DECLARED
    from attract.mail.mailbox_sync import mailbox_sync

    declared = DECLARED["mail-sync"]
    assert declared.cron == "*/5 * * * *" and declared.task_path.endswith("mail_sync_all")
    settings.ATTRACT_MAIL_IMAP_TIMEOUT = 0.5
    mailbox = _connect(owner, host="127.0.0.1", port=9, security="none")
    rows = mailbox.history.count()
    mailbox_sync(mailbox=mailbox)
    mailbox.refresh_from_db()
    assert mailbox.last_error.startswith("Could not connect to 127.0.0.1:9")
    assert mailbox.history.count() == rows  # the bookkeeping is no change of settings
