"""Tasks the jobs tests enqueue: each writes users, so what a task left behind can be counted."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from attract.accounts.models import User
from attract.jobs.queue import background_task


@background_task(max_attempts=3, first_wait=timedelta(seconds=60))
def create_users_slowly(*, prefix: str, count: int, pause: float, progress_file: str = "") -> int:
    for n in range(count):
        User.objects.create(email=f"{prefix}{n}@example.com", full_name=f"{prefix} {n}")
        if progress_file:
            # Outside the database, so a test can see how far the uncommitted task got.
            Path(progress_file).write_text(str(n + 1))
        time.sleep(pause)
    return count


@background_task(max_attempts=2, first_wait=timedelta(seconds=60))
def create_user_then_fail(*, email: str) -> None:
    User.objects.create(email=email)
    raise RuntimeError("the receiving end said no")
