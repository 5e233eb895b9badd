"""Writing one batch of an import while the next is being prepared.

A long persons import alternates between Python work (matching rows, gathering records)
and SQLite work (inserting them into tables with several indexes). SQLite lets go of
Python's global lock while it inserts, so the inserts of batch N run on a second thread
while this one applies the first rows of batch N+1 — as far as those rows need nothing from
the database (Importer.apply_ahead). The second thread uses this thread's own SQLite
connection, inside this thread's open transaction, and this thread does not touch that
connection until `wait()` returns: one transaction, one writer at a time, as before.
"""

from __future__ import annotations

import threading

from django.db import connection

from attract.transfer import bulk


def can_write_in_background() -> bool:
    return connection.vendor == "sqlite"


class BackgroundWrite:
    def __init__(self, statements: list[bulk.Statement]) -> None:
        connection.ensure_connection()
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run,
            args=(statements, connection.connection),
            name="attract-import-writer",
            daemon=True,
        )
        self._thread.start()

    def _run(self, statements: list[bulk.Statement], raw) -> None:
        try:
            bulk.run(statements, raw_sqlite=raw)
        except BaseException as exc:  # noqa: BLE001 - raised again on the importer's thread
            self._error = exc

    def wait(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error
