"""On SQLite, an FTS5 trigram index of the companies' search names, like the persons' (0005),
so that the company list and the global search find a company among 100,000 without reading
each. PostgreSQL has its pg_trgm index since 0003."""

from django.db import migrations

from attract.people.name_index import COMPANY_NAMES


def create(apps, schema_editor):
    COMPANY_NAMES.ensure(schema_editor.connection)


def drop(apps, schema_editor):
    COMPANY_NAMES.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("people", "0010_bulk_change_moved_to_core")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
