"""Personal API tokens: listed by prefix, created with their secret shown once, revoked."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from attract.accounts.forms import ApiTokenCreateForm
from attract.accounts.selectors import api_token_list_for_user
from attract.accounts.services import api_token_create, api_token_revoke
from attract.core.forms import apply_errors_to_form


def _render(request: HttpRequest, form: ApiTokenCreateForm, **extra) -> HttpResponse:
    tokens = api_token_list_for_user(user=request.user)
    return render(request, "accounts/api_tokens.html", {"form": form, "tokens": tokens, **extra})


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    return _render(request, ApiTokenCreateForm())


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenCreateForm(request.POST)
    if form.is_valid():
        try:
            token, raw = api_token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        else:
            # The secret is in this response only: it is not stored, and no cache may keep it.
            response = _render(request, ApiTokenCreateForm(), new_token=token, raw_token=raw)
            add_never_cache_headers(response)
            return response
    return _render(request, form)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    # Only one's own tokens are found, so someone else's token is a plain 404.
    token = api_token_list_for_user(user=request.user).filter(pk=pk).first()
    if token is None:
        raise Http404
    api_token_revoke(user=request.user, token=token)
    messages.success(request, f"The token “{token.name}” is revoked; it no longer works.")
    return redirect("accounts:token_list")
