"""How Attract declares background work: Django's Tasks API plus the two promises the queue's
own worker does not make — a task's writes commit together with its "done" mark, and a failed
task is tried again later before it is shown as failed.

    @background_task()
    def fit_refresh_everyone() -> int: ...

    fit_refresh_everyone.enqueue()

The decorated object is a django-tasks `Task` (so `.enqueue()`, `.using()` and the database
backend behave as documented, and the code moves to `django.tasks` with Django 6); this module
only remembers each task's retry policy, by the task's import path, for the worker to read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django_tasks import task


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    # The wait before attempt n+1 is first_wait × 4ⁿ⁻¹: 30 s, 2 min, 8 min, 32 min…
    first_wait: timedelta
    # True: the body runs in one transaction with the task's "done" mark, so a worker killed
    # half-way leaves nothing written and the task runs again from the start. False is for
    # work that must not hold a transaction (an HTTP call) and is idempotent on its own.
    atomic: bool

    def wait_after(self, attempts: int) -> timedelta:
        return self.first_wait * (4 ** max(attempts - 1, 0))


_POLICIES: dict[str, RetryPolicy] = {}


def default_policy() -> RetryPolicy:
    return RetryPolicy(
        max_attempts=settings.ATTRACT_JOB_MAX_ATTEMPTS,
        first_wait=timedelta(seconds=settings.ATTRACT_JOB_FIRST_RETRY_SECONDS),
        atomic=True,
    )


def policy_for(task_path: str) -> RetryPolicy:
    return _POLICIES.get(task_path) or default_policy()


def background_task(
    *,
    max_attempts: int | None = None,
    first_wait: timedelta | None = None,
    atomic: bool = True,
    queue_name: str = "default",
    priority: int = 0,
    takes_context: bool = False,
) -> Callable:
    """`takes_context`: the function gets django-tasks' TaskContext first (its task result's
    id and attempt), as with `@task(takes_context=True)`."""

    def decorate(function: Callable):
        declared = task(queue_name=queue_name, priority=priority, takes_context=takes_context)(
            function
        )
        base = default_policy()
        _POLICIES[declared.module_path] = RetryPolicy(
            max_attempts=max_attempts or base.max_attempts,
            first_wait=first_wait if first_wait is not None else base.first_wait,
            atomic=atomic,
        )
        return declared

    return decorate
