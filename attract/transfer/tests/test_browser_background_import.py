"""The progress page of a queued import with the tab closed and opened again: the page only
reads the progress, the worker (run here in the test's thread, as attract/jobs' tests run it)
moves the import on whether a tab is open or not."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from attract.jobs.testing import run_queued_tasks
from attract.people.models import Person
from attract.transfer.importing import (
    import_job_configure,
    import_job_create,
    import_job_process,
    import_job_start,
)
from attract.transfer.models import ImportJob, ImportStatus

pytestmark = pytest.mark.browser

ROWS = 1200
CSV = "First Name,Last Name,Email\n" + "".join(
    f"P{n},Tester,p{n}@example.com\n" for n in range(ROWS)
)


def _queued(owner) -> ImportJob:
    job = import_job_create(
        actor=owner, kind="persons", file_name="big.csv", chunks=iter([CSV.encode()])
    )
    import_job_configure(actor=owner, job=job, mapping=job.mapping)
    return import_job_start(actor=owner, job=job)


def _status(page) -> str:
    return page.locator("#import-progress").get_attribute("data-status")


@pytest.mark.parametrize("width", [390, 1366])
def test_the_import_goes_on_with_the_tab_closed_and_the_reopened_page_shows_it_done(
    owner_page, owner, browser, live_server, width
):
    job = _queued(owner)
    page = owner_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/import/{job.pk}/progress/")
    assert _status(page) == "queued"
    assert "you may close this page" in page.locator("#import-progress").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    # The worker commits a first batch: the open page's poll shows it, without running it.
    import_job_process(job=job, batch_size=500, max_batches=1)
    expect(page.locator("#import-progress")).to_have_attribute("data-status", "running")
    assert page.locator("#import-bar").get_attribute("value") == "42"
    cookies = page.context.cookies()
    page.context.close()  # the tab (and the browser window) closed

    # Polls no longer come; the worker goes on alone.
    assert ImportJob.objects.get(pk=job.pk).processed_line == 501
    run_queued_tasks()
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.DONE
    assert Person.objects.count() == ROWS

    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    context.add_cookies(cookies)  # the same signed-in user, in a new window
    reopened = context.new_page()
    reopened.goto(f"/import/{job.pk}/progress/")
    assert _status(reopened) == "done"
    assert reopened.locator("#import-bar").get_attribute("value") == "100"
    assert f"{ROWS} created" in reopened.locator("#progress-text").inner_text()
    assert reopened.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    context.close()


def test_undo_from_the_page_runs_in_the_background(owner_page, owner):
    job = _queued(owner)
    run_queued_tasks()
    page = owner_page
    page.goto(f"/import/{job.pk}/undo/")
    page.get_by_role("button", name="Undo the whole import").click()
    page.wait_for_url(f"**/import/{job.pk}/progress/")
    assert _status(page) == "undoing" and Person.objects.count() == ROWS
    run_queued_tasks()
    expect(page.locator("#import-progress")).to_have_attribute("data-status", "undone")
    assert Person.objects.count() == 0
