import pytest
from django.core.exceptions import ImproperlyConfigured

from attract.core.environment import env_bool, env_int, env_list, secret_key


def test_a_misspelt_boolean_stops_start_up_with_the_variable_named(monkeypatch):
    monkeypatch.setenv("ATTRACT_DEBUG", "ture")
    with pytest.raises(ImproperlyConfigured, match="ATTRACT_DEBUG"):
        env_bool("DEBUG")


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("Yes", True), ("off", False), ("", False)]
)
def test_booleans_read_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("ATTRACT_DEBUG", raw)
    assert env_bool("DEBUG", default=not expected) is expected


def test_a_non_number_stops_start_up(monkeypatch):
    monkeypatch.setenv("ATTRACT_LOGIN_FAILURE_LIMIT", "five")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("LOGIN_FAILURE_LIMIT", 5)


def test_lists_are_comma_separated(monkeypatch):
    monkeypatch.setenv("ATTRACT_ALLOWED_HOSTS", "crm.example.com, localhost,")
    assert env_list("ALLOWED_HOSTS", []) == ["crm.example.com", "localhost"]


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("ATTRACT_SECRET_KEY", raising=False)
    first = secret_key(tmp_path)
    assert len(first) > 40
    assert secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_secret_key_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("ATTRACT_SECRET_KEY", "from-env")
    assert secret_key(tmp_path) == "from-env"
    assert not (tmp_path / "secret_key").exists()
