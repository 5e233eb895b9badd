"""On PostgreSQL, trigram indexes make the name search (`search_name LIKE '%term%'`) an index
look-up instead of a scan of every row. SQLite has no such index; it scans, which is fast
enough at the sizes one SQLite file serves."""

from django.db import migrations

TABLES = ("people_person", "people_company")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_trgm "
            f"ON {table} USING gin (search_name gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("people", "0002_trash_partial_index")]

    operations = [migrations.RunPython(create, drop)]
