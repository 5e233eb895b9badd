"""Forms of events, offers, visits and ideas: they read the input's types; the rules are the
services' (customer_love_services.py). Edit forms carry the version they were opened on."""

from __future__ import annotations

from django import forms

from attract.aftercare.models import EventKind, IdeaStatus, OfferKind, OfferOutcome
from attract.core.forms import version_field
from attract.engagement.models import Channel

DATE = forms.DateInput(attrs={"type": "date"})


class _Fields(forms.Form):
    version = version_field()

    def service_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class EventForm(_Fields):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=EventKind.choices)
    held_on = forms.DateField(widget=DATE, label="Held on")
    what_they_learned = forms.CharField(max_length=5_000, required=False,
                                        widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    what_followed = forms.CharField(max_length=5_000, required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class OfferForm(_Fields):
    kind = forms.ChoiceField(choices=OfferKind.choices, label="What kind")
    what = forms.CharField(max_length=200, label="What we offered")
    terms = forms.CharField(max_length=500, required=False)
    offered_on = forms.DateField(widget=DATE, label="Offered on")


class OfferNewForm(OfferForm):
    channel = forms.ChoiceField(choices=Channel.choices, initial=Channel.EMAIL, label="How")


class OfferAnswerForm(_Fields):
    outcome = forms.ChoiceField(choices=OfferOutcome.choices, label="Their answer")
    answered_on = forms.DateField(widget=DATE, required=False, label="Answered on")


class VisitForm(_Fields):
    visited_on = forms.DateField(widget=DATE, label="Visited on")
    what_we_watched = forms.CharField(max_length=500, label="What we watched them do")
    what_we_learned = forms.CharField(max_length=5_000, required=False,
                                      widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip


class IdeaForm(_Fields):
    title = forms.CharField(max_length=200, label="The idea")
    description = forms.CharField(max_length=5_000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    status = forms.ChoiceField(choices=IdeaStatus.choices)
