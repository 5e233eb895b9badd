"""Forms for the pipeline pages. They parse what a person typed; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse

from attract.accounts.models import User
from attract.core.permissions import can_view_record, name_seen_by, visible_to
from attract.core.search_text import search_key
from attract.people.forms import COMPANY_NUMBER, company_label, tag_names
from attract.people.models import Company, Person
from attract.pipeline.models import Deal, LostReason, Source

MONEY_FIELD = {"max_digits": 14, "decimal_places": 2, "required": False}


def _owner_field(current: User | None) -> forms.ModelChoiceField:
    users = User.objects.filter(is_active=True)
    if current is not None and not current.is_active:
        users = users | User.objects.filter(pk=current.pk)
    return forms.ModelChoiceField(
        queryset=users.order_by("full_name", "email"), required=False, empty_label="Nobody"
    )


def person_label(person: Person) -> str:
    # The number tells two people of the same name apart, as it does for companies.
    return f"{person.full_name} #{person.pk}"


class DealForm(forms.Form):
    title = forms.CharField(max_length=200)
    company = forms.CharField(
        max_length=220, required=False, help_text="Start typing to pick a company."
    )
    contact = forms.CharField(
        max_length=220,
        required=False,
        label="Main contact",
        help_text="The person's full name as on their page; pick from the list when shown.",
    )
    pain = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5_000,
        required=False,
        label="The customer's pain, in their words",
        help_text="What hurts, said the way they said it. Needed before Interest.",
    )
    revenue = forms.DecimalField(**MONEY_FIELD)
    cost = forms.DecimalField(**MONEY_FIELD, help_text="What delivering it costs us.")
    expected_close_date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.ChoiceField(choices=Source.choices, initial=Source.OUTBOUND)
    conviction_problem_acknowledged = forms.BooleanField(
        required=False, label="They acknowledge the problem"
    )
    conviction_we_are_the_ones = forms.BooleanField(
        required=False, label="They believe we are the ones to solve it"
    )
    tags = forms.CharField(max_length=1600, required=False, help_text="Separate tags with commas.")
    is_private = forms.BooleanField(
        required=False, label="Private", help_text="Only the owner sees a private deal."
    )
    # The version the form was opened on: a save over someone else's newer change is refused.
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, deal: Deal | None = None, **kwargs: Any):
        self.user = user
        self.deal = deal
        if deal is not None:
            kwargs.setdefault("initial", self.initial_for(deal, user))
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _owner_field(deal.owner if deal else None)
        if deal is None:
            self.fields["owner"].initial = user.pk
        self.fields["company"].widget.attrs.update(
            {
                "list": "company-suggestions",
                "autocomplete": "off",
                "hx-get": reverse("people:company_suggest"),
                "hx-trigger": "input changed delay:200ms",
                "hx-target": "#company-suggestions",
            }
        )
        self.fields["contact"].widget.attrs.update(
            {"list": "contact-suggestions", "autocomplete": "off"}
        )
        for name in ("revenue", "cost"):
            self.fields[name].widget.attrs.update({"min": "0", "step": "0.01"})

    @staticmethod
    def initial_for(deal: Deal, user: User) -> dict[str, Any]:
        # Someone else's private company or contact is shown by its label, never its name;
        # saving the form with the label unchanged keeps the link as it is.
        contact = deal.contact
        return {
            "title": deal.title,
            "company": name_seen_by(user, deal.company),
            "contact": (
                person_label(contact)
                if contact and can_view_record(user, contact)
                else name_seen_by(user, contact)
            ),
            "pain": deal.pain,
            "revenue": deal.revenue,
            "cost": deal.cost,
            "expected_close_date": deal.expected_close_date,
            "source": deal.source,
            "conviction_problem_acknowledged": deal.conviction_problem_acknowledged,
            "conviction_we_are_the_ones": deal.conviction_we_are_the_ones,
            "tags": ", ".join(t.name for t in deal.tags.all()),
            "owner": deal.owner_id,
            "is_private": deal.is_private,
            "version": deal.version,
        }

    def contact_choices(self) -> list[str]:
        """People at the deal's company, for the contact <datalist> (bounded)."""
        company = self.deal.company if self.deal else None
        if company is None or not can_view_record(self.user, company):
            return []
        persons = visible_to(Person.objects.filter(company=company), self.user)
        return [person_label(p) for p in persons.order_by("search_name")[:100]]

    def clean_company(self) -> Company | None:
        text = " ".join(self.cleaned_data["company"].split())
        if not text:
            return None
        current = self.deal.company if self.deal else None
        if current is not None and not can_view_record(self.user, current):
            if text == name_seen_by(self.user, current):
                return current
        elif current is not None and text in {current.name, company_label(current, ambiguous=True)}:
            return current
        visible: QuerySet[Company] = visible_to(Company.objects.all(), self.user)
        numbered = COMPANY_NUMBER.match(text)
        if numbered and (match := visible.filter(pk=int(numbered["pk"])).first()):
            return match
        matches = list(visible.filter(name__iexact=text)[:2])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise forms.ValidationError(
                f"Several companies are called “{text}”; pick one from the suggestions."
            )
        raise forms.ValidationError(f"There is no company called “{text}”. Add it first.")

    def clean_contact(self) -> Person | None:
        text = " ".join(self.cleaned_data["contact"].split())
        if not text:
            return None
        current = self.deal.contact if self.deal else None
        hidden = current is not None and not can_view_record(self.user, current)
        if hidden and text == name_seen_by(self.user, current):
            return current
        visible = visible_to(Person.objects.all(), self.user)
        numbered = COMPANY_NUMBER.match(text)  # the same "Name #12" shape
        if numbered and (match := visible.filter(pk=int(numbered["pk"])).first()):
            return match
        matches = list(visible.filter(search_name=search_key(text))[:2])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise forms.ValidationError(f"Several people are called “{text}”; pick one.")
        raise forms.ValidationError(f"There is no person called “{text}”. Add them first.")

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["tags"] = tag_names(data.pop("tags"))
        for name in ("revenue", "cost"):
            if data[name] is None:
                data[name] = 0
        return data


class MoveForm(forms.Form):
    stage = forms.CharField(max_length=20)
    version = forms.IntegerField(required=False)
    note = forms.CharField(max_length=2_000, required=False)
    override_reason = forms.CharField(max_length=2_000, required=False)


class UndoMoveForm(forms.Form):
    version = forms.IntegerField()
    position = forms.IntegerField(required=False, min_value=-(2**31), max_value=2**31 - 1)


class LoseForm(forms.Form):
    lost_reason_kind = forms.ModelChoiceField(
        queryset=LostReason.objects.filter(is_active=True),
        required=False,
        label="Reason",
        empty_label="Pick a reason",
    )
    lost_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2_000,
        required=False,
        label="Why was it lost?",
    )


class QuoteForm(forms.Form):
    amount = forms.DecimalField(max_digits=14, decimal_places=2)
    description = forms.CharField(max_length=300, required=False)
    valid_until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class StageSettingForm(forms.Form):
    probability = forms.IntegerField(label="Chance of success (%)")
    stale_after_days = forms.IntegerField(label="Long maybe after (days)")


class BoardFilterForm(forms.Form):
    """Filters of the board; an invalid value is ignored, never an error page."""

    owner = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    tag = forms.CharField(required=False, max_length=50)

    def __init__(self, *args: Any, owners: QuerySet[User], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Everyone")] + [(u.pk, u.display_name) for u in owners]

    def value(self, name: str) -> Any:
        if not self.is_valid():
            return self.cleaned_data.get(name) if name not in self.errors else None
        return self.cleaned_data.get(name)
