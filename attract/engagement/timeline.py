"""The timeline card of a person, company or deal: its interactions and the quick-log form."""

from __future__ import annotations

from attract.core.permissions import can_change_record
from attract.engagement.forms import InteractionForm, TaskForm
from attract.engagement.selectors import interaction_timeline
from attract.people.models import Company, Person
from attract.pipeline.models import Deal

# kind in the URL: (model, detail page), so one view serves all three pages.
SUBJECTS = {
    "person": (Person, "people:person_detail"),
    "company": (Company, "people:company_detail"),
    "deal": (Deal, "pipeline:deal_detail"),
}


def timeline_context(*, user, kind: str, record, form: InteractionForm | None = None) -> dict:
    return {
        "kind": kind,
        "record": record,
        "interactions": interaction_timeline(user=user, **{kind: record}),
        "form": form or InteractionForm(prefix=None),
        "task_form": TaskForm(),
        "can_log": can_change_record(user, record) and not record.in_trash,
    }
