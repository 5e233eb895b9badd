"""Forms only parse and check the shape of input; the rules live in services.py."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from attract.accounts.models import Role
from attract.accounts.services import INVITABLE_ROLES


class EmailLoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email and password do not match an active account.",
    }


class OwnerSetupForm(forms.Form):
    full_name = forms.CharField(label="Your name", max_length=200, required=False)
    email = forms.EmailField(label="Email", max_length=254)
    password = forms.CharField(
        label="Password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not a common password.",
    )
    load_sample_data = forms.BooleanField(
        label="Load sample data so I can look around first",
        required=False,
        help_text="A few hundred made-up companies and persons; delete them any time.",
    )


@cache
def _time_zone_choices() -> list[tuple[str, str]]:
    zones = sorted(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC")
    return [("", "The installation’s default"), *((z, z.replace("_", " ")) for z in zones)]


class ProfileForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200, required=False)
    time_zone = forms.ChoiceField(
        label="Time zone",
        required=False,
        choices=_time_zone_choices,
        help_text="Dates and times are shown to you in this zone.",
    )


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="What will use it, e.g. “Invoice sync script”.",
    )


class InvitationCreateForm(forms.Form):
    email = forms.EmailField(label="Email", max_length=254)
    role = forms.ChoiceField(
        label="Role",
        choices=[(r.value, r.label) for r in INVITABLE_ROLES],
        initial=Role.MEMBER,
    )


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(
        label="Your name", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not a common password.",
    )


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices)
