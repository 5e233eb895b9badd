"""Writes for users, roles, API tokens and invitations.

Every rule about who may change whom lives here, so the settings pages, the API and the CLI
all refuse the same things with the same words.
"""

from __future__ import annotations

import logging
import smtplib
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from attract.accounts.models import ApiToken, Invitation, Role, User
from attract.accounts.selectors import installation_has_owner
from attract.accounts.tokens import new_token, token_hash
from attract.core.email_addresses import normalise_email
from attract.core.permissions import can_manage_team

logger = logging.getLogger(__name__)

INVITATION_VALID_FOR = timedelta(days=7)
INVITABLE_ROLES = (Role.ADMIN, Role.MEMBER, Role.VIEWER)


def _clean_email(email: str) -> str:
    try:
        return normalise_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": exc.messages}) from exc


def _check_password(password: str, user: User, *, field: str = "password") -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


def _require_team_manager(actor: User) -> None:
    if not can_manage_team(actor):
        raise PermissionDenied("Only the owner and admins manage the team.")


# --- The owner and each user's own account ---------------------------------------------------


@transaction.atomic
def owner_create(*, email: str, password: str, full_name: str = "") -> User:
    """Create the installation's owner. There is exactly one, made on first run."""
    if installation_has_owner():
        raise ValidationError("This installation already has an owner.")
    email = _clean_email(email)
    user = User(
        email=email, full_name=full_name.strip(), role=Role.OWNER, is_staff=True, is_superuser=True
    )
    _check_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def user_update_profile(*, actor: User, full_name: str, time_zone: str) -> User:
    """Each person edits their own name and time zone; viewers too, it is not team data."""
    full_name = (full_name or "").strip()
    time_zone = (time_zone or "").strip()
    if len(full_name) > 200:
        raise ValidationError({"full_name": "Keep the name under 200 characters."})
    if time_zone and time_zone not in zoneinfo.available_timezones():
        raise ValidationError({"time_zone": f"“{time_zone[:64]}” is not a known time zone."})
    actor.full_name = full_name
    actor.time_zone = time_zone
    actor.full_clean()
    actor.save(update_fields=["full_name", "time_zone"])
    return actor


def user_change_password(*, actor: User, current_password: str, new_password: str) -> User:
    """Change one's own password. The field names match Django's PasswordChangeForm, so its
    errors and ours land next to the same fields."""
    if not actor.check_password(current_password or ""):
        raise ValidationError({"old_password": "That is not your current password."})
    _check_password(new_password, actor, field="new_password1")
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    return actor


# --- The team: roles and deactivation --------------------------------------------------------


def _check_may_manage(*, actor: User, user: User) -> None:
    _require_team_manager(actor)
    if user.pk == actor.pk:
        raise PermissionDenied("You cannot change your own role or access.")
    if user.role == Role.OWNER:
        raise PermissionDenied("Nobody can change the owner’s role or access.")


@transaction.atomic
def user_change_role(*, actor: User, user: User, role: str) -> User:
    """Give a team member another role. Making someone the owner hands ownership over: the
    previous owner becomes an admin, so there is always exactly one owner."""
    if role not in Role.values:
        raise ValidationError({"role": f"“{role[:20]}” is not a role."})
    _check_may_manage(actor=actor, user=user)
    if role == Role.OWNER:
        if actor.role != Role.OWNER:
            raise PermissionDenied("Only the owner can hand ownership to someone else.")
        if not user.is_active:
            raise ValidationError({"role": "Reactivate this person before making them the owner."})
        # Demote first: the database allows only one owner at any moment.
        actor.role, actor.is_staff, actor.is_superuser = Role.ADMIN, False, False
        actor.save(update_fields=["role", "is_staff", "is_superuser"])
        user.is_staff, user.is_superuser = True, True
    user.role = role
    user.save(update_fields=["role", "is_staff", "is_superuser"])
    return user


def user_deactivate(*, actor: User, user: User) -> User:
    """A deactivated user can no longer log in, their sessions end and their API tokens stop
    working; their records stay, so nothing they did is lost."""
    _check_may_manage(actor=actor, user=user)
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    return user


def user_reactivate(*, actor: User, user: User) -> User:
    _check_may_manage(actor=actor, user=user)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


# --- Invitations -----------------------------------------------------------------------------


@transaction.atomic
def invitation_create(*, actor: User, email: str, role: str) -> tuple[Invitation, str]:
    """Invite someone by email. Returns the invitation and the secret token for its link,
    which is not stored and so can only be shown now. Inviting the same address again
    replaces the earlier open invitation, whose link stops working."""
    _require_team_manager(actor)
    email = _clean_email(email)
    if role not in INVITABLE_ROLES:
        raise ValidationError({"role": "Invite as an admin, a member or a viewer."})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "Someone with this email is already on the team."})
    now = timezone.now()
    Invitation.objects.filter(
        email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    raw = new_token()
    invitation = Invitation(
        email=email,
        role=role,
        token_hash=token_hash(raw),
        invited_by=actor,
        created_at=now,
        expires_at=now + INVITATION_VALID_FOR,
    )
    invitation.full_clean()
    invitation.save()
    return invitation, raw


def invitation_email_send(*, invitation: Invitation, accept_url: str) -> bool:
    """Email the link. Returns False when the mail server refuses, so the page can tell the
    inviter to pass the link on themselves rather than lose the invitation."""
    inviter = invitation.invited_by
    body = (
        f"{inviter.display_name} ({inviter.email}) invites you to join their team on Attract "
        f"as {invitation.get_role_display().lower()}.\n\n"
        f"Accept the invitation and choose your password here:\n{accept_url}\n\n"
        f"The link works once and expires on {invitation.expires_at:%Y-%m-%d}."
    )
    try:
        send_mail(
            subject=f"{inviter.display_name} invites you to Attract",
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[invitation.email],
        )
    except (OSError, smtplib.SMTPException):
        logger.exception("Could not email invitation %s", invitation.pk)
        return False
    return True


def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    _require_team_manager(actor)
    if invitation.accepted_at is not None:
        raise ValidationError("This invitation has already been accepted.")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def invitation_accept(*, raw_token: str, full_name: str, password: str) -> User:
    """Create the invitee's account with the invited role. The invitation is locked while it
    is used, so one link cannot make two accounts."""
    invitation = (
        Invitation.objects.select_for_update()
        .filter(token_hash=token_hash(raw_token or ""))
        .first()
    )
    if invitation is None or not invitation.is_open():
        raise ValidationError("This invitation is not valid any more.")
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError("Someone with this email is already on the team; log in instead.")
    full_name = (full_name or "").strip()
    if not full_name:
        raise ValidationError({"full_name": "Enter your name, so the team knows who you are."})
    user = User(email=invitation.email, full_name=full_name, role=invitation.role)
    _check_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return user


# --- Personal API tokens ---------------------------------------------------------------------


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is never shown again."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the token a name, such as the script that uses it."})
    if len(name) > 100:
        raise ValidationError({"name": "Keep the name under 100 characters."})
    if not user.is_active:
        raise PermissionDenied("A deactivated account cannot create API tokens.")
    raw = new_token()
    token = ApiToken(user=user, name=name, prefix=raw[:12], key_hash=token_hash(raw))
    token.full_clean()
    token.save()
    return token, raw


def api_token_revoke(*, user: User, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise PermissionDenied("You can only revoke your own tokens.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def api_token_authenticate(raw: str) -> User | None:
    """The active user a token belongs to, or None. Marks when the token was last used."""
    if not raw or not raw.startswith("att_"):
        return None
    try:
        token = ApiToken.objects.select_related("user").get(
            key_hash=token_hash(raw), revoked_at__isnull=True
        )
    except ApiToken.DoesNotExist:
        return None
    if not token.user.is_active:
        return None
    now = timezone.now()
    # Write at most once a minute, so a busy script does not turn every read into a write.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
