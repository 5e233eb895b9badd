"""The sending benchmark works: a small run delivers every letter to its local SMTP server,
logs each once, and a second run starts from a clean slate instead of counting the first."""

import pytest
from rich.console import Console

from attract.mail.models import MailMessage
from bench import mail_sending

pytestmark = pytest.mark.django_db


def test_a_small_run_delivers_and_logs_every_letter_once():
    from attract.accounts.models import Role, User

    owner = User.objects.create_user(email="owner@bench.example", full_name="B", role=Role.OWNER)
    figures = mail_sending.run(console=Console(quiet=True), owner=owner, messages=12)
    assert (figures["sent"], figures["received_by_server"]) == (12, 12)
    again = mail_sending.run(console=Console(quiet=True), owner=owner, messages=12)
    assert again["sent"] == 12
    assert MailMessage.objects.count() == 12
    assert figures["cpu_ms_per_message"] > 0
