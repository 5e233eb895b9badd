"""The team page for the owner and admins, and the invitation accept page."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from attract.accounts.models import Invitation, Role, User
from attract.accounts.services import invitation_create
from attract.accounts.tests.factories import PASSWORD, UserFactory

NEW_PASSWORD = "a lighthouse in the fog"


def _log_in(client: Client, email: str, password: str = PASSWORD):
    return client.post("/login/", {"username": email, "password": password})


def _signed_in_as(client: Client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


# --- Team ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["teammate_client", "viewer_client"])
def test_members_and_viewers_cannot_open_the_team_page(request, persona):
    client = request.getfixturevalue(persona)
    assert client.get("/settings/team/").status_code == 403


def test_a_member_cannot_change_roles(teammate_client, outsider):
    response = teammate_client.post(
        reverse("accounts:member_role_change", args=[outsider.pk]), {"role": Role.ADMIN}
    )
    assert response.status_code == 403
    assert User.objects.get(pk=outsider.pk).role == Role.MEMBER


def test_a_member_cannot_invite_or_deactivate(teammate_client, outsider):
    invite = teammate_client.post(
        "/settings/team/invitations/", {"email": "x@example.com", "role": "admin"}
    )
    deactivate = teammate_client.post(reverse("accounts:member_deactivate", args=[outsider.pk]))
    assert (invite.status_code, deactivate.status_code) == (403, 403)
    assert not Invitation.objects.exists()
    assert User.objects.get(pk=outsider.pk).is_active


def test_the_owner_sees_the_team_with_roles(owner_client, teammate, viewer):
    html = owner_client.get("/settings/team/").content.decode()
    assert teammate.email in html and viewer.email in html
    assert "Viewer (read-only)" in html


def test_the_owner_changes_a_role(owner_client, teammate):
    response = owner_client.post(
        reverse("accounts:member_role_change", args=[teammate.pk]), {"role": Role.VIEWER}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=teammate.pk).role == Role.VIEWER


def test_nobody_changes_the_owners_role_from_the_team_page(owner, owner_client):
    admin = UserFactory(role=Role.ADMIN)
    admin_client = Client()
    admin_client.force_login(admin)
    url = reverse("accounts:member_role_change", args=[owner.pk])
    assert admin_client.post(url, {"role": Role.MEMBER}).status_code == 403
    assert owner_client.post(url, {"role": Role.ADMIN}).status_code == 403
    assert User.objects.get(pk=owner.pk).role == Role.OWNER


def test_an_admin_cannot_make_someone_owner(owner, teammate):
    admin = UserFactory(role=Role.ADMIN)
    admin_client = Client()
    admin_client.force_login(admin)
    assert 'value="owner"' not in admin_client.get("/settings/team/").content.decode()
    response = admin_client.post(
        reverse("accounts:member_role_change", args=[teammate.pk]), {"role": Role.OWNER}
    )
    assert response.status_code == 403
    assert User.objects.get(role=Role.OWNER) == owner


def test_role_change_is_a_post(owner_client, teammate):
    url = reverse("accounts:member_role_change", args=[teammate.pk])
    assert owner_client.get(url).status_code == 405


def test_the_owner_deactivates_and_reactivates_a_user(owner_client, teammate):
    owner_client.post(reverse("accounts:member_deactivate", args=[teammate.pk]))
    assert not User.objects.get(pk=teammate.pk).is_active
    assert _log_in(Client(), teammate.email).status_code == 200
    owner_client.post(reverse("accounts:member_reactivate", args=[teammate.pk]))
    assert User.objects.get(pk=teammate.pk).is_active
    assert _log_in(Client(), teammate.email).status_code == 302


@pytest.mark.parametrize("count", [3, 30])
def test_the_team_page_runs_a_fixed_number_of_queries(
    owner, owner_client, count, django_assert_num_queries
):
    UserFactory.create_batch(count)
    for index in range(count):
        invitation_create(actor=owner, email=f"invitee{index}@example.com", role=Role.MEMBER)
    with django_assert_num_queries(4):
        owner_client.get("/settings/team/")


# --- Invitations -----------------------------------------------------------------------------


def _invite(client: Client, email: str = "nina@example.com", role: str = Role.MEMBER):
    return client.post("/settings/team/invitations/", {"email": email, "role": role})


def test_an_invitation_is_emailed_and_its_link_shown_to_the_inviter(owner_client):
    response = _invite(owner_client, "Nina@Example.com", Role.VIEWER)
    assert response.status_code == 200
    link = response.context["invitation_link"]
    assert link.startswith("http://testserver/invite/att_")
    assert link in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role) == ("nina@example.com", Role.VIEWER)
    assert link.rsplit("/", 2)[1] not in invitation.token_hash
    [message] = mail.outbox
    assert message.to == ["nina@example.com"]
    assert link in message.body
    assert link not in owner_client.get("/settings/team/").content.decode()


def test_an_invitation_to_someone_on_the_team_is_refused_at_the_email_field(owner_client, teammate):
    response = _invite(owner_client, teammate.email.upper())
    assert "email" in response.context["invite_form"].errors
    assert 'id="id_email_errors"' in response.content.decode()
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_the_invitee_accepts_and_is_signed_in_with_the_role(owner_client):
    link = _invite(owner_client, role=Role.VIEWER).context["invitation_link"]
    invitee = Client()
    page = invitee.get(link)
    assert page.status_code == 200
    assert "nina@example.com" in page.content.decode()
    response = invitee.post(link, {"full_name": "Nina New", "password": NEW_PASSWORD})
    assert response["Location"] == reverse("web:today")
    user = User.objects.get(email="nina@example.com")
    assert (user.full_name, user.role) == ("Nina New", Role.VIEWER)
    assert _signed_in_as(invitee) == user.pk
    assert Invitation.objects.get().accepted_at is not None


def test_accepting_with_a_weak_password_shows_it_at_the_field(owner_client):
    link = _invite(owner_client).context["invitation_link"]
    response = Client().post(link, {"full_name": "Nina", "password": "password"})
    assert list(response.context["form"].errors) == ["password"]
    assert not User.objects.filter(email="nina@example.com").exists()


def test_a_used_invitation_link_shows_a_clear_not_found_page(owner_client):
    link = _invite(owner_client).context["invitation_link"]
    Client().post(link, {"full_name": "Nina", "password": NEW_PASSWORD})
    response = Client().get(link)
    assert response.status_code == 404
    assert "This invitation link does not work" in response.content.decode()


def test_a_wrong_invitation_token_shows_the_not_found_page(owner):
    for token in ["att_made-up", "x", "att_" + "A" * 43]:
        response = Client().get(f"/invite/{token}/")
        assert response.status_code == 404
        assert "This invitation link does not work" in response.content.decode()
    response = Client().post("/invite/att_made-up/", {"full_name": "X", "password": NEW_PASSWORD})
    assert response.status_code == 404
    assert User.objects.count() == 1


def test_a_revoked_invitation_link_stops_working(owner_client):
    link = _invite(owner_client).context["invitation_link"]
    invitation = Invitation.objects.get()
    response = owner_client.post(reverse("accounts:invitation_revoke", args=[invitation.pk]))
    assert response.status_code == 302
    assert Client().get(link).status_code == 404
    assert not owner_client.get("/settings/team/").context["invitations"]


def test_a_viewer_cannot_revoke_an_invitation(owner, viewer_client):
    invitation, _ = invitation_create(actor=owner, email="nina@example.com", role=Role.MEMBER)
    response = viewer_client.post(reverse("accounts:invitation_revoke", args=[invitation.pk]))
    assert response.status_code == 403
    assert Invitation.objects.get().revoked_at is None
