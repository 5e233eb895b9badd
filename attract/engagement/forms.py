"""Forms of the engagement pages; rules live in the services, these only parse."""

from __future__ import annotations

from django import forms

from attract.accounts.models import User
from attract.core.forms import version_field
from attract.core.permissions import visible_to
from attract.core.search_text import search_key
from attract.engagement.models import Channel, Direction, GoalKind, Verdict
from attract.people.forms import COMPANY_NUMBER
from attract.people.models import Person


class InteractionForm(forms.Form):
    channel = forms.ChoiceField(choices=Channel.choices, initial=Channel.CALL)
    direction = forms.ChoiceField(choices=Direction.choices, initial=Direction.WE_REACHED_OUT)
    summary = forms.CharField(max_length=500, required=False)
    outcome = forms.CharField(max_length=500, required=False)
    occurred_at = forms.DateTimeField(
        required=False,
        label="When",
        help_text="Leave empty for now.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    needs_reply = forms.BooleanField(required=False, label="Needs our reply")


class TaskForm(forms.Form):
    title = forms.CharField(max_length=300, required=False)
    due_at = forms.DateTimeField(
        required=False, label="Due", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class OverrideForm(forms.Form):
    verdict = forms.ChoiceField(choices=Verdict.choices)
    reason = forms.CharField(max_length=2_000, required=False)


class GoalForm(forms.Form):
    kind = forms.ChoiceField(choices=GoalKind.choices)
    target = forms.IntegerField(min_value=0, max_value=1000)


class ReviewFilterForm(forms.Form):
    """The review's filters; owners are those with open deals the user may see."""

    owner = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    verdict = forms.ChoiceField(required=False, choices=[("", "Push and Pull"), *Verdict.choices])

    def __init__(self, data, *, owners: list[tuple[int, str]]):
        super().__init__(data)
        self.fields["owner"].choices = [("", "Every owner"), *owners]


def _active_members():
    return User.objects.filter(is_active=True).order_by("full_name", "email")


class TaskPageForm(forms.Form):
    """A task made on the tasks page: what, when, and the person it is about, written as a
    name or "Name #12" (the people the page offers in its list)."""

    title = forms.CharField(max_length=300, required=False)
    due_at = forms.DateTimeField(
        required=False, label="Due", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    person = forms.CharField(
        max_length=300, required=False, label="About (person)", help_text="A name, or Name #id."
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["person"].widget.attrs.update({"list": "task-people", "autocomplete": "off"})

    def clean_person(self):
        text = " ".join(self.cleaned_data["person"].split())
        if not text:
            raise forms.ValidationError("Say who the task is about.")
        visible = visible_to(Person.objects.all(), self.user)
        numbered = COMPANY_NUMBER.match(text)  # "Name #12", or the bare id
        number = numbered["pk"] if numbered else text if text.isascii() and text.isdigit() else ""
        if 0 < len(number) < 10 and (match := visible.filter(pk=int(number)).first()):
            return match
        matches = list(visible.filter(search_name=search_key(text))[:2])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise forms.ValidationError(f"Several people are called “{text}”; write Name #id.")
        raise forms.ValidationError(f"There is no person called “{text}”.")


class TaskEditForm(forms.Form):
    title = forms.CharField(max_length=300, required=False)
    due_at = forms.DateTimeField(
        required=False, label="Due", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    # Left out (an old form, a script), the task keeps its assignee.
    assignee = forms.ModelChoiceField(
        queryset=None, label="Assigned to", empty_label=None, required=False
    )
    version = version_field()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = _active_members()
        self.fields["assignee"].label_from_instance = lambda u: u.display_name


class InteractionEditForm(forms.Form):
    """Correct a logged interaction, against the version the user saw."""

    channel = forms.ChoiceField(choices=Channel.choices)
    direction = forms.ChoiceField(choices=Direction.choices)
    summary = forms.CharField(max_length=500, required=False)
    outcome = forms.CharField(max_length=500, required=False)
    occurred_at = forms.DateTimeField(
        label="When", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    version = version_field()
