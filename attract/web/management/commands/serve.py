"""`attract serve`: migrate, collect static files, then serve with gunicorn (not runserver) and
run one background worker beside it, the two supervised together."""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from attract.jobs.supervisor import run_together


class Command(BaseCommand):
    help = "Set up the database and static files, then serve Attract with gunicorn."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default=os.environ.get("ATTRACT_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("ATTRACT_PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("ATTRACT_WORKERS", "0"))
            or min(4, (os.cpu_count() or 1) + 1),
            help="Gunicorn worker processes (default: CPU cores + 1, at most 4).",
        )
        parser.add_argument("--no-migrate", action="store_true", help="Skip migrations.")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Serve only; run `attract worker` elsewhere for the background work.",
        )

    def handle(
        self,
        *args,
        host: str,
        port: int,
        workers: int,
        no_migrate: bool,
        no_worker: bool,
        **options,
    ) -> None:
        if not 0 < port < 65536:
            raise CommandError(f"--port {port} is not a TCP port (1–65535).")
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Attract is serving at http://{host}:{port}  (Ctrl+C to stop)")
        self.stdout.flush()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "attract.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            os.environ.get("ATTRACT_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "attract.settings"}
        if str(settings.VAR_DIR) and "ATTRACT_VAR_DIR" not in env:
            env["ATTRACT_VAR_DIR"] = str(settings.VAR_DIR)
        if no_worker:
            os.execvpe(argv[0], argv, env)  # noqa: S606 - replaces this process with gunicorn
            return  # reached only when execvpe is replaced (tests)
        worker = [sys.executable, "-m", "attract", "worker", "--verbosity", "1"]
        raise SystemExit(run_together([argv, worker], env=env))
