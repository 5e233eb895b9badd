"""The mail part of `make bench`: a local Dovecot (Debian's, started unprivileged as the tests
start it) holds N messages — four in five received from N persons, one in five sent to them —
and the owner's mailbox is synced into the message log until nothing is new; then a re-sync
of the same mailbox. Reported: messages per second (wall and CPU) and the sync's peak memory
(the process's resident high-water mark, reset just before the sync).

Target (issue 19): 500 messages per second, under 300 MB, at 100,000 messages into 100,000
persons. `--mail-messages` sets N (default 10,000: the size a 2-core machine shared by others
syncs in a few minutes); the persons are made with bulk inserts, without change history.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from email.utils import format_datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from attract.accounts.models import User
from attract.engagement.models import Interaction
from attract.mail.dovecot_server import DovecotServer
from attract.mail.mailbox_services import mailbox_connect, mailbox_disconnect
from attract.mail.mailbox_sync import mailbox_sync
from attract.mail.models import MailMessage, UnmatchedAddress
from attract.people.models import EmailAddress, Person

DOMAIN = "bench-mail.example"
ATTACHMENT = ("UEsDBBQAAAAIAAAAIQBVaW5kb3dzIEJlbmNoIGF0dGFjaG1lbnQ=" * 40 + "\n") * 20


def _message(n: int, owner: str, sent: bool, when) -> bytes:
    them = f"person{n}@{DOMAIN}"
    sender, to = (owner, them) if sent else (them, owner)
    headers = [
        f"Received: from mx{n % 7}.{DOMAIN} by mx.example.com; {format_datetime(when)}",
        f"Authentication-Results: mx.example.com; dmarc=pass header.from={DOMAIN}",
        f"From: =?UTF-8?Q?Pers=C3=B3n_{n}?= <{sender}>",
        f"To: {to}",
        f"Subject: =?UTF-8?Q?Question_n=C2=BA_{n}_about_the_quote?=",
        f"Date: {format_datetime(when)}",
        f"Message-ID: <bench-{n}-{uuid.uuid4().hex[:8]}@{DOMAIN}>",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="b"',
    ]
    body = (
        "--b\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
        "Hello, could you send the quote for n=C2=BA " + str(n) + "?\n--b\n"
        "Content-Type: application/zip\nContent-Transfer-Encoding: base64\n\n"
        + ATTACHMENT
        + "--b--\n"
    )
    return ("\n".join(headers) + "\n\n" + body).encode()


def _fill_maildir(
    server: DovecotServer, user: str, folder_dir: Path, messages: list[bytes]
) -> None:
    """Write straight into the Maildir (as delivery agents do): far quicker than APPEND."""
    cur = folder_dir / "cur"
    for n, raw in enumerate(messages):
        path = cur / f"{1_700_000_000 + n}.M{n}P1.bench:2,S"
        path.write_bytes(raw)
        if os.geteuid() == 0:
            shutil.chown(path, server.user, server.group)


def _persons(count: int, owner: User) -> None:
    Person.all_objects.filter(emails__email__endswith="@" + DOMAIN).delete()
    now = timezone.now()
    with transaction.atomic():
        made = Person.objects.bulk_create(
            [Person(first_name=f"Persón {n}", last_name="Bench", owner=owner, search_name=f"persón {n} bench",
                    created_at=now, updated_at=now) for n in range(count)],
            batch_size=5_000,
        )  # fmt: skip
        EmailAddress.objects.bulk_create(
            [EmailAddress(person=p, email=f"person{n}@{DOMAIN}", is_primary=True)
             for n, p in enumerate(made)],
            batch_size=5_000,
        )  # fmt: skip


def _peak_reset() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _peak_mb() -> float:
    return _status_mb("VmHWM")


def run(*, console, owner: User, runs: int, warmups: int, messages: int) -> dict:
    server = DovecotServer().start()
    imap_user = f"bench@{DOMAIN}"
    try:
        server.add_user(imap_user, "bench-password")
        connection = server.connect(imap_user)
        connection.create('"Sent"')
        connection.logout()
        sent = messages // 5
        start = timezone.now() - __import__("datetime").timedelta(days=60)
        step = (timezone.now() - start) / max(messages, 1)
        inbox_raw = [
            _message(n, owner.email, False, start + step * n) for n in range(sent, messages)
        ]
        sent_raw = [_message(n, owner.email, True, start + step * n) for n in range(sent)]
        home = server.root / "mail" / imap_user
        _fill_maildir(server, imap_user, home, inbox_raw)
        _fill_maildir(server, imap_user, home / ".Sent", sent_raw)
        _persons(messages, owner)
        MailMessage.objects.filter(from_address__endswith=DOMAIN).delete()
        MailMessage.objects.filter(to_addresses__icontains=DOMAIN).delete()
        mailbox_disconnect(actor=owner)
        mailbox = mailbox_connect(
            actor=owner, host=server.host, port=server.port, security="none",
            username=imap_user, password="bench-password",
        )  # fmt: skip
        interactions_before = Interaction.objects.count()
        _peak_reset()
        # What the process held before (the bench's earlier sections, Django): the sync's own
        # share is the peak above it.
        before = _status_mb("VmRSS")
        wall, cpu = time.perf_counter(), time.process_time()
        total = 0
        while True:
            report = mailbox_sync(mailbox=mailbox)
            total += report.total
            if report.total == 0 or report.problems:
                break
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        peak = _peak_mb()
        logged = Interaction.objects.count() - interactions_before
        again_wall = time.perf_counter()
        again = mailbox_sync(mailbox=mailbox)
        again_wall = time.perf_counter() - again_wall
        figures = {
            "messages": messages,
            "synced": total,
            "interactions": logged,
            "seconds": round(wall, 1),
            "cpu_seconds": round(cpu, 1),
            "messages_per_second": round(total / wall) if wall else 0,
            "messages_per_cpu_second": round(total / cpu) if cpu else 0,
            "peak_rss_mb": peak,
            "rss_before_mb": before,
            "sync_added_mb": round(peak - before, 1),
            "resync_new": again.total,
            "resync_ms": round(again_wall * 1000, 1),
            "problems": report.problems[:3],
        }
        console.print(
            f"Mail: {total:,} of {messages:,} messages synced from a local Dovecot into "
            f"{messages:,} persons in {wall:.1f} s ({figures['messages_per_second']:,}/s wall, "
            f"{figures['messages_per_cpu_second']:,}/s per CPU-second; {logged:,} interactions); "
            f"peak memory {peak:,} MB ({figures['sync_added_mb']:+,} MB over the {before:,} MB "
            f"held before); a re-sync found {again.total} new in {figures['resync_ms']} ms."
        )
        return figures
    finally:
        mailbox_disconnect(actor=owner)
        UnmatchedAddress.objects.filter(user=owner, address__endswith=DOMAIN).delete()
        server.stop()
