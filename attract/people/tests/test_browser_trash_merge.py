"""Trash, restore, undo and merge in a real Chromium."""

from __future__ import annotations

import pytest

from attract.people import services
from attract.people.models import Person

pytestmark = pytest.mark.browser


def test_trash_a_person_and_restore_them_from_the_trash_page(owner_page, owner):
    page = owner_page
    person = services.person_create(
        actor=owner, first_name="Ada", last_name="King", emails=["ada@acme.com"]
    )
    page.goto(f"/people/{person.pk}/")
    page.get_by_role("button", name="Move to trash").click()
    # "Move Ada King to the trash?"
    page.get_by_role("dialog").get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/people/")
    assert "Ada King moved to the trash." in page.locator("#toasts").inner_text()
    assert page.locator("#person-table").get_by_text("Ada King").count() == 0

    page.get_by_role("contentinfo").get_by_role("link", name="Trash").click()
    page.wait_for_url("**/trash/")
    row = page.locator("tr", has_text="Ada King")
    assert "Olivia Owner" in row.inner_text()  # who deleted them
    row.get_by_role("button", name="Restore Ada King").click()

    page.wait_for_url("**/trash/")
    assert "Ada King restored." in page.locator("#toasts").inner_text()
    assert page.get_by_text("No one is in the trash.").is_visible()
    page.locator("#toasts").get_by_role("link", name="Open Ada King").click()
    page.wait_for_url(f"**/people/{person.pk}/")
    assert page.locator("h1").inner_text() == "Ada King"
    assert not Person.all_objects.get(pk=person.pk).in_trash


def test_undo_in_the_message_brings_a_trashed_company_back(owner_page, owner):
    page = owner_page
    company = services.company_create(actor=owner, name="Acme Widgets")
    page.goto(f"/companies/{company.pk}/")
    page.get_by_role("button", name="Move to trash").click()
    page.get_by_role("dialog").get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/companies/")

    page.locator("#toasts").get_by_role("button", name="Undo").click()
    page.wait_for_url(f"**/companies/{company.pk}/")
    assert page.locator("h1").inner_text() == "Acme Widgets"
    assert "Acme Widgets restored." in page.locator("#toasts").inner_text()


def test_merge_two_duplicates_choosing_the_other_records_job_title(owner_page, owner):
    page = owner_page
    keep = services.person_create(
        actor=owner, first_name="Ada", last_name="King", job_title="CTO", emails=["ada@acme.com"]
    )
    duplicate = services.person_create(
        actor=owner,
        first_name="Ada",
        last_name="King",
        job_title="Head of Engineering",
        emails=["ada.king@gmail.com"],
        tags=["trade show"],
    )
    page.goto(f"/people/{keep.pk}/merge/")
    page.get_by_role("link", name="Compare with Ada King").click()
    page.wait_for_url(f"**/people/{keep.pk}/merge/?other={duplicate.pk}")

    row = page.locator('tr[data-field="job_title"]')
    kept_cell = row.locator('td[data-side="keep"]')
    other_cell = row.locator('td[data-side="discard"]')
    assert "winner" in (kept_cell.get_attribute("class") or "")
    highlight = kept_cell.evaluate("el => getComputedStyle(el).backgroundColor")

    page.get_by_role("radio", name="Head of Engineering").check()
    # The highlight follows the choice.
    assert other_cell.evaluate("el => getComputedStyle(el).backgroundColor") == highlight
    assert kept_cell.evaluate("el => getComputedStyle(el).backgroundColor") != highlight

    page.get_by_role("button", name="Merge into Ada King").click()
    page.wait_for_url(f"**/people/{keep.pk}/")
    assert "was merged into Ada King" in page.locator("#toasts").inner_text()
    facts = page.locator(".facts").first.inner_text()
    assert "Head of Engineering" in facts
    body = page.locator("main").inner_text()
    assert "ada.king@gmail.com" in body and "trade show" in body

    merged = Person.all_objects.get(pk=duplicate.pk)
    assert merged.in_trash and merged.merged_into_id == keep.pk
