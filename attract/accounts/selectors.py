"""Reads for users, API tokens and invitations."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from attract.accounts.models import ApiToken, Invitation, Role, User
from attract.accounts.tokens import token_hash


def installation_has_owner() -> bool:
    return User.objects.filter(role=Role.OWNER, is_active=True).exists()


def user_list() -> QuerySet[User]:
    return User.objects.order_by("full_name", "email")


def team_member_list() -> QuerySet[User]:
    """The team page: active people before deactivated ones, then by role (owner first),
    then by name."""
    role_rank = Case(
        *(When(role=role, then=Value(rank)) for rank, role in enumerate(Role.values)),
        output_field=IntegerField(),
    )
    return User.objects.order_by("-is_active", role_rank, "full_name", "email")


def api_token_list_for_user(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def invitation_list_open() -> QuerySet[Invitation]:
    """Invitations not yet accepted or revoked, expired ones included so the team page can
    say so; with the inviter joined for the list."""
    return (
        Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at")
    )


def invitation_get_open_by_token(*, raw_token: str) -> Invitation | None:
    """The open invitation a link's token belongs to, or None for an unknown, expired,
    revoked or already used one (the accept page treats them all alike)."""
    invitation = (
        Invitation.objects.select_related("invited_by")
        .filter(token_hash=token_hash(raw_token or ""))
        .first()
    )
    if invitation is None or not invitation.is_open():
        return None
    return invitation
