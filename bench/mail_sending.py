"""The sending part of `make bench` (issue 19): one send of N letters (10,000 by default) to
N persons, delivered to a local SMTP server (aiosmtpd, in this process, accepting and
counting) through the real path — a row per recipient marked before and after each SMTP
call, each message logged as an interaction through the message log. Reports messages per
second, wall and CPU (CPU includes the in-process SMTP server's share).

Runs as a section (`python -m bench --only mail_sending`) on the seeded bench database, or
alone on a small database of its own: `python -m bench.mail_sending --messages 10000`.
"""

from __future__ import annotations

import time

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

PREFIX = "bench-mail-"


def _persons(owner, count: int) -> list:
    from attract.core.search_text import search_key
    from attract.people.models import EmailAddress, Person

    existing = Person.objects.filter(source_id__startswith=PREFIX).count()
    if existing < count:
        now = timezone.now()
        with transaction.atomic():
            made = Person.objects.bulk_create(
                [Person(first_name="Reader", last_name=f"N{n}", owner=owner, created_at=now,
                        search_name=search_key("Reader", f"N{n}"), source_id=f"{PREFIX}{n}")
                 for n in range(existing, count)],
                batch_size=2_000,
            )  # fmt: skip
            EmailAddress.objects.bulk_create(
                [EmailAddress(person=p, email=f"reader{p.source_id[len(PREFIX):]}@bench.example",
                              is_primary=True) for p in made],
                batch_size=2_000,
            )  # fmt: skip
    from attract.mail.compose_sources import persons_for_mail

    return list(persons_for_mail(owner).filter(source_id__startswith=PREFIX)[:count])


def _forget_earlier_runs() -> None:
    from attract.engagement.models import Interaction
    from attract.mail.models import MailMessage, MailSend

    ids = list(
        MailMessage.objects.filter(from_address__endswith="@bench.example").values_list(
            "pk", flat=True
        )
    )
    Interaction.all_objects.filter(person__source_id__startswith=PREFIX).delete()
    MailMessage.objects.filter(pk__in=ids).delete()
    MailSend.objects.filter(subject__startswith="Bench letter").delete()


def run(*, console, owner, runs: int = 0, warmups: int = 0, messages: int = 10_000) -> dict:
    from aiosmtpd.controller import Controller

    from attract.mail.send_services import MAX_RECIPIENTS, send_prepare, send_progress, send_run
    from attract.mail.tests.smtp_server import free_port

    class Counting:
        received = 0

        async def handle_DATA(self, server, session, envelope):
            Counting.received += 1
            return "250 OK"

    if not owner.email.endswith("@bench.example"):
        owner.email = "owner@bench.example"
        owner.save(update_fields=["email"])
    _forget_earlier_runs()
    persons = _persons(owner, messages)
    # Loaded once by any running server, not per letter: kept out of the timing.
    from django.urls import reverse

    reverse("mail:unsubscribe", args=["x"])
    import attract.engagement.receivers  # noqa: F401

    port = free_port()
    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1", EMAIL_PORT=port, EMAIL_USE_TLS=False, EMAIL_USE_SSL=False,
            EMAIL_HOST_USER="", EMAIL_HOST_PASSWORD="", EMAIL_TIMEOUT=30,
        ):  # fmt: skip
            wall, cpu = time.perf_counter(), time.process_time()
            prepared_s = 0.0
            sends = []
            # A send holds at most MAX_RECIPIENTS: 10,000 letters are two sends, as a user
            # would make them.
            for start in range(0, len(persons), MAX_RECIPIENTS):
                began = time.perf_counter()
                send = send_prepare(
                    actor=owner, persons=persons[start : start + MAX_RECIPIENTS],
                    subject="Bench letter for {{ first_name }}",
                    body="Dear {{ first_name }},\n\nA letter from the benchmark.\n\n{{ signature }}",
                    base_url="http://localhost:8000", bulk=True,
                )  # fmt: skip
                prepared_s += time.perf_counter() - began
                sends.append(send_run(send))
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        controller.stop()
    sent = sum(send_progress(send).sent for send in sends)
    figures = {
        "messages": messages,
        "sent": sent,
        "received_by_server": Counting.received,
        "prepare_seconds": round(prepared_s, 2),
        "wall_seconds": round(wall, 1),
        "cpu_seconds": round(cpu, 1),
        "messages_per_second_wall": round(sent / wall, 1) if wall else 0,
        "messages_per_second_cpu": round(sent / cpu, 1) if cpu else 0,
        "cpu_ms_per_message": round(1000 * cpu / max(sent, 1), 2),
    }
    console.print(
        f"Mail sending: {sent:,} of {messages:,} letters to a local SMTP server "
        f"({Counting.received:,} received) in {wall:.1f} s wall / {cpu:.1f} s CPU: "
        f"{figures['messages_per_second_wall']} messages/s wall, "
        f"{figures['messages_per_second_cpu']} messages/s per CPU-second "
        f"({figures['cpu_ms_per_message']} CPU-ms each; writing the rows took {prepared_s:.1f} s)."
    )
    return figures


def main() -> None:
    import argparse
    import os

    parser = argparse.ArgumentParser(prog="python -m bench.mail_sending")
    parser.add_argument("--messages", type=int, default=10_000)
    args = parser.parse_args()
    from bench import settings_env

    os.environ.setdefault("ATTRACT_BENCH_DIR", str(settings_env.REPO / "var" / "bench-mail"))
    settings_env.BENCH_DIR = settings_env.Path(os.environ["ATTRACT_BENCH_DIR"])
    settings_env.configure()
    import django

    django.setup()
    from django.core.management import call_command
    from rich.console import Console

    from attract.accounts.models import Role, User

    call_command("migrate", interactive=False, verbosity=0)
    owner = User.objects.filter(role=Role.OWNER).first() or User.objects.create_user(
        email="owner@bench.example", password=None, full_name="Bench Owner", role=Role.OWNER
    )
    run(console=Console(), owner=owner, messages=args.messages)


if __name__ == "__main__":
    main()
