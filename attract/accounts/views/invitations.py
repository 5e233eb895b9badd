"""The public page where an invitee accepts their invitation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from attract.accounts.forms import InvitationAcceptForm
from attract.accounts.selectors import invitation_get_open_by_token
from attract.accounts.services import invitation_accept
from attract.core.forms import apply_errors_to_form


@never_cache
def invitation_accept_page(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_get_open_by_token(raw_token=token)
    if invitation is None:
        # Unknown, expired, revoked and used links look the same: a guesser learns nothing.
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(raw_token=token, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome to the team. Your account is ready.")
            return redirect("web:today")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )
