"""BulkChange moves from people to core, keeping its table (people_bulkchange): the state
moves here, the table stays; then the action check admits the actions of every list."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OLD_ACTIONS = ["assign_owner", "add_tag", "remove_tag", "trash"]
ACTIONS = [*OLD_ACTIONS, "move_stage", "assign", "mark_done", "move_due"]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("people", "0009_bulk_change"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="BulkChange",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("record_type", models.CharField(max_length=40)),
                        ("action", models.CharField(max_length=20)),
                        ("argument", models.CharField(blank=True, max_length=200)),
                        ("record_ids", models.JSONField()),
                        ("before", models.JSONField(default=dict)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("undone_at", models.DateTimeField(blank=True, null=True)),
                        ("actor", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "people_bulkchange",
                        "ordering": ["-created_at", "-id"],
                        "constraints": [models.CheckConstraint(condition=models.Q(("action__in", OLD_ACTIONS)), name="bulk_change_action_valid")],
                    },
                ),
            ],
        ),
        migrations.RemoveConstraint(model_name="bulkchange", name="bulk_change_action_valid"),
        migrations.AlterField(
            model_name="bulkchange",
            name="action",
            field=models.CharField(
                choices=[
                    ("assign_owner", "Assign an owner"),
                    ("add_tag", "Add a tag"),
                    ("remove_tag", "Remove a tag"),
                    ("trash", "Move to the trash"),
                    ("move_stage", "Move to a stage"),
                    ("assign", "Assign to someone"),
                    ("mark_done", "Mark as done"),
                    ("move_due", "Move the due date"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name="bulkchange",
            constraint=models.CheckConstraint(condition=models.Q(("action__in", ACTIONS)), name="bulk_change_action_valid"),
        ),
    ]
