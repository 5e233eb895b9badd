from __future__ import annotations

from django import forms

from attract.webhooks.events import EVENTS


class SubscriptionForm(forms.Form):
    url = forms.CharField(
        label="URL",
        max_length=2000,
        help_text="An https:// address that accepts POST requests.",
        widget=forms.URLInput(attrs={"placeholder": "https://example.com/hooks/attract"}),
    )
    description = forms.CharField(max_length=200, required=False)
    events = forms.MultipleChoiceField(
        choices=list(EVENTS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every event.",
    )
