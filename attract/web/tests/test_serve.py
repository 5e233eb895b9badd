import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_serve_refuses_a_port_that_is_not_a_port(db):
    with pytest.raises(CommandError, match="not a TCP port"):
        call_command("serve", port=70000, no_migrate=True)


def test_serve_runs_gunicorn_on_the_requested_port_and_a_worker_beside_it(
    db, monkeypatch, tmp_path, settings
):
    settings.STATIC_ROOT = tmp_path / "static"
    calls = []

    def run_together(commands, *, env):
        calls.append((commands, env))
        return 0

    monkeypatch.setattr("attract.web.management.commands.serve.run_together", run_together)
    with pytest.raises(SystemExit):
        call_command("serve", port=8123, host="127.0.0.1", workers=2)
    (argv, worker), env = calls[0]
    assert worker[1:] == ["-m", "attract", "worker", "--verbosity", "1"]
    assert argv[1:4] == ["-m", "gunicorn", "attract.wsgi:application"]
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8123"
    assert argv[argv.index("--workers") + 1] == "2"
    assert env["DJANGO_SETTINGS_MODULE"] == "attract.settings"
    assert (tmp_path / "static" / "web" / "attract.css").exists()


def test_serve_without_a_worker_hands_over_to_gunicorn(db, monkeypatch, tmp_path, settings):
    settings.STATIC_ROOT = tmp_path / "static"
    calls = []
    monkeypatch.setattr("os.execvpe", lambda file, argv, env: calls.append(argv))
    call_command("serve", port=8123, host="127.0.0.1", workers=2, no_worker=True)
    assert calls[0][1:4] == ["-m", "gunicorn", "attract.wsgi:application"]
