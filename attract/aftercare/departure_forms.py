"""Forms of the departure pages and the exit survey: they parse input; the services decide."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone

from attract.aftercare.departure_selectors import SOURCES
from attract.aftercare.models import PLAIN_WORDS, PUBLISHED, Reason, WouldReturn
from attract.core.forms import version_field


def reason_choices() -> list[tuple[str, str]]:
    """Each reason with its control level beside it, as the seller chooses among them."""
    choices = []
    for reason in Reason:
        if reason.value in PUBLISHED:
            share, control = PUBLISHED[reason.value]
            label = f"{reason.label} — control: {control} (published {share}%)"
        else:
            label = f"{reason.label} (say in a few words)"
        choices.append((reason.value, label))
    return choices


class DepartureForm(forms.Form):
    departed_on = forms.DateField(
        label="They left on", widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.ChoiceField(
        label="Why they left (our guess)", choices=reason_choices, widget=forms.RadioSelect
    )
    reason_other = forms.CharField(
        label="Other reason, in a few words", required=False, max_length=300
    )
    note = forms.CharField(
        required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 3})
    )
    contact = forms.TypedChoiceField(
        label="Who we dealt with",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="The exit survey is for them.",
    )
    version = version_field()

    def __init__(self, *args, contacts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].choices = [("", "Nobody in particular")] + [
            (p.pk, p.full_name) for p in contacts
        ]
        self.contacts = {p.pk: p for p in contacts}
        if not self.is_bound and "departed_on" not in self.initial:
            self.initial["departed_on"] = timezone.localdate()


class SurveyForm(forms.Form):
    """The exit survey, in the customer's words: short, and every question optional but the
    first."""

    reason = forms.ChoiceField(
        label="Why did you leave?",
        choices=list(PLAIN_WORDS.items()),
        widget=forms.RadioSelect,
    )
    reason_other = forms.CharField(label="If something else, what?", required=False, max_length=300)
    could_have_done = forms.CharField(
        label="What could we have done better?",
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    would_return = forms.ChoiceField(
        label="Would you come back one day?",
        required=False,
        choices=[(WouldReturn.YES, "Yes"), (WouldReturn.MAYBE, "Maybe"), (WouldReturn.NO, "No")],
        widget=forms.RadioSelect,
    )
    may_contact = forms.TypedChoiceField(
        label="May we contact you about your answers?",
        required=False,
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
    )


class PeriodForm(forms.Form):
    """The period of the "why ours leave" page: the last 12 months unless chosen."""

    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.ChoiceField(required=False, choices=list(SOURCES.items()), label="Reasons")

    def period(self) -> tuple[date, date, str]:
        today = timezone.localdate()
        end, start, source = today, today - timedelta(days=365), "all"
        if self.is_bound:
            self.is_valid()  # each field that is valid is used; the others keep their default
            data = self.cleaned_data
            end = data.get("end") or end
            start = data.get("start") or (end - timedelta(days=365))
            source = data.get("source") or "all"
        if start > end:
            start, end = end, start
        return start, end, source
