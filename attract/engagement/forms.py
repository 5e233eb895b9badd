"""Forms of the engagement pages; rules live in the services, these only parse."""

from __future__ import annotations

from django import forms

from attract.engagement.models import Channel, Direction, GoalKind, Verdict


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
