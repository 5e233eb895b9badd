"""`attract createowner`: the owner account made from a terminal or a script."""

import io

import pytest
from django.core.management import CommandError, call_command

from attract.accounts.models import Role, User

PASSWORD = "a lighthouse in the fog"
pytestmark = pytest.mark.django_db


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(*args: str, stdin: io.StringIO | None = None, monkeypatch=None) -> str:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", stdin)
    out = io.StringIO()
    call_command("createowner", *args, stdout=out)
    return out.getvalue()


def test_createowner_reads_the_password_from_standard_input(monkeypatch):
    output = _run(
        "--email", "Ann@Example.com", "--name", "Ann Owner", "--password-stdin",
        stdin=io.StringIO(PASSWORD + "\n"), monkeypatch=monkeypatch,
    )  # fmt: skip
    owner = User.objects.get()
    assert owner.email == "ann@example.com"
    assert owner.full_name == "Ann Owner"
    assert owner.role == Role.OWNER
    assert owner.check_password(PASSWORD)
    assert "ann@example.com" in output


def test_createowner_asks_for_the_password_twice_on_a_terminal(monkeypatch):
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    _run("--email", "ann@example.com", stdin=_Terminal(), monkeypatch=monkeypatch)
    assert User.objects.get().check_password(PASSWORD)
    assert next(answers, None) is None


def test_createowner_refuses_two_different_passwords(monkeypatch):
    answers = iter([PASSWORD, PASSWORD + "!"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="differ"):
        _run("--email", "ann@example.com", stdin=_Terminal(), monkeypatch=monkeypatch)
    assert not User.objects.exists()


def test_createowner_without_a_terminal_asks_for_password_stdin(monkeypatch):
    with pytest.raises(CommandError, match="--password-stdin"):
        _run("--email", "ann@example.com", stdin=io.StringIO(""), monkeypatch=monkeypatch)
    assert not User.objects.exists()


def test_createowner_refuses_an_empty_standard_input(monkeypatch):
    with pytest.raises(CommandError, match="no password"):
        _run(
            "--email", "ann@example.com", "--password-stdin",
            stdin=io.StringIO(""), monkeypatch=monkeypatch,
        )  # fmt: skip
    assert not User.objects.exists()


def test_createowner_refuses_a_second_owner(monkeypatch, owner):
    with pytest.raises(CommandError, match="already has an owner"):
        _run(
            "--email", "second@example.com", "--password-stdin",
            stdin=io.StringIO(PASSWORD), monkeypatch=monkeypatch,
        )  # fmt: skip
    assert list(User.objects.filter(role=Role.OWNER)) == [owner]
    assert not User.objects.filter(email="second@example.com").exists()


@pytest.mark.parametrize("email", ["not-an-email", "ann@"])
def test_createowner_refuses_an_invalid_email(monkeypatch, email):
    with pytest.raises(CommandError, match="email"):
        _run(
            "--email", email, "--password-stdin",
            stdin=io.StringIO(PASSWORD), monkeypatch=monkeypatch,
        )  # fmt: skip
    assert not User.objects.exists()


@pytest.mark.parametrize("weak", ["short", "12345678901", "password123"])
def test_createowner_refuses_a_weak_password(monkeypatch, weak):
    with pytest.raises(CommandError, match="password"):
        _run(
            "--email", "ann@example.com", "--password-stdin",
            stdin=io.StringIO(weak + "\n"), monkeypatch=monkeypatch,
        )  # fmt: skip
    assert not User.objects.exists()
