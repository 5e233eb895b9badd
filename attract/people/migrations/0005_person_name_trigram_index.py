"""On SQLite, an FTS5 trigram index of the persons' search names and the triggers that keep it
in step (see attract.core.trigram_index). PostgreSQL has its pg_trgm index since 0003."""

from django.db import migrations

from attract.people.name_index import PERSON_NAMES


def create(apps, schema_editor):
    PERSON_NAMES.ensure(schema_editor.connection)


def drop(apps, schema_editor):
    PERSON_NAMES.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("people", "0004_history_unused_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
