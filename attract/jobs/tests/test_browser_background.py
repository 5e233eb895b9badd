"""The Background work page in a real browser: a failed task shows its error and is retried."""

from __future__ import annotations

import pytest
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import expect

from attract.jobs.testing import run_queued_tasks
from attract.jobs.tests.sample_tasks import create_user_then_fail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_sees_a_failed_task_and_retries_it(owner_page, tmp_path):
    result = create_user_then_fail.enqueue(email="x@example.com")
    DBTaskResult.objects.filter(pk=result.id).update(worker_ids=["w1"])
    run_queued_tasks(worker_id="w2")
    page = owner_page
    page.goto("/settings/")
    page.get_by_role("link", name="Background work").click()
    expect(page.get_by_role("heading", name="Background work")).to_be_visible()
    row = page.locator(f"tr[data-job='{result.id}']")
    expect(row).to_contain_text("RuntimeError: the receiving end said no")
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(tmp_path / f"background-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    row.get_by_role("button", name="Retry now").click()
    expect(page.get_by_text("is queued again")).to_be_visible()
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.READY
