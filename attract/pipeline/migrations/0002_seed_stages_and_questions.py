"""Default stage settings (10/20/40/70/90 %) and a starting bank of tough questions."""

from django.db import migrations

STAGES = [
    # stage, probability %, days before a deal there is a long maybe
    ("attention", 10, 21),
    ("interest", 20, 21),
    ("conviction", 40, 30),
    ("desire", 70, 21),
    ("action", 90, 14),
]

QUESTIONS = [
    "What does it cost you, each month, to leave this problem as it is?",
    "If nothing changes by the end of the quarter, what happens next?",
    "Who else has to say yes before this goes ahead, and what will they ask?",
    "On a scale of one to ten, how important is solving this now? What would make it a ten?",
    "What would have to be true for you to say no to us today?",
    "Is this still a priority, or has something else taken its place?",
    "What have you already tried, and why did it fall short?",
    "If we were not in the picture, what would you do instead?",
    "Shall we agree that this is a no for now, so neither of us keeps waiting?",
]


def seed(apps, schema_editor):
    StageSetting = apps.get_model("pipeline", "StageSetting")
    ToughQuestion = apps.get_model("pipeline", "ToughQuestion")
    for stage, probability, stale in STAGES:
        StageSetting.objects.get_or_create(
            stage=stage, defaults={"probability": probability, "stale_after_days": stale}
        )
    if not ToughQuestion.objects.exists():
        ToughQuestion.objects.bulk_create(
            ToughQuestion(text=text, position=index) for index, text in enumerate(QUESTIONS)
        )


def unseed(apps, schema_editor):
    apps.get_model("pipeline", "StageSetting").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("pipeline", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
