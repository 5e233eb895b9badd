"""Response times kept on write (each answer's working seconds, per-user day counts) and the
awaiting-reply page and API a page at a time: figures checked on a known history."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from attract.engagement import services
from attract.engagement.models import Direction, Interaction, ResponseDay
from attract.engagement.responses import (
    awaiting_reply,
    refresh_all_response_days,
    response_stats,
)
from attract.engagement.tests.test_services import MONDAY_9
from attract.people.tests.factories import PersonFactory
from attract.pipeline.tests.test_api import ApiClient

FRIDAY_16 = MONDAY_9 - timedelta(days=2, hours=17)
NOW = MONDAY_9 + timedelta(days=2, hours=3)  # Wednesday noon


def _answered(owner, actor, arrived: datetime, waited: timedelta) -> Interaction:
    person = PersonFactory(owner=owner)
    with time_machine.travel(arrived + waited, tick=False):
        inbound = services.interaction_log(
            actor=owner,
            channel="email",
            direction=Direction.THEY_REACHED_OUT,
            summary="Asked",
            occurred_at=arrived,
            person=person,
        )
        services.interaction_log(
            actor=actor,
            channel="email",
            direction=Direction.WE_REPLIED,
            summary="Answered",
            occurred_at=arrived + waited,
            person=person,
        )
    inbound.refresh_from_db()
    return inbound


@pytest.fixture
def history(owner, teammate):
    """Ann (the owner, UTC) answers in 1, 2, 3, 4 and 6 working hours; Ben (Paris) in 10 and
    30 minutes, 1.5 hours, over a weekend (2 working hours) and 3 hours; and one answer of
    Ann's is 40 days old (outside the window)."""
    owner.time_zone = "UTC"
    owner.save()
    teammate.time_zone = "Europe/Paris"
    teammate.save()
    ann = [_answered(owner, owner, MONDAY_9, timedelta(hours=h)) for h in (1, 2, 3, 4, 6)]
    paris_9 = MONDAY_9 - timedelta(hours=1)  # 9:00 in Paris, 8:00 UTC (winter time)
    ben = [
        _answered(owner, teammate, paris_9, timedelta(minutes=10)),
        _answered(owner, teammate, paris_9, timedelta(minutes=30)),
        _answered(owner, teammate, paris_9, timedelta(minutes=90)),
        # Friday 16:00 Paris to Monday 10:00 Paris: one hour each side of the weekend.
        _answered(owner, teammate, FRIDAY_16 - timedelta(hours=1), timedelta(days=2, hours=18)),
        _answered(owner, teammate, paris_9 + timedelta(days=1), timedelta(hours=3)),
    ]
    old = _answered(owner, owner, MONDAY_9 - timedelta(days=40), timedelta(hours=1))
    return {"ann": ann, "ben": ben, "old": old}


def _figures(now=NOW):
    with time_machine.travel(now, tick=False):
        return {s.user_label: (s.answered, s.median_hours, s.p90_hours) for s in response_stats()}


def test_each_answer_keeps_its_working_time_in_the_answerers_zone(history, owner, teammate):
    assert [i.response_seconds for i in history["ann"]] == [3600, 7200, 10800, 14400, 21600]
    assert [i.response_seconds for i in history["ben"]] == [600, 1800, 5400, 7200, 10800]
    assert history["ben"][0].answered_by == teammate
    assert _figures() == {
        owner.display_name: (5, 3.0, 5.2),
        # 10 min is 0.2 h (a started tenth counts); p90 between 2.0 and 3.0 h: 2.6.
        teammate.display_name: (5, 1.5, 2.6),
    }


def test_trash_restore_and_a_corrected_arrival_follow_in_the_figures(history, owner, teammate):
    slowest = history["ann"][-1]
    services.interaction_delete(actor=owner, interaction=slowest)
    assert _figures()[owner.display_name] == (4, 2.5, 3.7)
    services.interaction_restore(actor=owner, interaction=slowest)
    assert _figures()[owner.display_name] == (5, 3.0, 5.2)
    # It arrived an hour later than first logged: it waited 5 hours, not 6.
    services.interaction_edit(
        actor=owner, interaction=slowest, occurred_at=slowest.occurred_at + timedelta(hours=1)
    )
    slowest.refresh_from_db()
    assert slowest.response_seconds == 5 * 3600
    assert _figures()[owner.display_name] == (5, 3.0, 4.6)


def test_the_refresh_counts_the_same_as_the_answers_kept_on_write(history):
    kept = sorted(ResponseDay.objects.values_list("user_id", "day", "tenths", "count"))
    Interaction.objects.update(response_seconds=None)
    ResponseDay.objects.all().delete()
    with time_machine.travel(NOW, tick=False):
        refresh_all_response_days()
    recent = [row for row in kept if row[1] >= (NOW - timedelta(days=30)).date()]
    assert sorted(ResponseDay.objects.values_list("user_id", "day", "tenths", "count")) == recent
    # Thirty days later, the window is empty.
    assert _figures(NOW + timedelta(days=31)) == {}


def _waiting(owner, count: int) -> list[Interaction]:
    start = datetime(2026, 11, 2, 9, tzinfo=UTC)
    rows = []
    for n in range(count):
        person = PersonFactory(owner=owner)
        rows.append(
            services.interaction_log(
                actor=owner,
                channel="call",
                direction=Direction.THEY_REACHED_OUT,
                summary=f"Waiting {n}",
                occurred_at=start + timedelta(minutes=n // 2),  # pairs share a minute
                person=person,
            )
        )
    return rows


def test_awaiting_pages_follow_each_other_without_gaps_or_repeats(owner):
    rows = _waiting(owner, 7)
    seen, after = [], None
    while True:
        page = awaiting_reply(user=owner, limit=3, after=after)
        if not page:
            break
        seen += [w.interaction.pk for w in page]
        last = page[-1].interaction
        after = (last.occurred_at, last.pk)
    assert seen == [r.pk for r in rows]


def test_the_awaiting_page_costs_the_same_queries_with_few_or_many_answers(
    owner, teammate, owner_client, django_assert_num_queries
):
    _answered(owner, owner, MONDAY_9, timedelta(hours=1))
    _waiting(owner, 1)
    url = reverse("engagement:awaiting")
    with django_assert_num_queries(6) as few:
        owner_client.get(url)
    for hours in (2, 3):
        _answered(owner, teammate, MONDAY_9, timedelta(hours=hours))
    _waiting(owner, 55)
    with django_assert_num_queries(len(few.captured_queries)):
        first = owner_client.get(url)
    assert first.status_code == 200
    assert b"56</strong> waiting" in first.content
    assert b"Waiting 0" in first.content and b"Waiting 50" not in first.content
    following = first.context["next_after"]
    assert following
    with django_assert_num_queries(len(few.captured_queries)):
        second = owner_client.get(url, {"after": following})
    assert b"Waiting 50" in second.content and b"Waiting 48" not in second.content
    assert not second.context["next_after"]
    # A garbled position shows the first page rather than failing.
    assert owner_client.get(url, {"after": "x.y"}).status_code == 200


def test_the_api_pages_with_a_link_header_and_reports_response_times(owner, history):
    _waiting(owner, 3)
    api = ApiClient(owner)
    first = api.get("/interactions/awaiting-reply", limit=2)
    assert first.status_code == 200 and len(first.json()) == 2
    assert 'rel="next"' in first["Link"]
    following = first["Link"].split("after=")[1].split("&")[0]
    second = api.get("/interactions/awaiting-reply", limit=2, after=following)
    assert len(second.json()) == 1 and "Link" not in second
    assert api.get("/interactions/awaiting-reply", after="not-a-place").status_code == 422
    with time_machine.travel(NOW, tick=False):
        times = api.get("/response-times").json()
    assert {(t["answered"], t["median_hours"], t["p90_hours"]) for t in times} == {
        (5, 3.0, 5.2),
        (5, 1.5, 2.6),
    }


def test_the_evidence_of_a_page_of_deals_is_read_through_the_deals_index(owner):
    """The board and the review read the pull signals of their deals only: on SQLite the plan
    starts from (deal, occurred_at), not from every pull signal of the window."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from attract.engagement.pushpull import deal_verdicts
    from attract.pipeline.tests.factories import DealFactory

    deal = DealFactory(owner=owner)
    with CaptureQueriesContext(connection) as captured:
        deal_verdicts(deal_ids=[deal.pk])
    if connection.vendor != "sqlite":
        return
    sql = captured.captured_queries[0]["sql"]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "interaction_deal_time_idx" in plan, plan
