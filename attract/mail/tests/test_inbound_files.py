"""Importing .eml and .mbox files: logged through the message log, idempotent, reported,
streamed (a 30 MB message costs its headers), and a file that is not mail refused."""

import io
import tracemalloc

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from attract.engagement.models import Direction, Interaction
from attract.mail.inbound_files import mail_import, message_headers
from attract.mail.models import MailMessage, UnmatchedAddress
from attract.mail.tests.conftest import MESSAGES
from attract.people.tests.factories import EmailAddressFactory, PersonFactory

pytestmark = pytest.mark.django_db

ORDER = [
    "01_question_multipart_qp.eml",
    "02_our_answer_sent.eml",
    "03_their_reply_without_headers.eml",
    "04_newsletter.eml",
    "05_auto_reply.eml",
    "06_stranger_cyrillic_base64.eml",
    "07_forged_team_sender.eml",
    "08_team_internal.eml",
    "10_we_reached_out_sent.eml",
    "11_reply_with_references_only.eml",
]


def _mbox(names):
    parts = []
    for name in names:
        body = (MESSAGES / name).read_bytes()
        # mboxrd: a body line starting "From " is written ">From ".
        body = b"\n".join(
            b">" + line if line.startswith(b"From ") else line for line in body.split(b"\n")
        )
        parts.append(b"From MAILER-DAEMON Mon Jun  1 09:00:00 2026\n" + body + b"\n")
    return b"".join(parts)


@pytest.fixture
def ana(owner):
    person = PersonFactory(first_name="Ana", owner=owner)
    EmailAddressFactory(person=person, email="ana@client.example", is_primary=True)
    return person


def test_an_mbox_export_is_logged_once_and_reported(owner, teammate, ana):
    report = mail_import(actor=owner, stream=io.BytesIO(_mbox(ORDER)))

    assert report.as_dict() | {"problems": [], "unmatched_addresses": []} == {
        "total": 10,
        "logged": 3,  # Ana's question, our answer, her reply
        "unmatched": 3,  # Dmitri; Taro both ways
        "already_logged": 0,
        "not_counted": 2,  # the newsletter, the auto-reply
        "team": 1,
        "suspicious": 1,  # the forged team sender
        "failed": 0,
        "interactions": 3,
        "unmatched_addresses": [],
        "problems": [],
    }
    assert report.unmatched_addresses == {"dmitri@newlead.example", "taro@kaisha.example"}
    directions = Interaction.objects.filter(person=ana).order_by("occurred_at")
    assert [i.direction for i in directions] == [
        Direction.THEY_REACHED_OUT,
        Direction.WE_REPLIED,
        Direction.THEY_REPLIED,
    ]
    again = mail_import(actor=owner, stream=io.BytesIO(_mbox(ORDER)))
    assert again.counts["already logged"] == 10 and again.logged == 0
    assert Interaction.objects.count() == 3 and MailMessage.objects.count() == 10
    taro = UnmatchedAddress.objects.get(address="taro@kaisha.example")
    assert taro.message_count == 2


def test_one_eml_file_is_imported_and_a_body_from_line_is_not_a_new_message(owner, ana):
    report = mail_import(
        actor=owner, stream=io.BytesIO((MESSAGES / "01_question_multipart_qp.eml").read_bytes())
    )
    assert report.logged == 1
    # mboxrd escapes a body's "From " after an empty line; one not after an empty line is text.
    tricky = _mbox(["04_newsletter.eml"]).replace(
        b"<p>", b"\n>From here on, a line\nFrom the top, another\n<p>"
    )
    assert len(list(message_headers(io.BytesIO(tricky)))) == 1


def test_a_30_mb_message_in_an_mbox_costs_only_its_headers(owner, ana, tmp_path):
    path = tmp_path / "big.mbox"
    with path.open("wb") as out:
        out.write(_mbox(["01_question_multipart_qp.eml"]).rstrip(b"\n"))
        out.write(b"\nContent-Type: application/zip\n\n")
        for _ in range(400_000):
            out.write(b"QUJD" * 19 + b"\n")
        out.write(b"\n" + _mbox(["03_their_reply_without_headers.eml"]))
    assert path.stat().st_size > 30_000_000

    tracemalloc.start()
    with path.open("rb") as stream:
        report = mail_import(actor=owner, stream=stream)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert report.logged == 2
    assert peak < 5_000_000


def test_a_file_that_is_not_mail_is_refused_and_nothing_is_logged(owner):
    with pytest.raises(ValidationError) as refused:
        mail_import(actor=owner, stream=io.BytesIO(b"name,email\nAna,ana@client.example\n"))
    assert "file" in refused.value.message_dict
    with pytest.raises(ValidationError):
        mail_import(actor=owner, stream=io.BytesIO(b""))
    assert not MailMessage.objects.exists()


def test_a_viewer_cannot_import(viewer, ana):
    with pytest.raises(PermissionDenied):
        mail_import(
            actor=viewer,
            stream=io.BytesIO((MESSAGES / "01_question_multipart_qp.eml").read_bytes()),
        )
    assert not MailMessage.objects.exists()
