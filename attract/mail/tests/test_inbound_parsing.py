"""Reading real messages' headers: encodings, threading headers, what marks a newsletter or an
auto-reply, a stable Message-ID for a message without one, broken headers kept readable."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from attract.mail.inbound_parsing import DERIVED_ID_DOMAIN, read_headers
from attract.mail.tests.conftest import MESSAGES


def _read(name):
    return read_headers((MESSAGES / name).read_bytes())


def test_rfc_2047_names_and_subjects_are_decoded_and_addresses_lowered():
    read = _read("01_question_multipart_qp.eml")
    assert read.facts.from_address == "ana@client.example"
    assert read.from_name == "Ana Núñez"
    assert read.facts.subject == "Pregunta sobre el presupuesto — junio"
    assert read.facts.sent_at == datetime(2026, 6, 1, 7, 11, 58, tzinfo=UTC)
    assert read.counted and read.authenticated is True
    cyrillic = _read("06_stranger_cyrillic_base64.eml")
    assert (cyrillic.from_name, cyrillic.facts.subject) == ("Дмитрий Иванов", "Запрос цены")
    assert _read("10_we_reached_out_sent.eml").facts.subject == "ご提案のご連絡"


def test_threading_headers_are_read_without_angle_brackets():
    answer = _read("02_our_answer_sent.eml")
    assert answer.facts.in_reply_to == "CAF7x1q@mail.client.example"
    assert answer.facts.references == ("CAF7x1q@mail.client.example",)
    folded = _read("11_reply_with_references_only.eml")
    assert folded.facts.references == (
        "unrelated-older@kaisha.example",
        "20260605.reach@mail.example.com",
    )


@pytest.mark.parametrize(
    ("headers", "why"),
    [
        ("List-Id: <news.example>", "mailing list"),
        ("Auto-Submitted: auto-replied", "auto-reply"),
        ("Auto-Submitted: auto-generated", "auto-reply"),
        ("Precedence: bulk", "bulk"),
        ("Precedence: list", "list"),
        ("Precedence: junk", "junk"),
        ("Auto-Submitted: no", ""),
        ("Precedence: first-class", ""),
    ],
)
def test_lists_auto_replies_and_bulk_mail_are_not_counted(headers, why):
    raw = f"From: a@b.example\nTo: c@d.example\nMessage-ID: <x@b.example>\n{headers}\n\nhi\n"
    read = read_headers(raw.encode())
    assert read.automated == why and read.counted == (not why)


def test_a_message_without_message_id_gets_a_stable_one_from_its_headers():
    raw = b"From: a@b.example\nTo: c@d.example\nSubject: hello\nDate: Mon, 1 Jun 2026 10:00:00 +0000\n\nx"
    first = read_headers(b"Received: by mx1\n" + raw)
    again = read_headers(b"Received: by another-copy\nDelivered-To: x\n" + raw)
    other = read_headers(raw.replace(b"hello", b"hello again"))
    assert first.message_id_derived
    assert first.facts.message_id == again.facts.message_id  # the same message, another copy
    assert first.facts.message_id != other.facts.message_id
    assert first.facts.message_id.endswith("@" + DERIVED_ID_DOMAIN)


def test_broken_headers_are_read_as_far_as_they_go():
    read = _read("09_malformed_headers.eml")
    assert read.facts.from_address == "sender@odd.example"  # '"Broken <sender@odd.example'
    assert read.facts.to_addresses == ("owner@example.com",)
    assert read.facts.subject.startswith("half encoded")
    # An unreadable Date is when it was received (here: now).
    assert timezone.now() - read.facts.sent_at < timedelta(minutes=1)
    assert read.message_id_derived


def test_a_date_in_the_future_is_now_and_a_naive_date_is_utc():
    future = read_headers(b"From: a@b.example\nDate: Mon, 1 Jun 2099 10:00:00 +0000\n\n")
    assert future.facts.sent_at <= timezone.now()
    naive = read_headers(b"From: a@b.example\nDate: Mon, 1 Jun 2026 10:00:00 -0000\n\n")
    assert naive.facts.sent_at == datetime(2026, 6, 1, 10, tzinfo=UTC)


def test_only_the_receiving_servers_verdict_for_the_from_domain_vouches():
    def verdict(results, sender="boss@example.com"):
        raw = f"Authentication-Results: {results}\nFrom: {sender}\n\n"
        return read_headers(raw.encode()).authenticated

    assert verdict("mx; dmarc=pass header.from=example.com") is True
    assert verdict("mx; dkim=pass header.d=example.com") is True
    assert verdict("mx; dkim=pass header.d=notexample.com") is False
    assert verdict("mx; spf=pass smtp.mailfrom=evil.example") is False
    assert verdict("mx; spf=fail smtp.mailfrom=example.com; dmarc=fail") is False
    assert read_headers(b"From: boss@example.com\n\n").authenticated is None
    # A sender's own header below the receiver's does not count: the topmost one does.
    forged = (
        b"Authentication-Results: mx; dmarc=fail header.from=example.com\n"
        b"Authentication-Results: mx; dmarc=pass header.from=example.com\n"
        b"From: boss@example.com\n\n"
    )
    assert read_headers(forged).authenticated is False
