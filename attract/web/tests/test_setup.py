"""The first visit to an empty installation: the set-up page that makes the owner."""

from functools import partial

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.test import Client
from django.urls import reverse

from attract.accounts.models import Role, User
from attract.people import demo as people_demo
from attract.people.models import Company, Person

PASSWORD = "a lighthouse in the fog"
SETUP = "/setup/"


def _form(**overrides) -> dict:
    return {"full_name": "Ann Owner", "email": "ann@example.com", "password": PASSWORD} | overrides


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/people/", "/companies/", "/login/", "/settings/team/"])
def test_an_empty_installation_sends_every_page_to_set_up(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == SETUP


@pytest.mark.django_db
def test_health_checks_answer_before_set_up(client):
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_set_up_creates_the_owner_and_signs_them_in(client):
    response = client.post(SETUP, _form(email="Ann@Example.com"))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:today")
    owner = User.objects.get()
    assert (owner.email, owner.full_name, owner.role) == (
        "ann@example.com",
        "Ann Owner",
        Role.OWNER,
    )
    assert owner.check_password(PASSWORD)
    today = client.get(reverse("web:today"))
    assert today.status_code == 200
    assert today.context["user"] == owner


def test_the_real_settings_hash_passwords_with_argon2(settings):
    import attract.settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    encoded = make_password(PASSWORD)
    assert encoded.startswith("argon2$argon2id$")
    assert check_password(PASSWORD, encoded)


@pytest.mark.django_db
def test_set_up_refuses_a_weak_password_at_the_password_field(client):
    response = client.post(SETUP, _form(password="password"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["password"]
    assert "too common" in " ".join(errors["password"])
    assert not User.objects.exists()


@pytest.mark.django_db
def test_set_up_refuses_a_password_like_the_email_at_the_password_field(client):
    response = client.post(SETUP, _form(email="lighthouse@example.com", password="lighthouse"))
    assert "password" in response.context["form"].errors
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["not-an-email", "ann@", ""])
def test_set_up_refuses_a_bad_email_at_the_email_field(client, email):
    response = client.post(SETUP, _form(email=email))
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert 'id="id_email_errors"' in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_set_up_loads_sample_data_when_asked(client, monkeypatch):
    # A handful of records proves the wiring; `attract demo` tests the full sample business.
    small = partial(people_demo.people_demo_create, companies=3, persons=5)
    monkeypatch.setattr("attract.web.demo.people_demo_create", small)
    client.post(SETUP, _form(load_sample_data="on"))
    owner = User.objects.get(role=Role.OWNER)
    assert Company.objects.count() == 3
    assert Person.objects.count() == 5
    assert Company.objects.filter(owner=owner).exists()


@pytest.mark.django_db
def test_set_up_without_sample_data_leaves_the_installation_empty(client):
    client.post(SETUP, _form())
    assert User.objects.count() == 1
    assert not Company.objects.exists() and not Person.objects.exists()


def test_set_up_is_closed_once_an_owner_exists(client, owner):
    assert client.get(SETUP)["Location"] == reverse("web:today")
    response = client.post(SETUP, _form(email="intruder@example.com"))
    assert response.status_code == 302
    assert not User.objects.filter(email="intruder@example.com").exists()
    assert User.objects.get(role=Role.OWNER) == owner


def test_pages_are_not_sent_to_set_up_once_an_owner_exists(owner):
    response = Client().get("/")
    assert response["Location"].startswith(reverse("accounts:login"))
