"""BulkChange now belongs to core (core 0001 took over its state; the table stays)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0009_bulk_change"),
        ("core", "0001_bulk_change"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="BulkChange")]),
    ]
