from __future__ import annotations

from pathlib import Path

import pytest

from attract.transfer import row_reader

# The shared public data files, read in place (never copied into the repository).
DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.fixture
def reader_for_any_size(monkeypatch):
    """The reader process for an import of any size (not only a long one), and the list of
    the times it was started."""
    started = []
    start = row_reader.checked_person_rows

    def counted(*args):
        started.append(args)
        return start(*args)

    monkeypatch.setattr(row_reader, "WORTHWHILE_ROWS", 1)
    monkeypatch.setattr(row_reader, "checked_person_rows", counted)
    return started
