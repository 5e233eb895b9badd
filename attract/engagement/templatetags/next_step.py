"""The next step on a person's or a company's page: their next open task, whoever it is
for, or "No next step" with the way to add one (a dialog posting to engagement:task_create)."""

from __future__ import annotations

from django import template

from attract.core.permissions import can_change_record
from attract.engagement.forms import TaskForm
from attract.engagement.models import Task

register = template.Library()


@register.inclusion_tag("engagement/partials/_next_step.html", takes_context=True)
def next_step(context, kind: str, record) -> dict:
    task = (
        Task.objects.filter(**{kind: record}, done_at__isnull=True)
        .select_related("assignee")
        .order_by("due_at", "id")
        .first()
    )
    return {
        "kind": kind,
        "record": record,
        "task": task,
        # Its own ids: the timeline's "Add a task" form is on the same page.
        "task_form": TaskForm(auto_id="next-step-%s"),
        "can_add": can_change_record(context["request"].user, record) and not record.in_trash,
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }
