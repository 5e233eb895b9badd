"""In a real browser: a person form opened before someone else's change comes back with the
change listed and the typed input kept, and saving again then goes through."""

import pytest

from attract.people import services
from attract.people.models import Person
from attract.people.tests.factories import PersonFactory

pytestmark = pytest.mark.browser


def test_a_stale_edit_shows_what_changed_keeps_the_input_and_saves_on_the_second_try(
    owner_page, owner, teammate, tmp_path
):
    page = owner_page
    person = PersonFactory(owner=owner, first_name="Ann", last_name="Lee", job_title="Buyer")
    page.goto(f"/people/{person.pk}/edit/")
    page.get_by_label("Notes").fill("Met at the fair.")
    services.person_update(actor=teammate, person=person, job_title="Head of buying")

    page.get_by_role("button", name="Save").click()
    conflict = page.locator(".version-conflict")
    conflict.wait_for()
    assert "Job title" in conflict.inner_text() and "Head of buying" in conflict.inner_text()
    assert page.get_by_label("Notes").input_value() == "Met at the fair."
    assert page.get_by_label("Job title").input_value() == "Head of buying"  # taken in
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=tmp_path / f"conflict-{width}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/people/{person.pk}/")
    person = Person.objects.get(pk=person.pk)
    # The job title the user had not touched took their change in: both edits are kept.
    assert (person.notes, person.job_title) == ("Met at the fair.", "Head of buying")
