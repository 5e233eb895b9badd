"""Deal titles found through an index, so that the deal lists and the global search answer
as fast at 100,000 deals as at 100: on SQLite an FTS5 trigram index with the triggers that
keep it in step (see attract.core.trigram_index); on PostgreSQL a pg_trgm GIN index on
UPPER(title), the expression Django's `icontains` compares."""

from django.db import migrations

from attract.pipeline.title_index import DEAL_TITLES

PG_INDEX = "pipeline_deal_title_trgm"


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        # pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it.
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {PG_INDEX} "
            "ON pipeline_deal USING gin ((UPPER(title::text)) gin_trgm_ops)"
        )
    else:
        DEAL_TITLES.ensure(connection)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
    else:
        DEAL_TITLES.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("pipeline", "0007_source_ids"), ("people", "0011_company_name_trigram_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
