import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from attract.accounts.models import ApiToken
from attract.accounts.services import api_token_authenticate, api_token_create
from attract.accounts.tests.factories import PASSWORD

LOGIN = "/login/"
NEW_PASSWORD = "a lighthouse in the fog"


def _log_in(client: Client, email: str, password: str = PASSWORD):
    return client.post(LOGIN, {"username": email, "password": password})


def _signed_in_as(client: Client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


# --- Log-in, log-out, throttling -------------------------------------------------------------


def test_the_login_page_asks_for_email_and_password(client, owner):
    html = client.get(LOGIN).content.decode()
    assert 'type="email"' in html and 'name="username"' in html
    assert 'type="password"' in html


def test_login_is_by_email_whatever_its_capitals(client, owner):
    response = _log_in(client, "  OWNER@Example.com ")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:today")
    assert _signed_in_as(client) == owner.pk


def test_a_wrong_password_is_refused_with_a_message(client, owner):
    response = _log_in(client, owner.email, "wrong password")
    assert response.status_code == 200
    assert "do not match an active account" in response.content.decode()
    assert _signed_in_as(client) is None


def test_an_inactive_user_cannot_log_in(client, teammate):
    teammate.is_active = False
    teammate.save()
    response = _log_in(client, teammate.email)
    assert response.status_code == 200
    assert _signed_in_as(client) is None


def test_a_deactivated_users_open_session_ends(owner_client, teammate_client, teammate):
    assert teammate_client.get("/").status_code == 200
    owner_client.post(reverse("accounts:member_deactivate", args=[teammate.pk]))
    response = teammate_client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_log_out_is_a_post(owner_client):
    assert owner_client.get("/logout/").status_code == 405
    assert owner_client.get("/").status_code == 200
    response = owner_client.post("/logout/")
    assert response["Location"] == reverse("accounts:login")
    assert owner_client.get("/").status_code == 302


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, owner):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, owner.email, "wrong password")
    response = _log_in(client, owner.email)
    # django-axes answers "429 Too Many Requests" with our template.
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()
    assert _signed_in_as(client) is None


def test_changing_the_capitals_of_the_email_does_not_reset_the_failure_count(client, owner):
    for index in range(settings.AXES_FAILURE_LIMIT):
        email = owner.email.upper() if index % 2 else owner.email
        _log_in(client, email, "wrong password")
    response = _log_in(client, "Owner@Example.COM")
    assert response.status_code == 429
    assert _signed_in_as(client) is None


def test_the_lock_is_per_account_so_others_can_still_log_in(client, owner, teammate):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, owner.email, "wrong password")
    assert _log_in(client, teammate.email).status_code == 302
    assert _signed_in_as(client) == teammate.pk


def test_a_successful_log_in_resets_the_failure_count(client, owner):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _log_in(client, owner.email, "wrong password")
    assert _log_in(client, owner.email).status_code == 302
    assert not AccessAttempt.objects.exists()
    client.post("/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _log_in(client, owner.email, "wrong password")
    assert _log_in(client, owner.email).status_code == 302
    assert _signed_in_as(client) == owner.pk


# --- Settings home, profile, password --------------------------------------------------------


def test_settings_home_links_to_every_section(owner_client):
    html = owner_client.get("/settings/").content.decode()
    for name in ("profile", "password_change", "token_list", "team"):
        assert reverse(f"accounts:{name}") in html


def test_settings_home_hides_the_team_from_members(teammate_client):
    html = teammate_client.get("/settings/").content.decode()
    assert reverse("accounts:token_list") in html
    assert reverse("accounts:team") not in html


def test_a_viewer_can_change_their_own_profile(viewer_client, viewer):
    page = viewer_client.get("/settings/profile/")
    assert '<option value="Europe/Berlin">' in page.content.decode()
    response = viewer_client.post(
        "/settings/profile/", {"full_name": "Vera V.", "time_zone": "Europe/Berlin"}
    )
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert (viewer.full_name, viewer.time_zone) == ("Vera V.", "Europe/Berlin")


def test_times_are_shown_in_the_users_own_time_zone(viewer_client, viewer):
    viewer_client.post("/settings/profile/", {"full_name": "Vera", "time_zone": "Asia/Tokyo"})
    with time_machine.travel("2026-03-01 09:00:00+00:00", tick=False):
        api_token_create(user=viewer, name="Sync")
    html = viewer_client.get("/settings/tokens/").content.decode()
    assert "2026-03-01 18:00" in html


def test_an_unknown_time_zone_is_refused_at_its_field(teammate_client, teammate):
    response = teammate_client.post("/settings/profile/", {"full_name": "T", "time_zone": "Mars/X"})
    assert "time_zone" in response.context["form"].errors
    teammate.refresh_from_db()
    assert teammate.full_name == "Tom Teammate"


def test_a_viewer_can_change_their_password_and_stays_signed_in(viewer_client, viewer):
    response = viewer_client.post(
        "/settings/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert viewer.check_password(NEW_PASSWORD)
    assert viewer_client.get("/settings/").status_code == 200


def test_changing_the_password_signs_out_other_sessions(viewer, viewer_client):
    other = Client()
    assert _log_in(other, viewer.email).status_code == 302
    viewer_client.post(
        "/settings/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert other.get("/").status_code == 302


def test_a_wrong_current_password_is_shown_at_its_field(teammate_client, teammate):
    response = teammate_client.post(
        "/settings/password/",
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert list(response.context["form"].errors) == ["old_password"]
    teammate.refresh_from_db()
    assert teammate.check_password(PASSWORD)


# --- API tokens ------------------------------------------------------------------------------


def test_a_new_token_is_shown_once_then_only_its_prefix(teammate_client, teammate):
    response = teammate_client.post("/settings/tokens/new/", {"name": "Invoice sync"})
    assert response.status_code == 200
    raw = response.context["raw_token"]
    assert raw in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert api_token_authenticate(raw) == teammate
    later = teammate_client.get("/settings/tokens/").content.decode()
    assert raw not in later
    assert raw[:12] in later and "Invoice sync" in later


def test_a_token_without_a_name_is_refused_at_the_field(teammate_client):
    response = teammate_client.post("/settings/tokens/new/", {"name": " "})
    assert "name" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_a_forged_token_create_changes_nothing(csrf_client):
    response = csrf_client.post("/settings/tokens/new/", {"name": "Sneaky"})
    assert response.status_code == 403
    response = csrf_client.post(
        "/settings/tokens/new/", {"name": "Sneaky", "csrfmiddlewaretoken": "forged" * 6}
    )
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_revoking_a_token_is_a_post_and_stops_it_working(teammate_client, teammate):
    token, raw = api_token_create(user=teammate, name="Sync")
    url = reverse("accounts:token_revoke", args=[token.pk])
    assert teammate_client.get(url).status_code == 405
    assert teammate_client.post(url).status_code == 302
    assert api_token_authenticate(raw) is None
    assert "Revoked" in teammate_client.get("/settings/tokens/").content.decode()


def test_nobody_revokes_someone_elses_token(outsider_client, teammate):
    token, raw = api_token_create(user=teammate, name="Sync")
    response = outsider_client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert api_token_authenticate(raw) == teammate


@pytest.mark.parametrize("count", [3, 30])
def test_the_token_list_runs_a_fixed_number_of_queries(
    teammate_client, teammate, count, django_assert_num_queries
):
    for index in range(count):
        api_token_create(user=teammate, name=f"Script {index}")
    with django_assert_num_queries(3):
        teammate_client.get("/settings/tokens/")
