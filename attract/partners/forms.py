"""Forms of the partner pages: they parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from attract.accounts.models import User
from attract.core.forms import version_field
from attract.partners.models import Direction, LineKind, Mark, Partner, Step

CONFIDENCE_CHOICES = [("", "Not judged yet")] + [(str(n), str(n)) for n in range(1, 6)]


def _confidence(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=CONFIDENCE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="1 (none) to 5 (complete).",
    )


class PartnerForm(forms.Form):
    is_competitor = forms.BooleanField(required=False, label="A competitor")
    offers_same = forms.CharField(
        required=False,
        max_length=5_000,
        label="What they offer that we offer too",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    offers_different = forms.CharField(
        required=False,
        max_length=5_000,
        label="What they offer that we do not",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    where_we_meet = forms.CharField(
        required=False,
        max_length=2_000,
        label="Where we meet",
        help_text="Associations, events, groups.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confidence_ability = _confidence("Their ability to do the work")
    confidence_account = _confidence("How they take care of the account")
    confidence_ethics = _confidence("How ethically they act")
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="Nobody"
    )
    is_private = forms.BooleanField(required=False, label="Private")
    notes = forms.CharField(
        required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = version_field()

    def __init__(self, *args: Any, partner: Partner | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        users = User.objects.filter(is_active=True)
        if partner is not None and partner.owner_id:
            users = users | User.objects.filter(pk=partner.owner_id)
        self.fields["owner"].queryset = users.order_by("full_name", "email")
        if partner is not None:
            for name in self.fields:
                if name == "version":
                    self.initial["version"] = partner.version
                elif name == "owner":
                    self.initial["owner"] = partner.owner_id
                else:
                    value = getattr(partner, name)
                    self.initial[name] = "" if value is None else value

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version")
        return data


class NewPartnerForm(PartnerForm):
    """Who the partner is: a company or a person the user can see, picked by id (the page
    offers the candidates), then the same fields as an edit."""

    company = forms.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput
    )
    person = forms.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput
    )

    def service_arguments(self) -> dict[str, Any]:
        data = super().service_arguments()
        data.pop("company")
        data.pop("person")
        return data


class LineForm(forms.Form):
    kind = forms.ChoiceField(choices=LineKind.choices, label="Kind")
    text = forms.CharField(max_length=300, label="Their words")


class MarkForm(forms.Form):
    mark = forms.ChoiceField(choices=Mark.choices, required=False)
    version = version_field()


class StepForm(forms.Form):
    step = forms.ChoiceField(choices=Step.choices, label="Step reached")
    reached_on = forms.DateField(
        required=False, label="Reached on", widget=forms.DateInput(attrs={"type": "date"})
    )
    learned = forms.CharField(
        required=False,
        max_length=5_000,
        label="What we learned",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    next_step = forms.CharField(required=False, max_length=2_000, label="Next step suggested")


class ManyOptionsSelect(forms.Select):
    """A select of hundreds of options (every partner), written in one pass: Django's own
    renders a template per option, which took most of the refer page's time with 500."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in (value if isinstance(value, list | tuple) else [value])}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) in chosen else "", label)
                for key, label in self.choices
            ),
        )
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>{}</select>", flatatt(final), options)


class ReferralForm(forms.Form):
    """A referral of one deal, person or company (named by the page's address)."""

    partner = forms.TypedChoiceField(coerce=int, label="Partner", widget=ManyOptionsSelect)
    direction = forms.ChoiceField(choices=Direction.choices, label="Direction")
    reason = forms.CharField(required=False, max_length=2_000, label="Why this partner")
    value = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        label="Value",
        help_text="Left empty: the deal's revenue.",
    )
    referred_on = forms.DateField(
        required=False, label="Date", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, partners: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", "Choose a partner"), *partners]


OUTCOME_CHOICES = [("", "Not known yet"), ("yes", "Yes"), ("no", "No")]


class ReferralEditForm(forms.Form):
    """Correct a referral and record what came of it. A deal referred in tells its own
    outcome, so the outcome fields are left out for it."""

    version = version_field()
    referred_on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.DecimalField(min_value=0, max_digits=14, decimal_places=2, label="Value")
    reason = forms.CharField(
        required=False, max_length=2_000, label="Why", widget=forms.Textarea(attrs={"rows": 2})
    )
    became_customer = forms.TypedChoiceField(
        choices=OUTCOME_CHOICES,
        required=False,
        coerce=lambda v: v == "yes",
        empty_value=None,
        label="Became a customer",
    )
    won_revenue = forms.DecimalField(
        required=False, min_value=0, max_digits=14, decimal_places=2, label="Revenue won"
    )
    won_profit = forms.DecimalField(
        required=False, max_digits=14, decimal_places=2, label="Profit won",
        help_text="A loss is written below zero.",
    )  # fmt: skip

    def __init__(self, *args: Any, referral, **kwargs: Any):
        self.tells_own_outcome = referral.direction == Direction.IN and referral.deal_id
        answer = {True: "yes", False: "no"}.get(referral.became_customer, "")
        kwargs.setdefault(
            "initial",
            {
                "version": referral.version,
                "referred_on": referral.referred_on,
                "value": referral.value,
                "reason": referral.reason,
                "became_customer": answer,
                "won_revenue": referral.won_revenue,
                "won_profit": referral.won_profit,
            },
        )
        super().__init__(*args, **kwargs)
        if self.tells_own_outcome:
            for name in ("became_customer", "won_revenue", "won_profit"):
                del self.fields[name]
        elif referral.direction == Direction.OUT:
            self.fields["became_customer"].label = "Became the partner's customer"

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data
