import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from attract.jobs.testing import run_queued_tasks
from attract.people import services as people
from attract.people.models import Person
from attract.transfer.models import ImportJob, ImportStatus

pytestmark = pytest.mark.browser

CSV = (
    "First Name,Last Name,Email,Company Name\n"
    "Ada,Lovelace,ada@example.com,Analytical Engines\n"
    "Grace,Hopper,grace@example.com,Navy\n"
    ",,not-an-email,\n" + "".join(f"Person{i},Tester,p{i}@example.com,\n" for i in range(1200))
)


def test_upload_map_dry_run_import_and_see_the_people(owner_page, owner, tmp_path):
    people.person_create(
        actor=owner, first_name="Grace", last_name="H", emails=["grace@example.com"]
    )
    path = tmp_path / "contacts.csv"
    path.write_text(CSV)
    page = owner_page
    page.goto("/people/")
    page.get_by_role("link", name="Import").click()
    page.wait_for_url("**/import/?kind=persons")
    page.get_by_label("CSV or vCard file").set_input_files(str(path))
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_url("**/import/*/")
    assert "looks like an export from HubSpot" in page.locator(".subtitle").inner_text()
    assert page.get_by_label("Email", exact=True).input_value() == "email"

    page.get_by_role("button", name="Dry run").click()
    report = page.locator("#dry-run")
    report.wait_for()
    assert report.locator('[data-count="created"]').inner_text() == "1201"
    assert report.locator('[data-count="skipped"]').inner_text() == "1"
    assert "Line 4:" in report.inner_text()
    assert Person.objects.count() == 1

    page.get_by_role("button", name="Start the import").click()
    page.wait_for_url("**/progress/")
    run_queued_tasks()  # the worker, here in the test's thread
    expect(page.locator("#import-progress")).to_have_attribute(
        "data-status", "done", timeout=60_000
    )
    assert page.locator("#import-bar").get_attribute("value") == "100"
    assert "1201 created" in page.locator("#progress-text").inner_text()
    page.get_by_role("link", name="See the people").click()
    page.wait_for_url("**/people/")
    assert "Ada Lovelace" in page.locator("#person-table").inner_text()
    assert ImportJob.objects.get().status == ImportStatus.DONE
    assert Person.objects.count() == 1202


def test_export_csv_link_downloads_the_filtered_list(owner_page, owner):
    people.person_create(actor=owner, first_name="Ann", last_name="Lee")
    people.person_create(actor=owner, first_name="Bob", last_name="Stone")
    page = owner_page
    page.goto("/people/?q=stone")
    with page.expect_download() as info:
        page.locator("[data-export]").click()
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    assert "Bob,Stone" in text and "Ann" not in text
    assert info.value.suggested_filename.startswith("people-")


def test_history_undo_with_confirmation(owner_page, owner, tmp_path):
    from attract.transfer.importing import (
        import_job_configure,
        import_job_create,
        import_job_process,
        import_job_start,
    )

    job = import_job_create(
        actor=owner, kind="persons", file_name="old.csv", chunks=iter([CSV[:200].encode()])
    )
    import_job_configure(actor=owner, job=job, mapping=job.mapping)
    import_job_start(actor=owner, job=job)
    import_job_process(job=job)
    page = owner_page
    page.goto("/settings/")
    page.get_by_role("link", name="Import history").click()
    page.locator(f"#import-{job.pk}").get_by_role("link", name="Undo").click()
    page.get_by_role("button", name="Undo the whole import").click()
    page.wait_for_url(f"**/import/{job.pk}/progress/")
    run_queued_tasks()  # the undo runs in the background
    page.goto("/import/history/")
    assert "Undone" in page.locator(f"#import-{job.pk}").inner_text()
    assert Person.objects.count() == 0


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", [390, 1366])
def test_a_phone_import_page_shows_kept_values_and_unknown_owners(owner_page, owner, width):
    from attract.transfer.importing import import_job_create

    data = (Path(__file__).parent / "files" / "german_owners.csv").read_bytes()
    job = import_job_create(actor=owner, kind="persons", file_name="de.csv", chunks=iter([data]))
    page = owner_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/import/{job.pk}/")
    assert "Stored as:" in page.locator(".preview-names").inner_text()
    page.get_by_label("Numbers without a country code are from").select_option("DE")
    page.get_by_role("button", name="Dry run").click()
    report = page.locator("#dry-run")
    report.wait_for()
    assert "Max Mustermann (1 row)" in report.inner_text()
    assert "1 column, expected 10" in report.inner_text()
    shots = os.environ.get("ATTRACT_TEST_SCREENSHOTS")
    if shots:  # screenshots for a person to look at, when asked for
        page.screenshot(path=str(Path(shots) / f"import_job_{width}.png"), full_page=True)
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
        " > window.innerWidth + 1 && !e.closest('.table-wrap')).slice(0, 15).map(e => e.tagName + '.' + e.className)"
    )
    assert _no_sideways_scroll(page), wide
    page.get_by_label("Max Mustermann (1 row)").select_option(label="Olivia Owner")
    page.get_by_role("button", name="Start the import").click()
    page.wait_for_url("**/progress/")
    run_queued_tasks()  # the worker, here in the test's thread
    expect(page.locator("#import-progress")).to_have_attribute(
        "data-status", "done", timeout=60_000
    )
    assert "Columns not imported" in page.locator("#import-progress").inner_text()
    assert Person.objects.get(last_name="Vogel").owner == owner


def test_the_owner_sets_how_long_uploads_are_kept(owner_page):
    from attract.transfer.models import TransferSettings

    page = owner_page
    page.goto("/import/")
    page.get_by_role("link", name="Import settings").click()
    page.wait_for_url("**/import/settings/")
    page.get_by_label("Keep uploaded files for (days)").fill("14")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/import/settings/")
    assert "kept 14 days" in page.content()
    assert _no_sideways_scroll(page)
    assert TransferSettings.current().upload_retention_days == 14
