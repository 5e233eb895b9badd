"""Forms of the plan pages. They only parse; the services hold the rules."""

from __future__ import annotations

from django import forms

from attract.attraction.models import MAX_WEIGHT, MIN_WEIGHT, Better, ExpectationCategory
from attract.core.forms import version_field


class QualityForm(forms.Form):
    text = forms.CharField(label="Quality", max_length=300)
    # No min/max here: the service refuses a weight out of range with its own message.
    weight = forms.IntegerField(
        label="Weight", initial=3, help_text=f"{MIN_WEIGHT} (nice) to {MAX_WEIGHT} (essential)"
    )


class QuestionForm(forms.Form):
    text = forms.CharField(label="Question", max_length=300)
    answer = forms.CharField(
        label="Answer", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExpectationForm(forms.Form):
    category = forms.ChoiceField(label="Category", choices=ExpectationCategory.choices)
    text = forms.CharField(label="What they can expect", max_length=300)
    metric = forms.CharField(label="Metric", required=False, max_length=100)
    value = forms.DecimalField(label="Value", required=False)
    unit = forms.CharField(label="Unit", required=False, max_length=30)
    better = forms.ChoiceField(
        label="Better is", required=False, choices=[("", "—"), *Better.choices]
    )


class PerfectNumberForm(forms.Form):
    perfect_number = forms.IntegerField(label="Perfect number of perfect customers", min_value=0)
    version = version_field()


class StatementForm(forms.Form):
    statement = forms.CharField(
        label="Attraction statement",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Leave empty to compose it from your highest-weighted qualities.",
    )
    version = version_field()


class ComplaintForm(forms.Form):
    text = forms.CharField(label="What frustrated you", widget=forms.Textarea(attrs={"rows": 3}))


class TraitForm(forms.Form):
    less_than_perfect = forms.CharField(label="Less-than-perfect trait", max_length=300)
    opposite = forms.CharField(label="Its opposite positive trait", max_length=300)


class ThankYouNoteForm(forms.Form):
    to_whom = forms.CharField(label="To whom", required=False, max_length=200)
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}))
