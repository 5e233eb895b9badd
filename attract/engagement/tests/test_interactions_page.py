"""The interactions page: what a user may see (never another member's private record), the
filters, pages, a fixed number of queries, and acting on many: trash with one Undo, export
as CSV, and forged or bad selections refused with nothing changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from attract.core.models import BulkChange
from attract.engagement.models import Channel, Direction, Interaction
from attract.engagement.tests.factories import InteractionFactory
from attract.people.tests.factories import CompanyFactory, PersonFactory

pytestmark = pytest.mark.django_db
URL = "/engagement/interactions/"
BULK = "/engagement/interactions/bulk/"
NOW = datetime(2026, 12, 9, 12, 0, tzinfo=UTC)


@pytest.fixture
def ann(owner):
    return PersonFactory(first_name="Ann", last_name="Caller", owner=owner)


def _log(author, summary, person=None, days=0, **fields):
    return InteractionFactory(
        summary=summary, person=person, created_by=author, occurred_at=NOW - timedelta(days=days),
        **fields,
    )  # fmt: skip


def _html(client, **query) -> str:
    response = client.get(URL, query)
    assert response.status_code == 200
    return response.content.decode()


def test_newest_first_with_links_to_the_record_and_its_edit_page(owner, owner_client, ann):
    older = _log(owner, "Older call", ann, days=3)
    newer = _log(owner, "Newer call", ann, days=1)
    html = _html(owner_client)
    assert html.index("Newer call") < html.index("Older call")
    assert f"/people/{ann.pk}/#timeline" in html or f"{ann.pk}/#timeline" in html
    assert f"/engagement/interactions/{newer.pk}/edit/?next=" in html
    assert f"/engagement/interactions/{older.pk}/edit/" in html
    # The person's timeline links here, narrowed to them.
    person_page = owner_client.get(f"/people/{ann.pk}/").content.decode()
    assert f"/engagement/interactions/?person={ann.pk}" in person_page


def test_another_members_private_record_is_never_named(owner_client, owner, teammate, ann):
    secret = PersonFactory(first_name="Secret", last_name="Person", owner=teammate, is_private=True)
    hidden_co = CompanyFactory(name="Hidden Co", owner=teammate, is_private=True)
    _log(teammate, "Whispered plan", secret)
    InteractionFactory(
        summary="Company secret", person=None, company=hidden_co, created_by=teammate
    )
    _log(owner, "Open call", ann)
    html = _html(owner_client)
    assert "Open call" in html
    for hidden in ("Whispered plan", "Secret", "Company secret", "Hidden Co"):
        assert hidden not in html
    # Not by the person filter either.
    assert "Whispered plan" not in _html(owner_client, person=secret.pk)


@time_machine.travel(NOW, tick=False)
def test_filters_channel_direction_author_window_person_and_search(
    owner, owner_client, ann, teammate
):
    bob = PersonFactory(first_name="Bob", last_name="Other", owner=owner)
    _log(owner, "Alpha call", ann, days=1)
    _log(owner, "Beta mail", bob, days=20, channel=Channel.EMAIL)
    _log(teammate, "Gamma visit", ann, days=60, channel=Channel.VISIT)
    _log(teammate, "Delta reply", bob, days=200, direction=Direction.THEY_REPLIED)
    every = {"Alpha call", "Beta mail", "Gamma visit", "Delta reply"}

    def shown(**query):
        html = _html(owner_client, **query)
        return {s for s in every if s in html}

    assert shown() == every
    assert shown(channel="email") == {"Beta mail"}
    assert shown(direction="they_replied") == {"Delta reply"}
    assert shown(by="mine") == {"Alpha call", "Beta mail"}
    assert shown(by=str(teammate.pk)) == {"Gamma visit", "Delta reply"}
    assert shown(days="7") == {"Alpha call"}
    assert shown(days="30") == {"Alpha call", "Beta mail"}
    assert shown(days="90") == {"Alpha call", "Beta mail", "Gamma visit"}
    assert shown(person=bob.pk) == {"Beta mail", "Delta reply"}
    assert shown(q="gAmMa") == {"Gamma visit"}
    # Nonsense is ignored, never a 500.
    for bad in ({"channel": "fax"}, {"days": "12"}, {"by": "x"}, {"person": "١٢"},
                {"page": "999"}, {"q": "x" * 5000}, {"by": "99999999999"}):  # fmt: skip
        assert owner_client.get(URL, bad).status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_the_page_runs_a_fixed_number_of_queries(
    owner, owner_client, ann, rows, django_assert_num_queries
):
    company = CompanyFactory(owner=owner)
    for n in range(rows):
        InteractionFactory(summary=f"Row {n}", person=ann, company=company, created_by=owner)
    # session, user, count, page (with its records and authors), members
    with django_assert_num_queries(5):
        html = _html(owner_client)
    assert f"Row {rows - 1}" in html


def test_pages(owner, owner_client, ann):
    for n in range(30):
        _log(owner, f"Paged {n:02d}", ann, days=n)
    html = _html(owner_client, per_page=25, page=2)
    assert "Paged 25" in html and "Paged 24" not in html and "26–30 of 30" in html


def test_bulk_trash_is_one_change_with_undo(owner, owner_client, ann):
    items = [_log(owner, f"Bin {n}", ann) for n in range(3)]
    response = owner_client.post(
        BULK, {"ids": [i.pk for i in items[:2]], "action": "trash", "next": URL}, follow=True
    )
    html = response.content.decode()
    assert "done for 2 records" in html and "Undo" in html
    assert list(Interaction.objects.values_list("summary", flat=True)) == ["Bin 2"]
    change = BulkChange.objects.get()
    owner_client.post(f"/bulk/changes/{change.pk}/undo/", {"next": URL})
    assert Interaction.objects.count() == 3


def test_a_forged_selection_is_refused_whole(owner_client, owner, teammate, ann, viewer_client):
    mine = _log(owner, "Mine", ann)
    hidden = _log(teammate, "Hidden", PersonFactory(owner=teammate, is_private=True))
    response = owner_client.post(BULK, {"ids": [mine.pk, hidden.pk], "action": "trash"})
    assert response.status_code == 403
    assert Interaction.objects.count() == 2
    assert viewer_client.post(BULK, {"ids": [mine.pk], "action": "trash"}).status_code == 403
    # An id that is not there (any more) is refused the same way, as on every list.
    assert owner_client.post(BULK, {"ids": [mine.pk, 999999], "action": "trash"}).status_code == 403
    assert Interaction.objects.count() == 2


@pytest.mark.parametrize(
    "data",
    [
        {"ids": ["abc"], "action": "trash"},
        {"ids": [], "action": "trash"},
        {"ids": ["1"], "action": "assign"},
        {"ids": ["x"], "action": "export"},
        {"ids": [], "action": "export"},
        {"ids": ["999999"], "action": "export"},
    ],
)
def test_bad_bulk_input_says_why_and_changes_nothing(owner_client, owner, ann, data):
    _log(owner, "Stays", ann)
    response = owner_client.post(BULK, {**data, "next": URL}, follow=True)
    assert response.status_code == 200
    assert 'class="message' in response.content.decode() or "error" in response.content.decode()
    assert Interaction.objects.count() == 1 and not BulkChange.objects.exists()


def test_export_selected_names_records_as_the_user_may_see_them(owner, owner_client, teammate):
    ann = PersonFactory(first_name="Ann", last_name="Caller", owner=owner)
    one = _log(owner, "=HYPERLINK(1)", ann, channel=Channel.MEETING)
    secret_co = CompanyFactory(name="Hidden Co", owner=teammate, is_private=True)
    # Shown in the list only when every record it names is visible: export the same rule.
    two = InteractionFactory(summary="Plain", person=ann, company=None, created_by=owner)
    response = owner_client.post(BULK, {"ids": [one.pk, two.pk], "action": "export"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    lines = body.lstrip("\ufeff").splitlines()
    assert lines[0] == "Summary,Channel,Direction,Occurred at,Person,Company,Deal"
    assert "'=HYPERLINK(1),Meeting,We reached out" in body
    assert "Ann Caller" in body and "Hidden Co" not in body
    hidden = InteractionFactory(
        summary="Theirs", person=None, company=secret_co, created_by=teammate
    )
    refused = owner_client.post(BULK, {"ids": [one.pk, hidden.pk], "action": "export"})
    assert refused.status_code == 302  # all or none: nothing exported


def test_export_labels_a_private_record_by_name_seen_by(owner, teammate):
    from attract.engagement.interaction_list_views import _export_rows

    secret = PersonFactory(first_name="Secret", owner=teammate, is_private=True)
    item = InteractionFactory(summary="S", person=secret, created_by=teammate)
    rows = list(_export_rows([item], owner))
    assert rows[1][4] == "a private contact" and rows[1][5] == ""


def test_the_palette_offers_the_page(owner_client):
    assert (
        "/engagement/interactions/"
        in owner_client.get("/search/", {"q": "interactions"}).content.decode()
    )


def test_a_viewer_may_export_but_is_offered_no_trash(owner, ann, viewer_client):
    item = _log(owner, "Read only", ann)
    html = _html(viewer_client)
    assert 'value="export"' in html and 'value="trash"' not in html
    response = viewer_client.post(BULK, {"ids": [item.pk], "action": "export"})
    assert response.status_code == 200
    assert "Read only" in b"".join(response.streaming_content).decode()


def test_the_person_filter_adds_one_query_whatever_the_rows(
    owner, owner_client, ann, django_assert_num_queries
):
    for n in range(12):
        _log(owner, f"Row {n}", ann)
    # session, user, the person, count, page, members
    with django_assert_num_queries(6):
        _html(owner_client, person=ann.pk, channel="call", days="30", q="row")
