"""Receiving mail in a real browser: connect a mailbox to a real Dovecot, test it, sync it in
the worker, add an unmatched sender as a person, import an .mbox file; a wrong password is
shown on the mailbox."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from attract.engagement.models import Interaction
from attract.jobs.testing import run_queued_tasks
from attract.mail.tests.conftest import MESSAGES, message_bytes
from attract.people.models import Person
from attract.people.tests.factories import EmailAddressFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check_widths(page, tmp_path, name):
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(tmp_path / f"{name}-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_owner_connects_a_mailbox_syncs_and_adds_a_sender(owner_page, owner, dovecot, tmp_path):
    ana = PersonFactory(first_name="Ana", owner=owner)
    EmailAddressFactory(person=ana, email="ana@client.example", is_primary=True)
    imap_user = f"b{uuid.uuid4().hex[:10]}@example.com"
    dovecot.add_user(imap_user, "right-password")
    dovecot.connect(imap_user).create('"Sent"')
    dovecot.deliver(imap_user, "INBOX", message_bytes("01_question_multipart_qp.eml"))
    dovecot.deliver(imap_user, "INBOX", message_bytes("06_stranger_cyrillic_base64.eml"))
    page = owner_page

    page.goto("/settings/")
    page.get_by_role("link", name="Mailbox", exact=True).click()
    page.get_by_label("IMAP server").fill(dovecot.host)
    page.get_by_label("Port").fill(str(dovecot.port))
    page.get_by_label("Security").select_option("none")
    page.get_by_label("User name").fill(imap_user)
    page.get_by_label("App password").fill("right-password")
    page.get_by_role("button", name="Save mailbox").click()
    expect(page.get_by_text("The mailbox is saved")).to_be_visible()
    expect(page.get_by_text("right-password")).to_have_count(0)
    page.get_by_role("button", name="Test connection").click()
    expect(page.get_by_text(f"Connected to {dovecot.host} as {imap_user}")).to_be_visible()
    page.get_by_role("button", name="Sync now").click()
    expect(page.get_by_text("A sync is queued")).to_be_visible()
    run_queued_tasks()
    page.reload()
    expect(page.get_by_test_id("mailbox-state")).to_contain_text("1 message logged")
    assert Interaction.objects.filter(person=ana).count() == 1
    _check_widths(page, tmp_path, "mailbox")

    page.get_by_role("link", name="Unmatched senders").first.click()
    row = page.get_by_test_id("unmatched-row").filter(has_text="dmitri@newlead.example")
    expect(row).to_contain_text("Дмитрий Иванов")
    _check_widths(page, tmp_path, "unmatched")
    row.get_by_role("button", name="Add Дмитрий Иванов as a person").click()
    expect(page.get_by_text("is added, with the messages that waited for them")).to_be_visible()
    dmitri = Person.objects.get(first_name="Дмитрий")
    assert Interaction.objects.filter(person=dmitri).count() == 1

    # The password changed at the provider: the next sync says so on the mailbox.
    dovecot.add_user(imap_user, "changed-password")
    page.goto("/settings/mailbox/")
    page.get_by_role("button", name="Sync now").click()
    run_queued_tasks()
    page.reload()
    expect(page.get_by_test_id("mailbox-error")).to_contain_text("refused the login")


def test_owner_imports_an_mbox_file_and_reads_the_report(owner_page, owner, tmp_path):
    ana = PersonFactory(first_name="Ana", owner=owner)
    EmailAddressFactory(person=ana, email="ana@client.example", is_primary=True)
    mbox = tmp_path / "export.mbox"
    mbox.write_bytes(
        b"".join(
            b"From x Mon Jun  1 09:00:00 2026\n" + (MESSAGES / n).read_bytes() + b"\n"
            for n in ("01_question_multipart_qp.eml", "04_newsletter.eml")
        )
    )
    page = owner_page
    page.goto("/mail/import/")
    page.get_by_label("An .eml message or an .mbox export").set_input_files(str(mbox))
    page.get_by_role("button", name="Import").click()
    report = page.get_by_test_id("mail-import-report")
    expect(report).to_contain_text("2 messages: 1 logged (1 interactions)")
    expect(report).to_contain_text("1 newsletters or auto-replies")
    _check_widths(page, tmp_path, "mail-import")
    page.get_by_label("An .eml message or an .mbox export").set_input_files(str(mbox))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_test_id("mail-import-report")).to_contain_text("2 already logged")
    assert Interaction.objects.filter(person=ana).count() == 1
