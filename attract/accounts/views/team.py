"""The team page for the owner and admins: roles, deactivation and invitations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from attract.accounts.forms import InvitationCreateForm, RoleChangeForm
from attract.accounts.models import Invitation, Role, User
from attract.accounts.selectors import invitation_list_open, team_member_list
from attract.accounts.services import (
    invitation_create,
    invitation_email_send,
    invitation_revoke,
    user_change_role,
    user_deactivate,
    user_reactivate,
)
from attract.core.forms import apply_errors_to_form
from attract.core.permissions import can_manage_team


def _require_team_manager(request: HttpRequest) -> None:
    if not can_manage_team(request.user):
        raise PermissionDenied("Only the owner and admins manage the team.")


def _get_member(pk: int) -> User:
    user = User.objects.filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


def _render(request: HttpRequest, form: InvitationCreateForm, **extra) -> HttpResponse:
    # Only the owner may hand over ownership; admins choose among the other roles.
    roles = [c for c in Role.choices if c[0] != Role.OWNER]
    if request.user.role == Role.OWNER:
        roles.append((Role.OWNER, "Owner (you become an admin)"))
    context = {
        "members": team_member_list(),
        "invitations": invitation_list_open(),
        "invite_form": form,
        "role_choices": roles,
        **extra,
    }
    return render(request, "accounts/team.html", context)


@login_required
def team(request: HttpRequest) -> HttpResponse:
    _require_team_manager(request)
    return _render(request, InvitationCreateForm())


@login_required
@require_POST
def member_role_change(request: HttpRequest, pk: int) -> HttpResponse:
    _require_team_manager(request)
    member = _get_member(pk)
    form = RoleChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the roles.")
        return redirect("accounts:team")
    try:
        user_change_role(actor=request.user, user=member, role=form.cleaned_data["role"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{member} is now {member.get_role_display().lower()}.")
    return redirect("accounts:team")


@login_required
@require_POST
def member_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    _require_team_manager(request)
    member = user_deactivate(actor=request.user, user=_get_member(pk))
    messages.success(request, f"{member} is deactivated and can no longer log in.")
    return redirect("accounts:team")


@login_required
@require_POST
def member_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    _require_team_manager(request)
    member = user_reactivate(actor=request.user, user=_get_member(pk))
    messages.success(request, f"{member} can log in again.")
    return redirect("accounts:team")


@login_required
@require_POST
def invitation_new(request: HttpRequest) -> HttpResponse:
    _require_team_manager(request)
    form = InvitationCreateForm(request.POST)
    if form.is_valid():
        try:
            invitation, raw = invitation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        else:
            link = request.build_absolute_uri(reverse("accounts:invitation_accept", args=[raw]))
            emailed = invitation_email_send(invitation=invitation, accept_url=link)
            # The link is shown here once, for the inviter to pass on; only its hash is kept.
            response = _render(
                request,
                InvitationCreateForm(),
                new_invitation=invitation,
                invitation_link=link,
                emailed=emailed,
            )
            add_never_cache_headers(response)
            return response
    return _render(request, form)


@login_required
@require_POST
def invitation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    _require_team_manager(request)
    invitation = Invitation.objects.filter(pk=pk).first()
    if invitation is None:
        raise Http404
    try:
        invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The invitation to {invitation.email} is revoked.")
    return redirect("accounts:team")
