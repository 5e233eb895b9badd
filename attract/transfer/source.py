"""Reading an import's rows: the first step of the one-way run (read → match → write →
report, see run.py). Also what the dry run reads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from django.core.exceptions import ValidationError

from attract.transfer import row_reader
from attract.transfer.models import ImportJob
from attract.transfer.reading import as_record, open_table, shape_error

Record = tuple[int, list[str], "dict[str, str] | row_reader.Refused | object"]


class FileGone(ValidationError):
    """The uploaded file is no longer on disk (removed after the retention period, or by
    hand): the import cannot go on, and trying again will not help."""


def require_file(job: ImportJob) -> Path:
    path = Path(job.stored_path) if job.stored_path else None
    if path is None or not path.is_file():
        raise FileGone(
            f"The uploaded file {job.file_name} is no longer there (removed after the "
            "retention period, or by hand): upload it again to import it."
        )
    return path


def records(job: ImportJob, after_line: int = 0, *, checked: bool = False) -> Iterator[Record]:
    """(line, cells, record) after `after_line`; `checked`: a row that is not of the file's
    shape (one column of many) comes as Refused, with the reason the report gives."""
    table = open_table(require_file(job), job.encoding or None)
    for row in table.rows:
        if row.line > after_line:
            wrong = checked and shape_error(job.headers, row, table.format.delimiter)
            record = row_reader.Refused(wrong) if wrong else as_record(job.headers, row)
            yield row.line, row.cells, record


def rows_to_import(job: ImportJob, *, reader_process: bool) -> Iterator[Record]:
    """The rows after the last committed line. A long persons import reads and checks its
    rows in a second process (row_reader.py), started before the importer builds its
    indexes so that it reads meanwhile."""
    path = require_file(job)
    remaining = job.total_rows - job.done_rows
    if reader_process and job.kind == "persons" and row_reader.worthwhile(remaining):
        return row_reader.checked_person_rows(
            path,
            job.headers,
            job.mapping,
            job.processed_line,
            {
                "region": job.phone_region,
                "keep_unreadable": job.keep_unreadable,
                "encoding": job.encoding or None,
            },
        )
    return records(job, after_line=job.processed_line, checked=True)
