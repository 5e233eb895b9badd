"""Run many writers at once against the test database and count the edits silently lost.

Each writer, on its own thread and its own database connection, reads the record, waits a
moment (so that others write in between), and writes one field with the version it read.
A write either lands (it must then be the very next version) or is refused with
VersionConflict. Afterwards every field must hold the value of the last write that landed on
it: anything else is a change someone made that was silently overwritten.

On SQLite the test database lives in memory, shared between threads through SQLite's shared
cache, whose table locks fail at once instead of waiting; the writers therefore work on a
file copy of it, opened with the project's own settings (WAL, IMMEDIATE, busy timeout), as
the application does. On PostgreSQL they share the test database.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, connections
from django.db.utils import load_backend

from attract.core.versions import VersionConflict


@dataclass
class Tally:
    landed: list[tuple[int, int, str, str]] = field(default_factory=list)  # seen, new, field, v
    refused: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class Outcome:
    landed: int
    refused: int
    silent_overwrites: int
    errors: list[str]


class Database:
    """Where the writer threads connect: a file copy of the SQLite test database, or the
    PostgreSQL test database itself."""

    def __init__(self, tmp_path: Path) -> None:
        self.path: Path | None = None
        if connection.vendor == "sqlite":
            self.path = tmp_path / "concurrent.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(self.path)
            connection.connection.backup(target)
            target.close()

    def connect(self) -> None:
        """Point this thread's default connection at the writers' database."""
        if self.path is not None:
            settings = {**connections.settings["default"], "NAME": str(self.path)}
            backend = load_backend(settings["ENGINE"])
            connections["default"] = backend.DatabaseWrapper(settings, "default")

    def run(self, work: Callable[[], Any]) -> Any:
        """Run `work` on a new thread with its own connection; return what it returns."""
        result: dict[str, Any] = {}

        def target() -> None:
            self.connect()
            try:
                result["value"] = work()
            except BaseException as exc:  # reported to the caller's thread
                result["error"] = exc
            finally:
                connections.close_all()

        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
        if "error" in result:
            raise result["error"]
        return result.get("value")


def run_conflicting_writers(
    database: Database,
    *,
    read: Callable[[], Any],
    write: Callable[[Any, str, str, int], int],
    values: Callable[[Any], dict[str, str]],
    fields: tuple[str, ...],
    value_for: Callable[[str, int, int], str] = lambda name, writer, index: f"w{writer}-{index}",
    writers: int = 6,
    writes_each: int = 10,
) -> Outcome:
    """`read()` returns the record, `write(record, field, value, seen_version)` returns the
    new version or raises VersionConflict, `values(record)` returns the fields' values as
    text, and `value_for(field, writer, index)` makes each write's distinct value."""
    initial = database.run(lambda: values(read()))
    tally = Tally()
    start = threading.Barrier(writers)

    def writer(number: int) -> None:
        database.connect()
        chance = random.Random(number)
        try:
            start.wait()
            for index in range(writes_each):
                record = read()
                seen = record.version
                name = chance.choice(fields)
                value = value_for(name, number, index)
                time.sleep(chance.uniform(0, 0.004))
                try:
                    new = write(record, name, value, seen)
                except VersionConflict:
                    with tally.lock:
                        tally.refused += 1
                else:
                    with tally.lock:
                        tally.landed.append((seen, new, name, value))
        except Exception as exc:  # counted: any error is a failure of the test
            with tally.lock:
                tally.errors.append(f"writer {number}: {type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    final = database.run(lambda: values(read()))
    return Outcome(
        landed=len(tally.landed),
        refused=tally.refused,
        silent_overwrites=_silent_overwrites(tally.landed, initial, final),
        errors=tally.errors,
    )


def run_field_owners(
    database: Database,
    *,
    read: Callable[[], Any],
    write: Callable[[Any, str, str], None],
    values: Callable[[Any], dict[str, str]],
    fields: tuple[str, ...],
    writes_each: int = 10,
) -> Outcome:
    """One writer per field, each writing only its own field and sending no version (an API
    PATCH that names one field): none may undo another's change, so every field must end
    with its writer's last value."""
    tally = Tally()
    start = threading.Barrier(len(fields))

    def writer(name: str) -> None:
        database.connect()
        try:
            start.wait()
            for index in range(writes_each):
                record = read()
                time.sleep(random.uniform(0, 0.004))
                write(record, name, f"{name}-{index}")
                with tally.lock:
                    tally.landed.append((0, 0, name, f"{name}-{index}"))
        except Exception as exc:
            with tally.lock:
                tally.errors.append(f"{name}: {type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(name,)) for name in fields]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = database.run(lambda: values(read()))
    lost = sum(1 for name in fields if final[name] != f"{name}-{writes_each - 1}")
    return Outcome(landed=len(tally.landed), refused=0, silent_overwrites=lost, errors=tally.errors)


def _silent_overwrites(
    landed: list[tuple[int, int, str, str]], initial: dict[str, str], final: dict[str, str]
) -> int:
    """A landed write that did not start from the version before it, and a field whose final
    value is not the last one written to it, are each an edit lost without a word."""
    lost = 0
    landed = sorted(landed, key=lambda w: w[1])
    new_versions = [w[1] for w in landed]
    lost += len(new_versions) - len(set(new_versions))
    lost += sum(1 for seen, new, _, _ in landed if new != seen + 1)
    expected = dict(initial)
    for _, _, name, value in landed:
        expected[name] = value
    lost += sum(1 for name in expected if final.get(name) != expected[name])
    return lost
