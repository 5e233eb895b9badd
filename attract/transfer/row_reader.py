"""Reading and checking a long import's rows in a second process.

Reading the CSV and checking each row (emails through email-validator, phone numbers through
phonenumbers, the name's search key) is a third of a persons import's time, and it depends
on nothing in the database. On a machine with more than one core, a long run hands it to a
worker process, which reads the file and sends the checked rows on in chunks while this
process matches them and writes — both cores busy instead of one.

The worker is started with "spawn" (a fresh interpreter, which reads the same settings):
forking a process that holds database connections and threads is not safe. A bounded queue
keeps at most a few chunks in flight, so a big file is still streamed, never held whole.
When the reader stops early (an error, a stopped run) the worker is stopped with it.
"""

from __future__ import annotations

import marshal
import multiprocessing
import os
import queue
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError

from attract.transfer.rows import Incoming

CHUNK = 1000
IN_FLIGHT = 8  # chunks the worker may run ahead of the importer
# Below this many rows the worker's start-up (a fresh interpreter importing the checks'
# libraries) costs about as much as it saves.
WORTHWHILE_ROWS = 20_000


# The peak memory of the last reader that finished, as it reported it (for `make bench`).
last_reader_peak_kib = [0]


def peak_rss_kib() -> int:
    """This process's own peak resident memory. Linux's VmHWM, since getrusage's ru_maxrss
    carries over the peak of the process that started this one (across fork and exec)."""
    with suppress(OSError), open("/proc/self/status") as status:  # not Linux: below
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


@dataclass(frozen=True)
class Refused:
    """A row the checks refused, with the reason the import report gives."""

    reason: str


def describe(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)


def worthwhile(remaining_rows: int) -> bool:
    return remaining_rows >= WORTHWHILE_ROWS and (os.cpu_count() or 1) > 1


def checked_person_rows(
    path: Path,
    headers: list[str],
    mapping: dict[str, str],
    after_line: int,
    options: dict | None = None,
) -> Iterator[tuple[int, list[str], object]]:
    """(line, cells, Incoming or Refused) for every row after `after_line`, checked by a
    worker process."""
    last_reader_peak_kib[0] = 0  # not the figure of an earlier reader
    context = multiprocessing.get_context("spawn")
    chunks = context.Queue(maxsize=IN_FLIGHT)
    worker = context.Process(
        target=_work,
        args=(str(path), headers, mapping, after_line, chunks, options or {}),
        name="attract-import-reader",
        daemon=True,
    )
    worker.start()
    return _receive(worker, chunks)


def _receive(worker, chunks) -> Iterator[tuple[int, list[str], object]]:
    try:
        while True:
            try:
                kind, payload = chunks.get(timeout=1.0)
            except queue.Empty:
                if not worker.is_alive():
                    raise RuntimeError(
                        f"The import's reader stopped unexpectedly (exit code {worker.exitcode})."
                    ) from None
                continue
            if kind == "rows":
                # Our own worker wrote it, through a pipe only this process holds.
                for line, cells, checked in marshal.loads(payload):  # noqa: S302
                    yield line, cells, _unpack(checked)
            elif kind == "refused":  # the file itself cannot be read further
                raise ValidationError(payload)
            elif kind == "crashed":
                raise RuntimeError(f"The import's reader failed:\n{payload}")
            else:  # done
                last_reader_peak_kib[0] = payload
                return
    finally:
        if worker.is_alive():
            worker.terminate()
        worker.join(timeout=5)
        chunks.close()
        chunks.join_thread()


# Rows travel as marshal data (plain tuples, lists, dicts and strings): a chunk of checked
# rows pickled as objects cost the importer as much to load as to check in the first place.


def _pack(incoming: Incoming) -> tuple:
    return (
        incoming.fields,
        incoming.emails,
        incoming.phones,
        incoming.tags,
        incoming.company_name,
        incoming.name_key,
        incoming.unreadable,
        incoming.notes,
        incoming.labels,
        incoming.extra,
    )


def _unpack(checked: tuple | str) -> Incoming | Refused:
    if isinstance(checked, str):
        return Refused(checked)
    fields, emails, phones, tags, company_name, name_key, unreadable, notes, labels, extra = checked
    return Incoming(
        fields,
        emails,
        phones,
        tags,
        company_name,
        name_key,
        unreadable=[tuple(v) for v in unreadable],
        notes=notes,
        labels=labels,
        extra=extra,
    )


def _work(path: str, headers, mapping, after_line: int, chunks, options: dict) -> None:
    """The worker: read, check, send. Runs in the spawned process."""
    # No django.setup(): the checks read a setting or two (the phone region) and raise
    # ValidationError, neither of which needs the apps, whose models would double the
    # worker's memory. The settings module comes from the environment, as the importer's did.
    import traceback

    from attract.transfer.reading import as_record, open_table, shape_error
    from attract.transfer.rows import person_from_record

    parent = os.getppid()

    def send(message) -> None:
        # A bounded queue blocks while the importer is behind; if the importer's process was
        # killed (a worker's SIGKILL), nobody will ever read it: stop rather than linger.
        while True:
            try:
                chunks.put(message, timeout=1.0)
                return
            except queue.Full:
                if os.getppid() != parent:
                    raise SystemExit(1) from None

    try:
        batch = []
        options = dict(options)
        encoding = options.pop("encoding", None)
        table = open_table(Path(path), encoding)
        for row in table.rows:
            if row.line <= after_line:
                continue
            try:
                wrong = shape_error(headers, row, table.format.delimiter)
                if wrong:
                    raise ValidationError(wrong)
                checked = _pack(person_from_record(as_record(headers, row), mapping, **options))
            except ValidationError as exc:
                checked = describe(exc)
            batch.append((row.line, row.cells, checked))
            if len(batch) >= CHUNK:
                send(("rows", marshal.dumps(batch)))
                batch = []
        if batch:
            send(("rows", marshal.dumps(batch)))
        send(("done", peak_rss_kib()))
    except ValidationError as exc:
        send(("refused", describe(exc)))
    except Exception:  # noqa: BLE001 - reported to the importer, which raises it
        send(("crashed", traceback.format_exc()))
