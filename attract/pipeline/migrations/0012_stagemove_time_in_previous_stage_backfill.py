"""Fill StageMove.time_in_previous_stage for the moves already recorded: for each move, the
time since the deal's latest move strictly before it. One UPDATE per batch of deals, computed
by the database (the same expression as attract/pipeline/stage_times.py, restated here on the
historical model as a migration must)."""

from django.db import migrations
from django.db.models import DurationField, ExpressionWrapper, F, OuterRef, Subquery

BATCH = 2_000  # deals per UPDATE


def backfill(apps, schema_editor):
    StageMove = apps.get_model("pipeline", "StageMove")
    moves = StageMove.objects.using(schema_editor.connection.alias)
    previous = (
        moves.filter(deal_id=OuterRef("deal_id"), moved_at__lt=OuterRef("moved_at"))
        .order_by("-moved_at")
        .values("moved_at")[:1]
    )
    spent = ExpressionWrapper(F("moved_at") - Subquery(previous), output_field=DurationField())
    deal_ids = list(moves.order_by("deal_id").values_list("deal_id", flat=True).distinct())
    for begin in range(0, len(deal_ids), BATCH):
        batch = deal_ids[begin : begin + BATCH]
        moves.filter(deal_id__in=batch).update(time_in_previous_stage=spent)


class Migration(migrations.Migration):
    dependencies = [
        ("pipeline", "0011_stagemove_time_in_previous_stage"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
