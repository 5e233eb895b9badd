"""The signed-in person's own settings: the settings home, profile and password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from attract.accounts.forms import ProfileForm
from attract.accounts.services import user_change_password, user_update_profile
from attract.core.forms import apply_errors_to_form
from attract.core.permissions import can_manage_team


@login_required
def settings_home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/settings.html", {"can_manage_team": can_manage_team(request.user)}
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {"full_name": user.full_name, "time_zone": user.time_zone}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user_update_profile(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("accounts:settings")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_change_password(
                actor=request.user,
                current_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        else:
            # A new password changes the session hash; keep this session, end the others.
            update_session_auth_hash(request, request.user)
            messages.success(request, "Your password is changed. Other sessions are signed out.")
            return redirect("accounts:settings")
    return render(request, "accounts/password_change.html", {"form": form})
