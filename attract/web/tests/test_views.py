import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from attract.web.navigation import NAV_ITEMS
from attract.web.views import server_error


def test_anonymous_visitors_are_sent_to_log_in(owner):
    response = Client().get(reverse("web:today"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_today_greets_the_signed_in_user(owner_client, owner):
    response = owner_client.get(reverse("web:today"))
    assert response.status_code == 200
    assert owner.display_name in response.content.decode()


@pytest.mark.parametrize("item", NAV_ITEMS, ids=lambda i: i.key)
def test_every_navigation_entry_answers_and_is_marked_current(owner_client, item):
    response = owner_client.get(reverse(item.url_name))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'aria-current="page" data-shortcut="{item.shortcut}"' in html


def test_unknown_pages_get_the_friendly_404(owner_client):
    response = owner_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Not found" in response.content.decode()


def test_the_500_page_renders_without_touching_the_database(rf):
    # No `db` fixture: any database access here would raise, failing the test.
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_health_check_reports_the_database_answers(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_pages_send_security_headers(owner_client):
    response = owner_client.get(reverse("web:today"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_load_no_asset_from_another_host(owner_client):
    html = owner_client.get(reverse("web:today")).content.decode()
    assert 'src="http' not in html and 'href="http' not in html


def test_deploy_checks_are_clean_with_production_settings(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "ATTRACT_HTTPS": "true",
        "ATTRACT_SECRET_KEY": "x" * 64 + "production-like-secret-key-with-enough-entropy",
        "ATTRACT_VAR_DIR": str(tmp_path),
        "ATTRACT_ALLOWED_HOSTS": "crm.example.com",
        # Everything this suite's hardening added is on: a trusted proxy, a URL-named SQLite.
        "ATTRACT_TRUSTED_PROXIES": "10.0.0.0/8",
        "ATTRACT_DATABASE_URL": f"sqlite:///{tmp_path}/production.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(__file__).resolve().parents[3],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_healthz_answers_over_plain_http_while_everything_else_redirects_to_https(tmp_path):
    probe = (
        "from django.test import Client;"
        "c = Client(HTTP_HOST='crm.example.com');"
        "h = c.get('/healthz'); p = c.get('/accounts/login/'); s = c.get('/healthz', secure=True);"
        "print(h.status_code, h.json()['status'], p.status_code, p.get('Location'),"
        " s.status_code, 'Strict-Transport-Security' in s)"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "ATTRACT_HTTPS": "true",
        "ATTRACT_SECRET_KEY": "x" * 64 + "production-like-secret-key-with-enough-entropy",
        "ATTRACT_VAR_DIR": str(tmp_path),
        "ATTRACT_ALLOWED_HOSTS": "crm.example.com",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", probe],
        cwd=Path(__file__).resolve().parents[3],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    health, status, page, location, secure, hsts = result.stdout.splitlines()[-1].split()
    assert (health, status) == ("200", "ok")
    assert (page, location) == ("301", "https://crm.example.com/accounts/login/")
    assert (secure, hsts) == ("200", "True")


def test_the_real_settings_hash_passwords_with_argon2():
    import attract.settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
