"""Reads of the engagement app: timelines, tasks, with their joins done."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from attract.engagement.models import CalendarFeed, Interaction, Task


def _visible_links(user) -> Q:
    """A row linked to a private record of someone else stays hidden with that record."""
    q = Q()
    for link in ("person", "company", "deal"):
        q &= (
            Q(**{f"{link}__isnull": True})
            | Q(**{f"{link}__is_private": False})
            | Q(**{f"{link}__owner_id": user.pk})
        )
    return q


def interactions_visible_to(user, *, include_trash: bool = False) -> QuerySet[Interaction]:
    manager = Interaction.all_objects if include_trash else Interaction.objects
    return manager.filter(_visible_links(user))


def interaction_timeline(
    *, user, person=None, company=None, deal=None, limit: int = 50
) -> list[Interaction]:
    rows = interactions_visible_to(user).select_related("created_by", "person", "deal")
    if person is not None:
        rows = rows.filter(person=person)
    elif company is not None:
        rows = rows.filter(company=company)
    else:
        rows = rows.filter(deal=deal)
    return list(rows.order_by("-occurred_at", "-id")[:limit])


def tasks_for_user(
    *, user, include_done: bool = False, due_before: datetime | None = None, limit: int = 200
) -> list[Task]:
    rows = Task.objects.filter(_visible_links(user), assignee=user).select_related(
        "person", "company", "deal"
    )
    if not include_done:
        rows = rows.filter(done_at__isnull=True)
    if due_before is not None:
        rows = rows.filter(due_at__lt=due_before)
    return list(rows.order_by("done_at", "due_at", "id")[:limit])


# The tasks page's sorts, each ending on the id so that pages are stable.
TASK_SORTS = {
    "due": ("due_at", "id"),
    "-due": ("-due_at", "-id"),
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
}
TASK_DUE = ("overdue", "today", "week")


def task_list_for_user(
    *,
    user,
    scope: str = "mine",
    state: str = "open",
    due: str = "",
    person_id: int | None = None,
    sort: str = "due",
    now: datetime | None = None,
    include_trash: bool = False,
) -> QuerySet[Task]:
    """The tasks page: the user's own ("mine") or every task they may see ("all": tasks on
    records they can see, whoever they are assigned to), open or done, by due window
    (overdue, due today, this week — in the user's time zone) and by person."""
    manager = Task.all_objects if include_trash else Task.objects
    rows = manager.filter(_visible_links(user)).select_related(
        "person", "company", "deal", "assignee"
    )
    if scope != "all":
        rows = rows.filter(assignee=user)
    if state == "open":
        rows = rows.filter(done_at__isnull=True)
    elif state == "done":
        rows = rows.filter(done_at__isnull=False)
    now = timezone.localtime(now or timezone.now())
    start_of_day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if due == "overdue":
        rows = rows.filter(due_at__lt=now, done_at__isnull=True)
    elif due == "today":
        rows = rows.filter(due_at__gte=start_of_day, due_at__lt=start_of_day + timedelta(days=1))
    elif due == "week":
        monday = start_of_day - timedelta(days=start_of_day.weekday())
        rows = rows.filter(due_at__gte=monday, due_at__lt=monday + timedelta(days=7))
    if person_id is not None:
        rows = rows.filter(person_id=person_id)
    return rows.order_by(*TASK_SORTS.get(sort, TASK_SORTS["due"]))


def tasks_due_today(*, user, now: datetime | None = None) -> list[Task]:
    """Open tasks due by the end of the user's day, overdue ones included."""
    now = timezone.localtime(now or timezone.now())
    end_of_day = now.replace(hour=23, minute=59, second=59)
    return tasks_for_user(user=user, due_before=end_of_day, limit=50)


def calendar_feed_user(*, token: str):
    """The user a feed token belongs to, or None (a wrong and a reset token look the same)."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


# The interactions page's date windows, in days back from now.
INTERACTION_DAYS = (7, 30, 90)


def interaction_list_for_user(
    *,
    user,
    channel: str = "",
    direction: str = "",
    author_id: int | None = None,
    days: int | None = None,
    person_id: int | None = None,
    search: str = "",
    now: datetime | None = None,
) -> QuerySet[Interaction]:
    """The interactions page: every interaction the user may see (as on the timelines: none
    linked to another member's private record), newest first, narrowed by channel, direction,
    who logged it, a window of days, a person and words of the summary."""
    rows = interactions_visible_to(user).select_related("person", "company", "deal", "created_by")
    if channel:
        rows = rows.filter(channel=channel)
    if direction:
        rows = rows.filter(direction=direction)
    if author_id is not None:
        rows = rows.filter(created_by_id=author_id)
    if days is not None:
        rows = rows.filter(occurred_at__gte=(now or timezone.now()) - timedelta(days=days))
    if person_id is not None:
        rows = rows.filter(person_id=person_id)
    if search:
        rows = rows.filter(summary__icontains=search)
    return rows.order_by("-occurred_at", "-id")
