"""The whole installation in one file, and back: a full export (a zip holding one JSON
document of every record and its history) that `attract restore` loads into an empty
installation, and a consistent copy of the SQLite file taken while the app runs."""

from __future__ import annotations

import datetime
import io
import json
import sqlite3
import zipfile
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.test.utils import override_settings

from attract.attraction.models import ThankYouNote

# Rows Django rebuilds itself, or that belong to the running installation, not to its data.
SKIPPED = {"contenttypes", "sessions", "admin", "axes"}
ARCHIVE_NAME = "attract.json"
# What the archive is, beside the data: whose private thank-you notes it holds.
ABOUT_NAME = "about.json"


def _models() -> list:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label not in SKIPPED
        and not (model._meta.app_label == "auth" and model._meta.model_name == "permission")
        and model._meta.managed
        and not model._meta.proxy
    ]


def _data_models() -> list:
    # Through tables of many-to-many fields are saved with their owners.
    return [m for m in _models() if not m._meta.auto_created]


class _ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds (what JavaScript reads); a restore must give
    back exactly what was there, so times keep their microseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def _rows(model, exporter):
    manager = getattr(model, "all_objects", model._base_manager)
    rows = manager.order_by("pk")
    if model is ThankYouNote:
        # Private to their author, even from the owner: the export holds the exporter's own.
        rows = rows.filter(author_id=exporter.pk)
    return rows


def full_export(path: Path, *, exporter) -> int:
    """Write every record to a zip (of the private thank-you notes, the exporter's own only);
    returns the number of objects written."""
    objects = []
    for model in _data_models():
        rows = list(_rows(model, exporter))
        # Secrets a model names (a mailbox's encrypted password) leave the installation blank.
        for name in getattr(model, "EXPORT_BLANKED_FIELDS", ()):
            for row in rows:
                setattr(row, name, "")
        objects.extend(rows)
    text = serializers.serialize("json", objects, indent=1, cls=_ExactJSONEncoder)
    about = {"thank_you_notes_of": exporter.email}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(ARCHIVE_NAME, text)
        archive.writestr(ABOUT_NAME, json.dumps(about))
    return len(objects)


def notes_owner(path: Path) -> str:
    """Whose thank-you notes a full export holds ("" for an export older than this rule)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return json.loads(archive.read(ABOUT_NAME)).get("thank_you_notes_of", "")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return ""


# Rows the migrations themselves write into every new installation (the default stage
# settings, the starting bank of tough questions): not data, and the archive's own copy
# replaces them.
SEEDED = {("pipeline", "stagesetting"), ("pipeline", "toughquestion")}


def _seeded(model) -> bool:
    """A seeded model, or its history (written when the settings were edited since)."""
    name = model._meta.model_name.removeprefix("historical")
    return (model._meta.app_label, name) in SEEDED


def _is_empty() -> bool:
    return not any(
        getattr(m, "all_objects", m._base_manager).exists()
        for m in _data_models()
        if m._meta.app_label in {"accounts", "people", "pipeline", "transfer"} and not _seeded(m)
    )


def restore(path: Path) -> int:
    """Load a full export into an empty installation, in one transaction."""
    if not _is_empty():
        raise ValidationError(
            "This installation already has data; restore only into a new, empty one."
        )
    try:
        with zipfile.ZipFile(path) as archive:
            text = archive.read(ARCHIVE_NAME).decode()
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ValidationError(f"{path.name} is not a full export made by Attract.") from exc
    count = len(json.loads(text))
    # The archive already holds every history row; with history on, setting a person's tags
    # would write a second, new history row for each, and the copy would not be identical.
    with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
        objects = list(serializers.deserialize("json", io.StringIO(text)))
        # The seeded rows make way for the archive's own, when it has them.
        archived = {type(obj.object) for obj in objects}
        for model in _data_models():
            if _seeded(model) and model in archived:
                model._base_manager.all().delete()
        for obj in objects:
            obj.save()
        _reset_sequences()
    return count


def _reset_sequences() -> None:
    if connection.vendor != "postgresql":
        return
    out = io.StringIO()
    labels = sorted({m._meta.app_label for m in _models()})
    call_command("sqlsequencereset", *labels, stdout=out, no_color=True)
    with connection.cursor() as cursor:
        cursor.execute(out.getvalue())


def sqlite_backup(target: Path) -> None:
    """A consistent copy of the live SQLite database, taken with SQLite's own backup API, so
    writers keep going while it runs."""
    if connection.vendor != "sqlite":
        raise ValidationError("attract backup copies SQLite; for PostgreSQL use pg_dump.")
    if target.exists():
        raise ValidationError(f"{target} already exists; choose a new file name.")
    connection.ensure_connection()
    source = connection.connection
    with sqlite3.connect(target) as copy:
        source.backup(copy)
    copy.close()
