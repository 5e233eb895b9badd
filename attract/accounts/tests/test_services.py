from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from attract.accounts.models import ApiToken, Invitation, Role, User
from attract.accounts.services import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    invitation_accept,
    invitation_create,
    invitation_revoke,
    owner_create,
    user_change_password,
    user_change_role,
    user_deactivate,
    user_reactivate,
    user_update_profile,
)
from attract.accounts.tests.factories import PASSWORD, UserFactory

NEW_PASSWORD = "a lighthouse in the fog"


# --- Owner -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_owner_create_makes_the_one_owner_with_a_lower_cased_email():
    user = owner_create(email="Ann@Example.COM", password=NEW_PASSWORD, full_name=" Ann ")
    assert (user.email, user.full_name, user.role) == ("ann@example.com", "Ann", Role.OWNER)
    assert user.check_password(NEW_PASSWORD)


def test_a_second_owner_is_refused(owner):
    with pytest.raises(ValidationError):
        owner_create(email="second@example.com", password=NEW_PASSWORD)
    assert User.objects.filter(role=Role.OWNER).count() == 1


def test_the_database_holds_only_one_owner(owner):
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(role=Role.OWNER)


@pytest.mark.django_db
def test_owner_create_refuses_a_weak_password_at_the_password_field():
    with pytest.raises(ValidationError) as caught:
        owner_create(email="ann@example.com", password="12345678")
    assert "password" in caught.value.message_dict
    assert not User.objects.exists()


# --- Profile and password --------------------------------------------------------------------


def test_a_viewer_can_change_their_own_profile(viewer):
    user_update_profile(actor=viewer, full_name="Vera V.", time_zone="Europe/Berlin")
    viewer.refresh_from_db()
    assert (viewer.full_name, viewer.time_zone) == ("Vera V.", "Europe/Berlin")


def test_an_unknown_time_zone_is_refused_at_its_field(teammate):
    with pytest.raises(ValidationError) as caught:
        user_update_profile(actor=teammate, full_name="Tom", time_zone="Mars/Olympus")
    assert "time_zone" in caught.value.message_dict
    teammate.refresh_from_db()
    assert teammate.time_zone == ""


def test_password_change_needs_the_current_password(teammate):
    with pytest.raises(ValidationError) as caught:
        user_change_password(actor=teammate, current_password="wrong", new_password=NEW_PASSWORD)
    assert "old_password" in caught.value.message_dict
    teammate.refresh_from_db()
    assert teammate.check_password(PASSWORD)


def test_password_change_refuses_a_common_password(viewer):
    with pytest.raises(ValidationError) as caught:
        user_change_password(actor=viewer, current_password=PASSWORD, new_password="password123")
    assert "new_password1" in caught.value.message_dict


def test_a_viewer_can_change_their_own_password(viewer):
    user_change_password(actor=viewer, current_password=PASSWORD, new_password=NEW_PASSWORD)
    viewer.refresh_from_db()
    assert viewer.check_password(NEW_PASSWORD)


# --- Roles and deactivation ------------------------------------------------------------------


def test_the_owner_changes_a_members_role(owner, teammate):
    user_change_role(actor=owner, user=teammate, role=Role.VIEWER)
    teammate.refresh_from_db()
    assert teammate.role == Role.VIEWER


def test_an_admin_changes_a_members_role(owner, teammate):
    admin = UserFactory(role=Role.ADMIN)
    user_change_role(actor=admin, user=teammate, role=Role.ADMIN)
    assert User.objects.get(pk=teammate.pk).role == Role.ADMIN


def test_a_member_cannot_change_roles(teammate, outsider):
    with pytest.raises(PermissionDenied):
        user_change_role(actor=teammate, user=outsider, role=Role.ADMIN)
    assert User.objects.get(pk=outsider.pk).role == Role.MEMBER


def test_nobody_changes_the_owners_role(owner):
    admin = UserFactory(role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        user_change_role(actor=admin, user=owner, role=Role.MEMBER)
    with pytest.raises(PermissionDenied):
        user_change_role(actor=owner, user=owner, role=Role.ADMIN)
    assert User.objects.get(pk=owner.pk).role == Role.OWNER


def test_an_admin_cannot_make_someone_owner(owner, teammate):
    admin = UserFactory(role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        user_change_role(actor=admin, user=teammate, role=Role.OWNER)
    assert User.objects.filter(role=Role.OWNER).get() == owner


def test_the_owner_hands_ownership_over_and_becomes_an_admin(owner, teammate):
    user_change_role(actor=owner, user=teammate, role=Role.OWNER)
    owner.refresh_from_db()
    teammate.refresh_from_db()
    assert (owner.role, owner.is_superuser) == (Role.ADMIN, False)
    assert (teammate.role, teammate.is_superuser) == (Role.OWNER, True)
    assert User.objects.filter(role=Role.OWNER).count() == 1


def test_an_unknown_role_is_refused_at_the_role_field(owner, teammate):
    with pytest.raises(ValidationError) as caught:
        user_change_role(actor=owner, user=teammate, role="emperor")
    assert "role" in caught.value.message_dict


def test_a_deactivated_user_cannot_use_their_api_token(owner, teammate):
    _, raw = api_token_create(user=teammate, name="Sync")
    assert api_token_authenticate(raw) == teammate
    user_deactivate(actor=owner, user=teammate)
    assert api_token_authenticate(raw) is None
    user_reactivate(actor=owner, user=teammate)
    assert api_token_authenticate(raw) == teammate


def test_the_owner_cannot_be_deactivated(owner):
    admin = UserFactory(role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        user_deactivate(actor=admin, user=owner)
    assert User.objects.get(pk=owner.pk).is_active


def test_a_member_cannot_deactivate_anyone(teammate, outsider):
    with pytest.raises(PermissionDenied):
        user_deactivate(actor=teammate, user=outsider)
    assert User.objects.get(pk=outsider.pk).is_active


# --- API tokens ------------------------------------------------------------------------------


def test_an_api_token_is_stored_only_as_a_hash(teammate):
    token, raw = api_token_create(user=teammate, name=" CI script ")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.name == "CI script"
    assert raw.startswith("att_") and stored.prefix == raw[:12]
    assert raw not in (stored.key_hash, stored.prefix)
    assert len(stored.key_hash) == 64


def test_an_api_token_needs_a_name(teammate):
    with pytest.raises(ValidationError) as caught:
        api_token_create(user=teammate, name="  ")
    assert "name" in caught.value.message_dict
    assert not ApiToken.objects.exists()


def test_a_revoked_token_stops_working(teammate):
    token, raw = api_token_create(user=teammate, name="Sync")
    api_token_revoke(user=teammate, token=token)
    assert api_token_authenticate(raw) is None


def test_nobody_revokes_someone_elses_token(teammate, outsider):
    token, raw = api_token_create(user=teammate, name="Sync")
    with pytest.raises(PermissionDenied):
        api_token_revoke(user=outsider, token=token)
    assert api_token_authenticate(raw) == teammate


def test_token_use_is_recorded_at_most_once_a_minute(teammate):
    token, raw = api_token_create(user=teammate, name="Sync")
    with time_machine.travel("2026-03-01 09:00:00+00:00", tick=False):
        api_token_authenticate(raw)
    with time_machine.travel("2026-03-01 09:00:30+00:00", tick=False):
        api_token_authenticate(raw)
    token.refresh_from_db()
    assert token.last_used_at.isoformat() == "2026-03-01T09:00:00+00:00"


# --- Invitations -----------------------------------------------------------------------------


def test_an_invitation_stores_only_a_hash_of_its_token(owner):
    invitation, raw = invitation_create(actor=owner, email="New@Example.com", role=Role.VIEWER)
    assert invitation.email == "new@example.com"
    assert raw not in invitation.token_hash
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)


def test_a_member_cannot_invite(teammate):
    with pytest.raises(PermissionDenied):
        invitation_create(actor=teammate, email="new@example.com", role=Role.MEMBER)
    assert not Invitation.objects.exists()


def test_nobody_is_invited_as_owner(owner):
    with pytest.raises(ValidationError) as caught:
        invitation_create(actor=owner, email="new@example.com", role=Role.OWNER)
    assert "role" in caught.value.message_dict


def test_an_email_already_on_the_team_is_refused_at_the_email_field(owner, teammate):
    with pytest.raises(ValidationError) as caught:
        invitation_create(actor=owner, email="TEAMMATE@example.com", role=Role.MEMBER)
    assert "email" in caught.value.message_dict


def test_inviting_again_replaces_the_open_invitation(owner):
    first, first_raw = invitation_create(actor=owner, email="new@example.com", role=Role.MEMBER)
    invitation_create(actor=owner, email="new@example.com", role=Role.ADMIN)
    first.refresh_from_db()
    assert first.revoked_at is not None
    with pytest.raises(ValidationError):
        invitation_accept(raw_token=first_raw, full_name="New", password=NEW_PASSWORD)


def test_accepting_creates_the_user_with_the_invited_role(owner):
    invitation, raw = invitation_create(actor=owner, email="new@example.com", role=Role.VIEWER)
    user = invitation_accept(raw_token=raw, full_name="Nina New", password=NEW_PASSWORD)
    assert (user.email, user.full_name, user.role) == ("new@example.com", "Nina New", Role.VIEWER)
    assert user.check_password(NEW_PASSWORD)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_an_invitation_works_only_once(owner):
    _, raw = invitation_create(actor=owner, email="new@example.com", role=Role.MEMBER)
    invitation_accept(raw_token=raw, full_name="Nina", password=NEW_PASSWORD)
    with pytest.raises(ValidationError):
        invitation_accept(raw_token=raw, full_name="Someone else", password=NEW_PASSWORD)
    assert User.objects.filter(email="new@example.com").count() == 1


def test_an_expired_invitation_cannot_be_accepted(owner):
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        _, raw = invitation_create(actor=owner, email="new@example.com", role=Role.MEMBER)
    with pytest.raises(ValidationError):
        invitation_accept(raw_token=raw, full_name="Nina", password=NEW_PASSWORD)
    assert not User.objects.filter(email="new@example.com").exists()


def test_a_revoked_invitation_cannot_be_accepted(owner):
    invitation, raw = invitation_create(actor=owner, email="new@example.com", role=Role.MEMBER)
    invitation_revoke(actor=owner, invitation=invitation)
    with pytest.raises(ValidationError):
        invitation_accept(raw_token=raw, full_name="Nina", password=NEW_PASSWORD)


def test_accepting_refuses_a_weak_password_and_keeps_the_invitation_open(owner):
    invitation, raw = invitation_create(actor=owner, email="new@example.com", role=Role.MEMBER)
    with pytest.raises(ValidationError) as caught:
        invitation_accept(raw_token=raw, full_name="Nina", password="123")
    assert "password" in caught.value.message_dict
    invitation.refresh_from_db()
    assert invitation.is_open()
    assert not User.objects.filter(email="new@example.com").exists()


def test_a_member_cannot_revoke_an_invitation(owner, teammate):
    invitation, _ = invitation_create(actor=owner, email="new@example.com", role=Role.MEMBER)
    with pytest.raises(PermissionDenied):
        invitation_revoke(actor=teammate, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
