"""Run a few long-lived commands as one: `attract serve` starts the web server and a worker.

Each child runs in its own session, so Ctrl+C in a terminal reaches only the supervisor, which
then asks each child once (SIGTERM) to stop — a worker asked twice would abandon its task.
If one child dies, the others are stopped too: half of Attract running is worse than none,
because the web page would queue work nobody does. On Linux a child is also told to stop if
the supervisor itself is killed outright, so no orphan keeps the port or the queue.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence

_PR_SET_PDEATHSIG = 1


def _stop_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def run_together(
    commands: Sequence[Sequence[str]], *, env: Mapping[str, str], grace_seconds: float = 30
) -> int:
    """Start every command, return when all have stopped: 0 if asked to stop, else the exit
    code of the child that stopped first."""
    children = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            list(command),
            env=dict(env),
            start_new_session=True,
            preexec_fn=_stop_with_parent,  # noqa: PLW1509 - the supervisor has no threads
        )
        for command in commands
    ]
    asked_to_stop = False

    def on_signal(signum, frame) -> None:
        nonlocal asked_to_stop
        asked_to_stop = True

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        first_exit = None
        while not asked_to_stop and first_exit is None:
            for child in children:
                if child.poll() is not None:
                    first_exit = child.returncode
                    break
            else:
                time.sleep(0.2)
        _stop_all(children, grace_seconds)
        if asked_to_stop:
            return 0
        return first_exit or 1
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _stop_all(children: list[subprocess.Popen], grace_seconds: float) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace_seconds
    for child in children:
        try:
            child.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            # A task still running after the grace period is abandoned: its transaction rolls
            # back and the next worker reclaims it.
            child.kill()
            child.wait()
